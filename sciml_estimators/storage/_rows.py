"""Reading rows of lazy arrays, shared by the on-disk arrays and the streaming estimators."""


def read_increasing(read, rows):
    """``read(rows)`` for increasing row numbers, as one slice when they fill half its span.

    A block of a sorted subset, or a dense batch, is then one contiguous read
    instead of one selection per row.

    Parameters
    ----------
    read : callable
        Reads rows given as a slice or as an increasing int array.
    rows : ndarray of int
        Increasing row numbers.

    Returns
    -------
    data : ndarray
        The rows, in the order of ``rows``.
    """
    if rows.size and rows[-1] - rows[0] < 2 * rows.size:
        return read(slice(int(rows[0]), int(rows[-1]) + 1))[rows - rows[0]]
    return read(rows)
