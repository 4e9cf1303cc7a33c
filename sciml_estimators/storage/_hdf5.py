"""The HDF5 backend of :func:`~sciml_estimators.datasets.write_dataset` (``.h5``, ``.hdf5``).

One file: the call in the root attributes, the boolean dataset
``completed``, the dataset ``checksums`` (see :mod:`._checksums`), per-set
entries in the group ``per_set``, then the per-sample entries as datasets
chunked along the first axis, in HDF5 chunks of whole rows of at most about
1 MiB that divide the generation chunk (as Zarr's inner chunks), allocated
when created. Same interface as :mod:`._zarr`: :meth:`Hdf5Store.create`,
:meth:`Hdf5Store.open`, then ``set_attrs``, ``add_layout``,
``add_per_sample``, ``add_per_set``, ``write_rows``, ``stored_bytes``,
``set_checksums``, ``set_completed``, ``completed``, ``checksums``,
``attrs``, ``entry``, ``per_set``, ``close``.

Checksums: every HDF5 chunk of numbers carries a Fletcher-32 checksum (the
``fletcher32`` filter; HDF5 cannot filter variable-length strings), checked
by HDF5 on every read. The filter makes HDF5 read the whole HDF5 chunk for any
part of it, hence the small chunks; and it makes a partial write of a chunk
read the old one first, which fails on a damaged chunk: the one partial
write there is, the dataset's last, shorter HDF5 chunk, is first reset to
zeros (a valid chunk) with a direct write of the same size. Early
allocation keeps every chunk's place fixed, so that writing rows changes
raw data only, never the file's metadata, and a run killed mid-write leaves
a readable ``.partial`` file whose torn chunk is rewritten on resume.
"""

import json
import os
import re

import numpy as np

from ..exceptions import DamagedStoreError
from ._checksums import CHECKSUMS, UNREADABLE, CheckedEntry, chunk_rows
from ._optional import import_h5py
from ._rows import inner_rows

_PURPOSE = "Writing and loading HDF5 datasets"
_TRUNCATED = re.compile(r"truncated file: eof = (\d+).*stored_eof = (\d+)")


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _chunk_bytes(dataset, rows):
    """The bytes on disk of the HDF5 chunks of ``dataset`` that hold ``rows``."""
    if dataset.chunks is None or rows.stop <= rows.start:
        return 0
    step = dataset.chunks[0]
    return sum(dataset.id.get_chunk_info_by_coord((row, *[0] * (dataset.ndim - 1))).size
               for row in range(rows.start, rows.stop, step))


def _record(records, k):
    try:
        return np.asarray(records[k], dtype=np.uint64)
    except OSError:  # unreadable: marked as such
        return np.full(records.shape[1:], UNREADABLE, dtype=np.uint64)


def _open_file(h5py, path, mode):
    """``h5py.File(path, mode)``; DamagedStoreError for a truncated file."""
    try:
        return h5py.File(path, mode)
    except OSError as error:
        truncated = _TRUNCATED.search(str(error))
        if truncated:
            size, expected = truncated.groups()
            raise DamagedStoreError(
                f"{path} is damaged: the file is truncated to {size} of its {expected} "
                "bytes, so HDF5 cannot open it: the chunks past its end, and maybe their "
                "index, are lost. Write it again with\n  from sciml_estimators.datasets import "
                f"repair_dataset\n  repair_dataset({str(path)!r})") from None
        raise


