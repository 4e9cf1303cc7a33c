"""Lazy, picklable arrays over the per-sample entries of a stored dataset."""

import os
from numbers import Integral

import numpy as np

from ._rows import read_increasing


def _is_int(value):
    return isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


class OnDiskArray:
    """A per-sample entry of a file written by ``write_dataset``, read on indexing.

    :func:`~sciml_estimators.datasets.load_dataset` returns these for both
    formats (Zarr and HDF5). Indexing reads only the rows asked for and
    returns numpy arrays (arrays of ``str`` for string entries). The first
    index may be an int, a slice, a 1-D array or list of ints in any order
    and with repeats (the sorted distinct rows are read in one call, then
    put in the order asked for) or a boolean mask; further indices, as in
    ``a[rows, 10:20]``, apply to the other axes. Pickling keeps the path
    and the entry name only: the copy reopens the file on its first read,
    so the array can be sent to other processes.

    Parameters
    ----------
    path : str
        The file or directory written by ``write_dataset``.
    name : str
        The entry, such as ``"data"`` or ``"parameters/radius"``.
    backend : type
        The storage class that opens it (``Hdf5Store`` or ``ZarrStore``).
    entry : object, default=None
        An already open entry of ``backend``; opened on first use when None.

    Attributes
    ----------
    on_disk : bool
        Always True: tells streaming estimators to read the array in batches.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> from sciml_estimators.datasets import load_dataset, make_dms, write_dataset
    >>> path = write_dataset(make_dms, os.path.join(tempfile.mkdtemp(), "dms.zarr"), 10,
    ...                      chunk_size=4, shape=(16, 16))
    >>> data = load_dataset(path).data
    >>> data.shape, data[[7, 2, 2]].shape, data[3, :2, 0].shape
    ((10, 16, 16), (3, 16, 16), (2,))
    >>> copy = pickle.loads(pickle.dumps(data))
    >>> bool((copy[[7, 2]] == data[[7, 2]]).all())
    True
    """

    on_disk = True

    def __init__(self, path, name, backend, entry=None):
        self.path, self.name, self.backend = os.fspath(path), name, backend
        self._entry = entry

    def _open(self):
        if self._entry is None:
            self._entry = self.backend.open_entry(self.path, self.name)
        return self._entry

    def __getstate__(self):
        return {"path": self.path, "name": self.name, "backend": self.backend}

    def __setstate__(self, state):
        self.__dict__.update(state, _entry=None)

    @property
    def shape(self):
        """The shape, first axis the samples."""
        return tuple(self._open().shape)

    @property
    def dtype(self):
        """The numpy dtype (``str`` for strings)."""
        return self._open().dtype

    @property
    def ndim(self):
        """The number of axes."""
        return len(self.shape)

    @property
    def nbytes(self):
        """The bytes of the array once read (0 for strings: their width is unknown)."""
        return int(np.prod(self.shape)) * self.dtype.itemsize

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return (f"OnDiskArray({self.path!r}, {self.name!r}, shape={self.shape}, "
                f"dtype={self.dtype})")

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError("OnDiskArray reads from disk: an array without a copy is "
                             "impossible.")
        data = self[:]
        return data if dtype is None else data.astype(dtype, copy=False)

    def subset(self, rows):
        """The rows ``rows`` of this array, still on disk (nothing is read).

        For training and test sets cut from one store: estimators that
        stream from disk read a subset batch by batch as they read the whole
        array. Increasing rows (``np.sort(train)``) are read fastest.

        Parameters
        ----------
        rows : array-like of int or bool
            Row numbers (in any order, repeats allowed) or a boolean mask.

        Returns
        -------
        subset : OnDiskRows
            A lazy array of ``len(rows)`` rows (or the mask's True count).

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> from sciml_estimators.datasets import make_dms
        >>> dms = make_dms(10, shape=(8, 8), out=os.path.join(tempfile.mkdtemp(), "d.zarr"),
        ...                chunk_size=5, random_state=0)
        >>> train = dms.data.subset(np.arange(0, 10, 2))
        >>> train.shape, bool((train[1:3] == dms.data[[2, 4]]).all())
        ((5, 8, 8), True)
        """
        return OnDiskRows(self, _row_numbers(rows, len(self)))


    def __getitem__(self, key):
        first, rest = (key[0], key[1:]) if isinstance(key, tuple) and key else (key, ())
        if first is Ellipsis:
            first, rest = slice(None), (Ellipsis, *rest)
        n = len(self)
        if _is_int(first):
            if not -n <= first < n:
                raise IndexError(f"index {first} is out of bounds for {n} rows.")
            return self._read(int(first) % n, rest)
        if isinstance(first, slice) and (first.step is None or first.step > 0):
            return self._read(slice(*first.indices(n)), rest)
        rows = (np.arange(*first.indices(n)) if isinstance(first, slice)
                else _row_numbers(first, n))
        unique, inverse = np.unique(rows, return_inverse=True)
        data = read_increasing(lambda part: self._read(part, rest), unique)
        if unique.size == rows.size and (unique == rows).all():
            return data
        return data[inverse.reshape(-1)]

    def _read(self, rows, rest):
        rest = self._expand(rest)
        simple = all(_is_int(i) or (isinstance(i, slice) and (i.step or 1) > 0) for i in rest)
        if isinstance(rows, np.ndarray) and rows.size == 0:
            data = self._open().read(slice(0, 0), rest if simple else ())
        else:
            data = self._open().read(rows, rest if simple else ())
        if not simple:
            data = data[((slice(None),) if not isinstance(rows, int) else ()) + rest]
        return data[()] if isinstance(data, np.ndarray) and data.ndim == 0 else data

    def _expand(self, rest):
        """``rest`` with an Ellipsis replaced by full slices."""
        if not any(i is Ellipsis for i in rest):
            return tuple(rest)
        at = next(j for j, i in enumerate(rest) if i is Ellipsis)
        fill = self.ndim - 1 - (len(rest) - 1) + sum(i is None for i in rest)
        return (*rest[:at], *[slice(None)] * max(fill, 0), *rest[at + 1:])


