"""The Zarr (v3) backend of :func:`~sciml_estimators.datasets.write_dataset`, the default.

A directory: the call in the root group's attributes; each per-sample entry
an array sharded along the first axis, one shard (one file) per generation
chunk, whose inner chunks are whole rows of at most about 1 MiB, so that a
random row costs one small read; per-set entries in the group ``per_set``
(arrays, and JSON text in its attributes); and the boolean array
``completed`` with one file per flag, written (atomically) after the
chunk's shard, so that a run killed mid-write never marks a chunk complete
that is not. An unreadable flag counts as incomplete. Same interface as
:mod:`._hdf5`.
"""

import os

import numpy as np

from ._optional import import_zarr

#: Inner (read) chunks hold whole rows and at most this many bytes (at least one row).
_INNER_CHUNK_BYTES = 2**20
_PURPOSE = "Writing and loading Zarr datasets"


def _open_group(path, mode):
    zarr = import_zarr(_PURPOSE)
    return zarr.open_group(store=os.fspath(path), mode=mode, zarr_format=3)


def inner_rows(chunk_size, row_bytes):
    """The most rows, dividing ``chunk_size``, of at most ``_INNER_CHUNK_BYTES`` (>= 1).

    Examples
    --------
    >>> inner_rows(1000, 4096), inner_rows(1000, 2**21), inner_rows(7, 10)
    (250, 1, 7)
    """
    limit = max(1, _INNER_CHUNK_BYTES // max(row_bytes, 1))
    return max(d for d in range(1, min(chunk_size, limit) + 1) if chunk_size % d == 0)


def _str_array(value):
    """A numpy ``str`` array from Zarr's variable-length strings (numpy's StringDType)."""
    return np.array(value.tolist(), dtype=str).reshape(value.shape)


class ZarrEntry:
    """One per-sample array, read by :class:`~._on_disk.OnDiskArray`; opened lazily."""

    def __init__(self, path, name, array=None):
        self.path, self.name, self._array = path, name, array

    def _data(self):
        if self._array is None:
            self._array = _open_group(self.path, "r")[self.name]
        return self._array

    @property
    def shape(self):
        return self._data().shape

    @property
    def dtype(self):
        dtype = self._data().dtype
        return np.dtype(str) if dtype.kind in "TUSO" else dtype

    def read(self, rows, rest):
        """``array[(rows, *rest)]``; rows an int, a slice or sorted unique ints."""
        array = self._data()
        key = (rows, *rest)
        data = array.oindex[key] if isinstance(rows, np.ndarray) else array[key]
        data = np.asarray(data)
        return _str_array(data) if self.dtype.kind == "U" else data


class ZarrStore:
    """An open Zarr group written by :func:`~sciml_estimators.datasets.write_dataset`."""

    kind = "Zarr directory"
    #: Whether ``add_per_sample`` reserves the whole set's bytes at once.
    preallocates = False

    def __init__(self, group, path):
        self.group, self.path = group, path

    @staticmethod
    def recognises(path):
        """Whether ``path`` is a directory (a Zarr store, or meant to be one)."""
        return os.path.isdir(path)

    @classmethod
    def create(cls, path):
        """A new, empty group at ``path`` (which must not exist)."""
        if os.path.lexists(path):
            raise FileExistsError(f"{path} exists.")
        return cls(_open_group(path, "w-"), path)

    @classmethod
    def open(cls, path, writable=False):
        """Open ``path``; ValueError if it is not a Zarr v3 group."""
        import_zarr(_PURPOSE)
        if not os.path.isdir(path):
            raise ValueError(f"{path}: not a directory, so not a Zarr store.")
        try:
            group = _open_group(path, "r+" if writable else "r")
        except Exception as error:  # zarr raises several types for a non-Zarr folder
            raise ValueError(f"{path}: not a readable Zarr (v3) group: {error}.") from None
        return cls(group, path)

    @classmethod
    def open_entry(cls, path, name):
        """The per-sample entry ``name`` of the store at ``path``, opened lazily."""
        return ZarrEntry(path, name)

    @property
    def attrs(self):
        """The root attributes."""
        return dict(self.group.attrs)

    def set_attrs(self, attrs):
        """Store ``attrs`` (str, int or float values) as root attributes."""
        self.group.attrs.update(attrs)

    def has_layout(self):
        """Whether the store has the ``completed`` flags and the ``per_set`` group."""
        return "completed" in self.group and "per_set" in self.group

    def add_layout(self, n_chunks):
        """The ``completed`` flags (all False, a file each) and the empty ``per_set`` group."""
        self.group.create_array("completed", shape=(n_chunks,), dtype=bool, chunks=(1,),
                                fill_value=False, compressors=None)
        self.group.create_group("per_set")

    def add_per_sample(self, name, n_samples, chunk_size, example):
        """Create ``name``: ``n_samples`` rows like ``example``'s, one shard per chunk."""
        row_shape = tuple(max(n, 1) for n in example.shape[1:])
        row_bytes = example.nbytes // max(len(example), 1)
        rows = inner_rows(chunk_size, row_bytes)
        dtype = str if example.dtype.kind in "US" else example.dtype
        self.group.create_array(name, shape=(n_samples, *example.shape[1:]), dtype=dtype,
                                chunks=(rows, *row_shape), shards=(chunk_size, *row_shape))

    def add_per_set(self, name, kind, value):
        """Store a per-set entry: ``kind`` "array" (numbers), "str_array" or "json" (text)."""
        group = self.group["per_set"]
        if kind == "json":
            group.attrs[name] = value
            return
        array = group.create_array(name, shape=value.shape,
                                   dtype=str if kind == "str_array" else value.dtype)
        array.attrs["kind"] = kind
        if value.size:
            array[...] = value

    def per_set(self):
        """The per-set entries as ``{name: (kind, value)}``; text for "json"."""
        group = self.group["per_set"]
        found = {name: ("json", text) for name, text in group.attrs.items()}
        for name, array in group.arrays():
            kind = array.attrs["kind"]
            value = np.asarray(array[...])
            found[name] = kind, _str_array(value) if kind == "str_array" else value
        return dict(sorted(found.items()))

    def entry(self, name):
        """The per-sample entry ``name``, sharing this open group."""
        return ZarrEntry(self.path, name, self.group[name])

    def write_rows(self, name, start, array):
        """Write ``array`` at rows ``start`` onwards of ``name`` (a whole shard per chunk)."""
        if array.dtype.kind == "S":
            array = array.astype(str)
        target = self.group[name]
        # Zarr merges a write into the existing shard, reading it first: remove the shard
        # of an interrupted attempt, whole or not, so that the chunk is written afresh.
        shard = start // target.shards[0], *[0] * (target.ndim - 1)
        old = os.path.join(self.path, name, target.metadata.encode_chunk_key(shard))
        if os.path.isfile(old):
            os.remove(old)
        target[start:start + len(array)] = array

    def set_completed(self, k):
        """Mark chunk ``k`` complete (after its rows: each write is atomic)."""
        self.group["completed"][k] = True

    def completed(self):
        """The completion flag of every chunk; an unreadable flag is False."""
        flags = self.group["completed"]
        try:
            return np.asarray(flags[:], dtype=bool)
        except Exception:  # a damaged flag file: read them one by one
            return np.array([_flag(flags, k) for k in range(flags.shape[0])], dtype=bool)

    def close(self):
        """Nothing to close: every write is on disk when it returns."""


def _flag(flags, k):
    try:
        return bool(flags[k])
    except Exception:  # unreadable counts as incomplete
        return False
