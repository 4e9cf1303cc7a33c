"""Rows in stores: how both formats cut them into read chunks, and how lazy arrays read them.

:func:`read_increasing` is shared by the on-disk arrays and the streaming
estimators; :func:`inner_rows` by the Zarr and HDF5 backends.
"""

#: Read chunks (Zarr inner chunks, HDF5 chunks) hold whole rows and at most this many
#: bytes (at least one row).
INNER_CHUNK_BYTES = 2**20


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


def inner_rows(chunk_size, row_bytes):
    """The most rows, dividing ``chunk_size``, of at most ``INNER_CHUNK_BYTES`` (>= 1).

    Examples
    --------
    >>> inner_rows(1000, 4096), inner_rows(1000, 2**21), inner_rows(7, 10)
    (250, 1, 7)
    """
    limit = max(1, INNER_CHUNK_BYTES // max(row_bytes, 1))
    return max(d for d in range(1, min(chunk_size, limit) + 1) if chunk_size % d == 0)