def _row_numbers(rows, n):
    """``rows`` (ints, negative allowed, or a boolean mask of length ``n``) as row numbers."""
    rows = np.asarray(rows)
    if rows.dtype == bool:
        if rows.shape != (n,):
            raise IndexError(f"a boolean mask of rows must have shape ({n},); got {rows.shape}.")
        return np.flatnonzero(rows)
    if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
        raise IndexError(f"rows must be an int, a slice, a 1-D array or list of ints or a "
                         f"boolean mask; got dtype {rows.dtype} and shape {rows.shape}.")
    rows = rows.astype(np.intp)
    if rows.size and not (-n <= rows.min() and rows.max() < n):
        raise IndexError(f"row numbers out of bounds for {n} rows.")
    return rows % n if n else rows


class OnDiskRows:
    """Some rows of an :class:`OnDiskArray`, read only when indexed.

    Made by :meth:`OnDiskArray.subset`; indexes, converts, pickles and
    subsets as an :class:`OnDiskArray` does.

    Parameters
    ----------
    base : OnDiskArray
        The whole array.
    rows : ndarray of int
        The rows of ``base``, in this array's order.

    Examples
    --------
    >>> import os, tempfile
    >>> from sciml_estimators.datasets import make_saxs_1d
    >>> saxs = make_saxs_1d(8, out=os.path.join(tempfile.mkdtemp(), "s.zarr"), chunk_size=4,
    ...                     random_state=0)
    >>> test = saxs.data.subset([6, 7])
    >>> test
    OnDiskRows(OnDiskArray(..., 'data', shape=(8, 300), dtype=float64), 2 rows)
    >>> test.subset([1]).shape
    (1, 300)
    """

    on_disk = True

    def __init__(self, base, rows):
        self.base, self.rows = base, rows

    @property
    def shape(self):
        """The shape, first axis the selected rows."""
        return (len(self.rows), *self.base.shape[1:])

    @property
    def dtype(self):
        """The numpy dtype."""
        return self.base.dtype

    @property
    def ndim(self):
        """The number of axes."""
        return self.base.ndim

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"OnDiskRows({self.base!r}, {len(self.rows)} rows)"

    def __array__(self, dtype=None, copy=None):
        return OnDiskArray.__array__(self, dtype, copy)

    def subset(self, rows):
        """The rows ``rows`` of this subset, still on disk (see :meth:`OnDiskArray.subset`).

        Parameters
        ----------
        rows : array-like of int or bool
            Row numbers of this subset (in any order, repeats allowed) or a
            boolean mask.

        Returns
        -------
        subset : OnDiskRows
            A lazy array of those rows of the base array.
        """
        return OnDiskRows(self.base, self.rows[_row_numbers(rows, len(self))])

    def __getitem__(self, key):
        first, rest = (key[0], key[1:]) if isinstance(key, tuple) and key else (key, ())
        if first is Ellipsis:
            first, rest = slice(None), (Ellipsis, *rest)
        if _is_int(first):
            return self.base[(int(self.rows[first]), *rest)]
        wanted = self.rows[first] if isinstance(first, slice) else self.rows[
            _row_numbers(first, len(self))]
        return self.base[(wanted, *rest)]
