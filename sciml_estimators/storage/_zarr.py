"""The Zarr (v3) backend of :func:`~sciml_estimators.datasets.write_dataset`, the default.

A directory: the call in the root group's attributes; each per-sample entry
an array sharded along the first axis, one shard (one file) per generation
chunk, whose inner chunks are whole rows of at most about 1 MiB, so that a
random row costs one small read; per-set entries in the group ``per_set``
(arrays, and JSON text in its attributes); the array ``checksums`` (see
:mod:`._checksums`: each shard's size and its rows' CRC-32, one file per
generation chunk) and the boolean array ``completed`` with one file per
flag, both written (atomically) after the chunk's shards, so that a run
killed mid-write never marks a chunk complete that is not. An unreadable
flag counts as incomplete. Same interface as :mod:`._hdf5`.

Checksums: every inner chunk is compressed with Zstandard and then carries
its CRC-32C (Zarr's ``crc32c`` codec), as does every shard's index (Zarr's
default), so changed bytes fail the read; the records of ``checksums``
catch what Zarr reads as zeros without complaint, a missing shard file.
"""

import json
import os

import numpy as np

from ._checksums import CHECKSUMS, UNREADABLE, CheckedEntry
from ._optional import import_zarr
from ._rows import inner_rows

_PURPOSE = "Writing and loading Zarr datasets"


def _open_group(path, mode):
    zarr = import_zarr(_PURPOSE)
    return zarr.open_group(store=os.fspath(path), mode=mode, zarr_format=3)


def _str_array(value):
    """A numpy ``str`` array from Zarr's variable-length strings (numpy's StringDType)."""
    return np.array(value.tolist(), dtype=str).reshape(value.shape)


def _shard_file(path, array, k):
    """The file of generation chunk ``k``'s shard of ``array`` (in the store at ``path``)."""
    key = array.metadata.encode_chunk_key((k, *[0] * (array.ndim - 1)))
    return os.path.join(path, array.path, key)


def _compressors(zarr):
    """Zstandard, then a CRC-32C of the compressed bytes (checked on every read)."""
    return [zarr.codecs.ZstdCodec(level=0), zarr.codecs.Crc32cCodec()]


class ZarrEntry(CheckedEntry):
    """One per-sample array, read by :class:`~._on_disk.OnDiskArray`; opened lazily."""

    checks_sizes_on_read = True

    def __init__(self, path, name, array=None, group=None):
        self.path, self.name, self._array, self._group = path, name, array, group

    def _data(self):
        if self._array is None:
            self._group = _open_group(self.path, "r")
            self._array = self._group[self.name]
        return self._array

    def _store_info(self):
        if "_info" not in self.__dict__:
            self._data()
            store = ZarrStore(self._group, self.path)
            attrs = store.attrs
            index = json.loads(attrs["per_sample"]).index(self.name)
            self._info = attrs, store.checksums()[:, index]
        return self._info

    def _stored_bytes(self, k):
        try:
            return os.stat(_shard_file(self.path, self._data(), k)).st_size
        except FileNotFoundError:
            return None

    def _suspects(self, rows, data):
        return ()

    @property
    def shape(self):
        return self._data().shape

    @property
    def dtype(self):
        dtype = self._data().dtype
        return np.dtype(str) if dtype.kind in "TUSO" else dtype

    def _read_raw(self, rows, rest):
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

    def add_layout(self, n_chunks, n_entries):
        """The ``completed`` flags (all False, a file each), ``checksums`` and ``per_set``."""
        zarr = import_zarr(_PURPOSE)
        self.group.create_array("completed", shape=(n_chunks,), dtype=bool, chunks=(1,),
                                fill_value=False, compressors=None)
        self.group.create_array(CHECKSUMS, shape=(n_chunks, n_entries, 2), dtype=np.uint64,
                                chunks=(1, n_entries, 2), fill_value=0,
                                compressors=[zarr.codecs.Crc32cCodec()])
        self.group.create_group("per_set")

    def add_per_sample(self, name, n_samples, chunk_size, example):
        """Create ``name``: ``n_samples`` rows like ``example``'s, one shard per chunk."""
        row_shape = tuple(max(n, 1) for n in example.shape[1:])
        row_bytes = example.nbytes // max(len(example), 1)
        rows = inner_rows(chunk_size, row_bytes)
        dtype = str if example.dtype.kind in "US" else example.dtype
        self.group.create_array(name, shape=(n_samples, *example.shape[1:]), dtype=dtype,
                                chunks=(rows, *row_shape), shards=(chunk_size, *row_shape),
                                compressors=_compressors(import_zarr(_PURPOSE)))

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
        return ZarrEntry(self.path, name, self.group[name], self.group)

    def write_rows(self, name, start, array):
        """Write ``array`` at rows ``start`` onwards of ``name`` (a whole shard per chunk)."""
        if array.dtype.kind == "S":
            array = array.astype(str)
        # Every shard written, even one of fill values only (a chunk of empty masks):
        # the checksums and the resume read each chunk's shard file. (The option is
        # an array handle's, taken when it is opened, and not kept in the metadata.)
        with import_zarr(_PURPOSE).config.set({"array.write_empty_chunks": True}):
            target = self.group[name]
            # Zarr merges a write into the existing shard, reading it first: remove the
            # shard of an interrupted attempt (or a damaged one), so that the chunk is
            # written afresh.
            old = _shard_file(self.path, target, start // target.shards[0])
            if os.path.isfile(old):
                os.remove(old)
            target[start:start + len(array)] = array

    def stored_bytes(self, name, k):
        """The size of chunk ``k``'s shard file of ``name``."""
        return os.stat(_shard_file(self.path, self.group[name], k)).st_size

    def set_checksums(self, k, records):
        """Record chunk ``k``'s ``(bytes, crc)`` of every entry (one atomic file)."""
        self.group[CHECKSUMS][k] = np.asarray(records, dtype=np.uint64)

    def checksums(self):
        """The records, ``(n_chunks, n_entries, 2)``; an unreadable one is UNREADABLE."""
        records = self.group[CHECKSUMS]
        try:
            return np.asarray(records[:], dtype=np.uint64)
        except Exception:  # a damaged record file: read them one by one
            return np.stack([_record(records, k) for k in range(records.shape[0])])

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


def _record(records, k):
    try:
        return np.asarray(records[k], dtype=np.uint64)
    except Exception:  # unreadable: marked as such
        return np.full(records.shape[1:], UNREADABLE, dtype=np.uint64)


def _flag(flags, k):
    try:
        return bool(flags[k])
    except Exception:  # unreadable counts as incomplete
        return False
