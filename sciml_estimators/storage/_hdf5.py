"""The HDF5 backend of :func:`~sciml_estimators.datasets.write_dataset` (``.h5``, ``.hdf5``).

One file: the call in the root attributes, per-sample entries as datasets
chunked along the first axis (one HDF5 chunk per generation chunk, at most
1 GiB) and allocated when created, per-set entries in the group
``per_set``, and the boolean dataset ``completed``. Same interface as
:mod:`._zarr`: :meth:`Hdf5Store.create`, :meth:`Hdf5Store.open`, then
``set_attrs``, ``add_per_sample``, ``add_per_set``, ``write_rows``,
``set_completed``, ``completed``, ``attrs``, ``entry``, ``per_set``, ``close``.
"""

import os

import numpy as np

from ._optional import import_h5py

#: An HDF5 chunk holds at most this many bytes (the format's limit is 4 GiB).
_MAX_CHUNK_BYTES = 2**30
_PURPOSE = "Writing and loading HDF5 datasets"


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


class Hdf5Entry:
    """One per-sample dataset, read by :class:`~._on_disk.OnDiskArray`.

    It reopens the file (read-only) when it was closed, e.g. after
    unpickling or after the ``with`` block of the Bunch that opened it.
    """

    def __init__(self, path, name, dataset=None):
        self.path, self.name, self._dataset = path, name, dataset

    def _data(self):
        if self._dataset is None or not self._dataset.id.valid:
            h5py = import_h5py(_PURPOSE)
            self._dataset = h5py.File(self.path, "r")[self.name]
        return self._dataset

    @property
    def shape(self):
        return self._data().shape

    @property
    def dtype(self):
        h5py = import_h5py(_PURPOSE)
        dataset = self._data()
        is_str = h5py.check_string_dtype(dataset.dtype) is not None
        return np.dtype(str) if is_str else dataset.dtype

    def read(self, rows, rest):
        """``dataset[(rows, *rest)]``; rows an int, a slice or sorted unique ints."""
        dataset = self._data()
        if self.dtype.kind == "U":
            return np.asarray(dataset.asstr()[(rows, *rest)], dtype=str)
        return dataset[(rows, *rest)]


class Hdf5Store:
    """An open HDF5 file written by :func:`~sciml_estimators.datasets.write_dataset`."""

    kind = "HDF5 file"
    #: Whether ``add_per_sample`` reserves the whole set's bytes at once.
    preallocates = True

    def __init__(self, file, path):
        self.file, self.path = file, path

    @staticmethod
    def recognises(path):
        """Whether ``path`` is an HDF5 file (by its signature)."""
        h5py = import_h5py(_PURPOSE)
        return os.path.isfile(path) and h5py.is_hdf5(path)

    @classmethod
    def create(cls, path):
        """A new, empty file at ``path`` (which must not exist)."""
        h5py = import_h5py(_PURPOSE)
        return cls(h5py.File(path, "w-"), path)

    @classmethod
    def open(cls, path, writable=False):
        """Open ``path``; ValueError if it is not a readable HDF5 file."""
        h5py = import_h5py(_PURPOSE)
        try:
            file = h5py.File(path, "r+" if writable else "r")
        except OSError as error:
            raise ValueError(f"{path}: not a readable HDF5 file: {error}.") from None
        return cls(file, path)

    @classmethod
    def open_entry(cls, path, name):
        """The per-sample entry ``name`` of the file at ``path``, opened lazily."""
        return Hdf5Entry(path, name)

    @property
    def attrs(self):
        """The root attributes, as Python values."""
        return {key: _plain(value) for key, value in self.file.attrs.items()}

    def set_attrs(self, attrs):
        """Store ``attrs`` (str, int or float values) as root attributes."""
        self.file.attrs.update(attrs)

    def has_layout(self):
        """Whether the file has the ``completed`` flags and the ``per_set`` group."""
        return "completed" in self.file and "per_set" in self.file

    def add_layout(self, n_chunks):
        """The ``completed`` flags, all False, and the empty ``per_set`` group."""
        self.file.create_dataset("completed", data=np.zeros(n_chunks, dtype=bool))
        self.file.create_group("per_set")

    def add_per_sample(self, name, n_samples, chunk_size, example):
        """Allocate ``name``: ``n_samples`` rows like ``example``'s, chunked by generation chunk."""
        h5py = import_h5py(_PURPOSE)
        is_str = example.dtype.kind in "US"
        dtype = h5py.string_dtype("utf-8") if is_str else example.dtype
        shape = (n_samples, *example.shape[1:])
        row_bytes = np.dtype(dtype).itemsize * int(np.prod(shape[1:]))
        rows = min(chunk_size, n_samples, max(1, _MAX_CHUNK_BYTES // max(row_bytes, 1)))
        chunks = None if 0 in shape else (rows, *shape[1:])
        # Early allocation: writing a chunk then changes raw data only, never the file's
        # metadata, so a run killed mid-write leaves a readable .partial file.
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        self.file.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, dcpl=dcpl)

    def add_per_set(self, name, kind, value):
        """Store a per-set entry: ``kind`` "array" (numbers), "str_array" or "json" (text)."""
        h5py = import_h5py(_PURPOSE)
        group = self.file["per_set"]
        if kind == "array":
            dataset = group.create_dataset(name, data=value)
        else:
            data = value.astype(object) if kind == "str_array" else value
            dataset = group.create_dataset(name, data=data, dtype=h5py.string_dtype("utf-8"))
        dataset.attrs["kind"] = kind

    def per_set(self):
        """The per-set entries as ``{name: (kind, value)}``; text for "json"."""
        found = {}
        for name, dataset in self.file["per_set"].items():
            kind = dataset.attrs["kind"]
            if kind == "array":
                found[name] = kind, dataset[()]
            elif kind == "str_array":
                found[name] = kind, np.array(dataset.asstr()[()], dtype=str)
            else:
                found[name] = kind, dataset.asstr()[()]
        return found

    def entry(self, name):
        """The per-sample entry ``name``, sharing this open file."""
        return Hdf5Entry(self.path, name, self.file[name])

    def write_rows(self, name, start, array):
        """Write ``array`` at rows ``start`` onwards of ``name``."""
        if array.dtype.kind in "US":
            array = array.astype(str).astype(object)
        self.file[name][start:start + len(array)] = array

    def set_completed(self, k):
        """Flush the rows written so far, then mark chunk ``k`` complete (flushed too)."""
        self.file.flush()
        self.file["completed"][k] = True
        self.file.flush()

    def completed(self):
        """The completion flag of every chunk."""
        return np.asarray(self.file["completed"][()], dtype=bool)

    def close(self):
        """Close the file."""
        self.file.close()
