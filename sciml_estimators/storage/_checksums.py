"""Checksums of stored chunks: recorded when written, checked when opened and read.

Every generation chunk ``k`` of every per-sample entry has a record in the
array ``checksums`` of the store, of shape ``(n_chunks, n_entries, 2)``
(entries in the order of the ``per_sample`` attribute): the bytes the chunk
takes on disk and the CRC-32 of its rows (:func:`rows_crc`, of the values,
not of their encoding). ``write_dataset`` writes it after the chunk's rows
and before the chunk's ``completed`` flag.

Three checks use it, all raising
:class:`~sciml_estimators.exceptions.DamagedStoreError` with the
``repair_dataset(...)`` call that regenerates the chunks:

* opening (:func:`check_sizes`): every Zarr shard file exists with its
  recorded size; metadata only, one ``os.stat`` a shard. An HDF5 file
  allocates its chunks when it is created, so HDF5 itself checks, when it
  opens the file, that the file is as long as its superblock says;
* reading (:class:`CheckedEntry`, the base of both backends' entries): the
  formats' own checksums (Zarr: CRC-32C of every inner chunk and of each
  shard's index; HDF5: Fletcher-32 of every HDF5 chunk) fail the read of
  changed bytes, and the failure is located to its chunks. What they cannot
  see is compared with the record: a Zarr shard that is missing or has
  another size (Zarr would read it as zeros); in HDF5, rows that read back
  as zeros (the Fletcher-32 of zeros is zero, so a zeroed chunk passes it)
  and strings (HDF5 cannot filter variable-length strings), whose chunk is
  read whole once and its CRC-32 compared;
* :func:`damaged_chunks`: every chunk read and compared, for
  ``load_dataset(path, verify=True)`` and ``repair_dataset``.
"""

import json
import zlib

import numpy as np

from ..exceptions import DamagedStoreError

#: The name of the records' array in a store.
CHECKSUMS = "checksums"
#: A record that could not be read (its bytes count is never this).
UNREADABLE = np.iinfo(np.uint64).max


def rows_crc(array):
    """The CRC-32 of an array's values: its native bytes, or its strings joined by NUL.

    Examples
    --------
    >>> import numpy as np
    >>> rows_crc(np.arange(3)) == rows_crc(np.arange(3).astype(">i8"))
    True
    >>> rows_crc(np.array(["a", "bc"])) == rows_crc(np.array(["a", "bc"], dtype="<U9"))
    True
    """
    array = np.asarray(array)
    if array.dtype.kind in "USTO":
        return zlib.crc32("\0".join(map(str, array.ravel().tolist())).encode("utf-8"))
    native = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("="))
    return zlib.crc32(memoryview(native).cast("B"))


def chunk_seed(random_state, k):
    """The seed of chunk ``k``: ``SeedSequence([random_state, k])``'s first word."""
    return int(np.random.SeedSequence([random_state, k]).generate_state(1)[0])


def chunk_rows(k, chunk_size, n_samples):
    """The rows of generation chunk ``k``, as a slice."""
    return slice(k * chunk_size, min((k + 1) * chunk_size, n_samples))


def repair_text(path, chunks):
    """The call that regenerates ``chunks`` of the store at ``path``."""
    return f"repair_dataset({str(path)!r}, chunks={sorted(chunks)})"


def chunk_call(attrs, k):
    """The ``make_dataset(...)`` call that makes chunk ``k`` of the store of ``attrs``."""
    rows = chunk_rows(k, attrs["chunk_size"], attrs["n_samples"])
    size = rows.stop - rows.start
    options = "".join(f", {name}={value!r}"
                      for name, value in json.loads(attrs.get("options", "{}")).items())
    return (f"{attrs['generator']}({size}, "
            f"random_state={chunk_seed(attrs['random_state'], k)}{options})")


def damage_error(path, attrs, damaged):
    """The error for ``damaged``: ``{chunk: [(entry, what is wrong), ...]}``."""
    lines = []
    for k in sorted(damaged):
        rows = chunk_rows(k, attrs["chunk_size"], attrs["n_samples"])
        problems = "; ".join(f"entry {name!r}: {why}" for name, why in damaged[k])
        lines.append(f"  chunk {k} (rows {rows.start}-{rows.stop - 1}, "
                     f"{chunk_call(attrs, k)}): {problems}")
    return DamagedStoreError(
        f"{path} is damaged: {len(damaged)} chunk(s) of "
        f"{-(-attrs['n_samples'] // attrs['chunk_size'])} hold missing or changed bytes, so "
        "their rows are not returned.\n" + "\n".join(lines) + "\nRegenerate them with\n"
        "  from sciml_estimators.datasets import repair_dataset\n"
        f"  {repair_text(path, damaged)}"
    )


