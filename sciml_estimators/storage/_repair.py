"""Regenerate damaged chunks of a complete store in place: :func:`repair_dataset`.

Chunk ``k`` of a store is ``make_dataset(size_k, random_state=seed_k,
**options)`` with the generator, seed and options the store records, so
it can be made again alone. Before it is written, its CRC-32 must equal the
one recorded when the store was written: a generator that now gives other
numbers (another version of a dependency, say) is refused rather than mixed
in. ``write_dataset(..., resume=True)`` keeps its meaning (a complete store is
returned unchanged); repairing is this separate call.
"""

import importlib
import json
import os
from numbers import Integral

from .._framework import validate_params
from ._checksums import (
    UNREADABLE,
    chunk_rows,
    chunk_seed,
    damage_error,
    damaged_chunks,
    rows_crc,
)
from ._load import CALL_FIELDS, check_written
from ._lock import exclusive_writer
from ._paths import existing_backend, install
from ._write import get_entry, write_chunk, write_store


def _import_generator(name):
    """The function ``module.qualname``; ValueError if it cannot be imported."""
    module, _, qualname = name.rpartition(".")
    while module:
        try:
            found = importlib.import_module(module)
            break
        except ImportError:
            module, _, first = module.rpartition(".")
            qualname = f"{first}.{qualname}"
    else:
        found = None
    try:
        for part in qualname.split("."):
            found = getattr(found, part)
    except AttributeError:
        found = None
    if not callable(found):
        raise ValueError(f"the store's generator {name} cannot be imported; pass it as "
                         "make_dataset=.")
    return found


@validate_params(
    {"path": [str, os.PathLike], "chunks": ["array-like", None],
     "make_dataset": [callable, None]},
    prefer_skip_nested_validation=True,
)
def repair_dataset(path, chunks=None, *, make_dataset=None):
    """Regenerate damaged chunks of a store written by :func:`write_dataset`, in place.

    :func:`load_dataset` names the damaged chunks and gives this call. Each
    chunk is generated again from the generator, seed and options the store
    records, checked against the CRC-32 recorded when it was first written,
    and written over the damaged one; the store then holds the same bytes
    as before the damage.

    Parameters
    ----------
    path : str or path-like
        A complete store written by :func:`write_dataset`.
    chunks : array-like of int or None, default=None
        The generation chunks to regenerate. None: every damaged chunk, found
        by reading the whole store once (as ``load_dataset(path,
        verify=True)``).
    make_dataset : callable or None, default=None
        The generator, when the one recorded in the store (its
        ``module.qualname``) cannot be imported, e.g. a function defined in
        a script.

    Returns
    -------
    path : str or path-like
        ``path``, repaired.

    Raises
    ------
    ValueError
        If ``path`` is not a complete store of this format version, a chunk
        index is out of range, the store was written by another version of
        sciml_estimators, or a regenerated chunk differs from the one
        recorded (nothing of it is written then).
    DamagedStoreError
        If chunks are still damaged afterwards (they were not all named).
    StoreBusyError
        If another process is writing the store.

    Examples
    --------
    >>> import os, tempfile
    >>> from sciml_estimators.datasets import make_dms, repair_dataset
    >>> path = os.path.join(tempfile.mkdtemp(), "d.zarr")
    >>> dms = make_dms(6, shape=(8, 8), out=path, chunk_size=2, random_state=0)
    >>> before = dms.data[:]
    >>> os.remove(os.path.join(path, "data", "c", "1", "0", "0"))  # chunk 1's shard
    >>> _ = repair_dataset(path, chunks=[1])
    >>> bool((make_dms(6, shape=(8, 8), out=path, chunk_size=2, random_state=0,
    ...                resume=True).data[:] == before).all())
    True
    """
    from .. import __version__

    text = os.fspath(path)
    backend = existing_backend(text)
    with exclusive_writer(text):
        # An HDF5 file cut short may have lost chunk indexes too: it is written again whole.
        truncated = backend.preallocates and backend.restore_length(text)
        store = backend.open(text, writable=not truncated)
        try:
            attrs = store.attrs
            check_written(store, text)
            n_chunks = -(-attrs["n_samples"] // attrs["chunk_size"])
            if truncated:
                todo = list(range(n_chunks))
            elif chunks is None:
                todo = sorted(damaged_chunks(store))
            else:
                todo = _chunk_list(chunks, n_chunks)
            _check_version(attrs, todo, text, __version__)
            make = make_dataset or _import_generator(attrs["generator"])
            for k in [] if truncated else todo:
                _regenerate(store, make, k, attrs, text)
            left = {} if truncated else {k: why for k, why in damaged_chunks(store).items()
                                         if k in todo}
        finally:
            store.close()
        if truncated:
            partial = f"{text}.partial"
            call = {field: attrs[field] for field in CALL_FIELDS}
            write_store(make, text, partial, call, json.loads(attrs["options"]), 1, None,
                        False)
            install(partial, text)
    if left:
        raise damage_error(text, attrs, left)
    return path


def _check_version(attrs, todo, path, version):
    if todo and attrs["version"] != version:
        raise ValueError(
            f"{path} was written by sciml_estimators {attrs['version']}, this is {version}: "
            f"its chunks may come out differently. Repair it with version "
            f"{attrs['version']}, or write it again with overwrite=True.")


def _chunk_list(chunks, n_chunks):
    chunks = list(chunks)
    if not all(isinstance(k, Integral) and 0 <= k < n_chunks for k in chunks):
        raise ValueError(f"chunks must be ints from 0 to {n_chunks - 1}; got {chunks}.")
    return sorted({int(k) for k in chunks})


def _regenerate(store, make, k, attrs, path):
    """Generate chunk ``k`` again, check it against its records and write it."""
    rows = chunk_rows(k, attrs["chunk_size"], attrs["n_samples"])
    size = rows.stop - rows.start
    bunch = make(size, random_state=chunk_seed(attrs["random_state"], k),
                 **json.loads(attrs["options"]))
    names = json.loads(attrs["per_sample"])
    records = store.checksums()[k]
    for name, (_, crc) in zip(names, records):
        if crc != UNREADABLE and rows_crc(get_entry(bunch, name)) != crc:
            raise ValueError(
                f"{path}: chunk {k} generated again differs from the one written (entry "
                f"{name!r}), so it is not written: the generator or its dependencies give "
                f"other numbers now. Write the whole store again with overwrite=True.")
    write_chunk(store, k, bunch, size, attrs["chunk_size"], names)