class Hdf5Entry(CheckedEntry):
    """One per-sample dataset, read by :class:`~._on_disk.OnDiskArray`.

    It reopens the file (read-only) when it was closed, e.g. after
    unpickling or after the ``with`` block of the Bunch that opened it.
    """

    def __init__(self, path, name, dataset=None):
        self.path, self.name, self._dataset = path, name, dataset

    def _data(self):
        if self._dataset is None or not self._dataset.id.valid:
            h5py = import_h5py(_PURPOSE)
            self._dataset = _open_file(h5py, self.path, "r")[self.name]
        return self._dataset

    def _store_info(self):
        if "_info" not in self.__dict__:
            store = Hdf5Store(self._data().file, self.path)
            attrs = store.attrs
            index = json.loads(attrs["per_sample"]).index(self.name)
            self._info = attrs, store.checksums()[:, index]
        return self._info

    def _stored_bytes(self, k):
        attrs, _ = self._store_info()
        return _chunk_bytes(self._data(), chunk_rows(k, attrs["chunk_size"], attrs["n_samples"]))

    def _suspects(self, rows, data):
        """Chunks to compare with their record: strings, and HDF5 chunks read as zeros."""
        attrs, _ = self._store_info()
        chunk_size = attrs["chunk_size"]
        if isinstance(rows, slice):
            rows = np.arange(*rows.indices(attrs["n_samples"]))
        if self.dtype.kind == "U":
            return set((np.atleast_1d(rows) // chunk_size).tolist())
        if np.ndim(rows) == 0:
            return {int(rows) // chunk_size} if not np.any(data) else set()
        if not len(rows):
            return set()
        # A zeroed HDF5 chunk reads as zeros in every row: one row of each tells.
        hdf5_rows = self._data().chunks[0]
        first = np.flatnonzero(np.r_[True, np.diff(rows // hdf5_rows) != 0])
        return {int(rows[i]) // chunk_size for i in first if not np.any(data[i])}

    @property
    def shape(self):
        return self._data().shape

    @property
    def dtype(self):
        h5py = import_h5py(_PURPOSE)
        dataset = self._data()
        is_str = h5py.check_string_dtype(dataset.dtype) is not None
        return np.dtype(str) if is_str else dataset.dtype

    def _read_raw(self, rows, rest):
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
        """Open ``path``; ValueError if it is not a readable HDF5 file.

        DamagedStoreError (a ValueError) if it is truncated.
        """
        h5py = import_h5py(_PURPOSE)
        try:
            file = _open_file(h5py, path, "r+" if writable else "r")
        except OSError as error:
            raise ValueError(f"{path}: not a readable HDF5 file: {error}.") from None
        return cls(file, path)

    @staticmethod
    def restore_length(path):
        """Whether ``path`` was truncated; if so, give it back its length with zeros.

        HDF5 then opens it and its root attributes (at the start of the file)
        can be read, though chunks and chunk indexes past the cut are lost.
        """
        h5py = import_h5py(_PURPOSE)
        try:
            h5py.File(path, "r").close()
        except OSError as error:
            truncated = _TRUNCATED.search(str(error))
            if not truncated:
                raise
            os.truncate(path, int(truncated.group(2)))
            return True
        return False

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

    def add_layout(self, n_chunks, n_entries):
        """The ``completed`` flags (all False), ``checksums`` and the empty ``per_set`` group."""
        self.file.create_dataset("completed", data=np.zeros(n_chunks, dtype=bool))
        self._create(CHECKSUMS, (n_chunks, n_entries, 2), np.uint64, (1, n_entries, 2))
        self.file.create_group("per_set")

    def _create(self, name, shape, dtype, chunks):
        """A dataset allocated now, with Fletcher-32 checksums unless it holds strings."""
        h5py = import_h5py(_PURPOSE)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        if chunks is not None and h5py.check_string_dtype(np.dtype(dtype)) is None:
            dcpl.set_fletcher32()
        self.file.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, dcpl=dcpl)

    def add_per_sample(self, name, n_samples, chunk_size, example):
        """Allocate ``name``: ``n_samples`` rows like ``example``'s, in HDF5 chunks of rows."""
        h5py = import_h5py(_PURPOSE)
        is_str = example.dtype.kind in "US"
        dtype = h5py.string_dtype("utf-8") if is_str else example.dtype
        shape = (n_samples, *example.shape[1:])
        rows = inner_rows(chunk_size, np.dtype(dtype).itemsize * int(np.prod(shape[1:])))
        self._create(name, shape, dtype, None if 0 in shape else (rows, *shape[1:]))

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
        dataset = self.file[name]
        if array.dtype.kind in "US":
            array = array.astype(str).astype(object)
        elif dataset.fletcher32 and (start + len(array)) % dataset.chunks[0]:
            # The last, partial HDF5 chunk: HDF5 reads it before writing, so a damaged one
            # would fail; zeros of the same size are a valid chunk (Fletcher-32 zero).
            last = (start + len(array)) // dataset.chunks[0] * dataset.chunks[0]
            offset = (last, *[0] * (dataset.ndim - 1))
            size = dataset.id.get_chunk_info_by_coord(offset).size
            dataset.id.write_direct_chunk(offset, bytes(size))
        dataset[start:start + len(array)] = array

    def stored_bytes(self, name, k):
        """The bytes of chunk ``k``'s HDF5 chunks of ``name``."""
        attrs = self.attrs
        return _chunk_bytes(self.file[name], chunk_rows(k, attrs["chunk_size"],
                                                        attrs["n_samples"]))

    def set_checksums(self, k, records):
        """Record chunk ``k``'s ``(bytes, crc)`` of every entry."""
        self.file[CHECKSUMS][k] = np.asarray(records, dtype=np.uint64)

    def checksums(self):
        """The records, ``(n_chunks, n_entries, 2)``; an unreadable one is UNREADABLE."""
        records = self.file[CHECKSUMS]
        try:
            return np.asarray(records[()], dtype=np.uint64)
        except OSError:  # a damaged record: read them one by one
            return np.stack([_record(records, k) for k in range(records.shape[0])])

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