class CheckedEntry:
    """Base of the backends' per-sample entries: a read never returns damaged rows.

    A backend's entry defines ``path``, ``name``, ``_read_raw(rows, rest)``
    (the read itself), ``_store_info()`` (the root attributes and the
    entry's records, ``(n_chunks, 2)``), ``_stored_bytes(k)`` (None when the
    chunk is missing) and ``_suspects(rows, data)`` (the chunks whose rows
    must be compared with their record).
    """

    #: Whether a read checks each Zarr shard file's size first.
    checks_sizes_on_read = False

    def read(self, rows, rest):
        """``entry[(rows, *rest)]``; rows an int, a slice or sorted unique ints."""
        chunks = self._chunks_of(rows)
        if self.checks_sizes_on_read:
            self._raise_for({k: self._size_problem(k) for k in chunks})
        try:
            data = self._read_raw(rows, rest)
        except Exception as error:  # each format raises its own types
            self._raise_for({k: self.chunk_damage(k) for k in chunks}, cause=error)
            raise
        verified = self.__dict__.setdefault("_verified", set())
        suspects = set(self._suspects(rows, data)) - verified
        self._raise_for({k: self.chunk_damage(k) for k in sorted(suspects)})
        verified.update(suspects)
        return data

    def _chunks_of(self, rows):
        attrs, _ = self._store_info()
        chunk_size = attrs["chunk_size"]
        if isinstance(rows, slice):
            start, stop, _ = rows.indices(attrs["n_samples"])
            return list(range(start // chunk_size, (stop - 1) // chunk_size + 1)) \
                if stop > start else []
        return sorted(set((np.atleast_1d(rows) // chunk_size).tolist()))

    def _raise_for(self, problems, cause=None):
        damaged = {k: [(self.name, why)] for k, why in problems.items() if why}
        if damaged:
            raise damage_error(self.path, self._store_info()[0], damaged) from cause

    def _size_problem(self, k):
        _, records = self._store_info()
        expected, stored = records[k][0], self._stored_bytes(k)
        if expected == UNREADABLE:
            return "its checksum record is unreadable"
        if stored is None:
            return "its shard file is missing"
        if stored != expected:
            return f"{stored} bytes on disk instead of the {expected} written"
        return None

    def chunk_damage(self, k):
        """What is wrong with chunk ``k`` (missing, resized, unreadable, changed), or None.

        Parameters
        ----------
        k : int
            The generation chunk.

        Returns
        -------
        problem : str or None
            None when its bytes and rows are those written.
        """
        attrs, records = self._store_info()
        try:
            problem = self._size_problem(k)
            if problem:
                return problem
            data = self._read_raw(chunk_rows(k, attrs["chunk_size"], attrs["n_samples"]), ())
        except Exception as error:  # each format raises its own types
            return f"unreadable ({type(error).__name__}: {error})"
        if rows_crc(data) != records[k][1]:
            return "its rows differ from those written (CRC-32 mismatch)"
        return None


def check_sizes(store, path):
    """Raise DamagedStoreError unless every chunk is on disk with its recorded size.

    Parameters
    ----------
    store : ZarrStore or Hdf5Store
        The open store.
    path : str
        Its path, for the message.
    """
    attrs, damaged = store.attrs, {}
    for name in json.loads(attrs["per_sample"]):
        entry = store.entry(name)
        if entry.checks_sizes_on_read:
            for k in range(len(entry._store_info()[1])):
                why = entry._size_problem(k)
                if why:
                    damaged.setdefault(k, []).append((name, why))
    if damaged:
        raise damage_error(path, attrs, damaged)


def damaged_chunks(store):
    """Every damaged chunk of ``store``: ``{chunk: [(entry, what is wrong), ...]}``.

    Parameters
    ----------
    store : ZarrStore or Hdf5Store
        The open store; every chunk of every per-sample entry is read once.

    Returns
    -------
    damaged : dict
        Empty when the store holds what was written.
    """
    damaged = {}
    for name in json.loads(store.attrs["per_sample"]):
        entry = store.entry(name)
        for k in range(len(entry._store_info()[1])):
            why = entry.chunk_damage(k)
            if why:
                damaged.setdefault(k, []).append((name, why))
    return damaged
