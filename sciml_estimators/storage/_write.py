"""Write any ``make_*`` dataset to disk in chunks, resumably and in parallel.

:func:`write_dataset` calls a ``make_*`` function once per chunk of rows and
writes every chunk at its place in a Zarr directory (the default) or an HDF5
file (a path ending in ``.h5`` or ``.hdf5``), so that sets larger than memory
can be simulated. Chunk ``k`` is
``make_dataset(size_k, random_state=seed_k, **options)`` with ``seed_k`` drawn
from ``np.random.SeedSequence([random_state, k])``: the data depend neither on
``n_jobs`` nor on interruptions. :func:`~._load.load_dataset` opens such a store
lazily, with every per-sample entry an :class:`~._on_disk.OnDiskArray`.

Layout (both formats)
---------------------
Per-sample entries of the Bunch (arrays whose first axis is the number of
samples, and dicts of them such as ``parameters``, stored as a group) sit at
the root, chunked along the first axis by generation chunk. Per-set entries
(``q``, ``target_names``, ``DESCR``, ...) come from chunk 0 and sit in the
group ``per_set``. The root attributes hold ``format``, ``format_version``
and the call (``generator``, ``version``, ``options`` as JSON,
``random_state``, ``n_samples``, ``chunk_size``); the array ``checksums``
records each chunk's bytes on disk and the CRC-32 of its rows, written after
the rows, and the boolean array ``completed`` tells which chunks are written
(:mod:`._checksums` describes the checks that use the records). The store is
written as ``<path>.partial`` and renamed to ``path`` once every chunk is
complete, so an existing ``path`` is complete. One process at a time writes
a store: it holds the lock of :mod:`._lock` from the checks of the target to
the final rename. :mod:`._zarr` and :mod:`._hdf5` describe what differs
(sharding, preallocation, each format's checksums); :mod:`._paths` the
checks before writing and the final rename. Every argument is checked
before anything is written.

An entry is per-sample when it is an array (or a dict of arrays) whose first
axis follows the number of samples in two calls of different sizes: chunk 0
and the last chunk, or chunk 0 and a small probe call whose result is
discarded when all chunks have one size. Per-sample entries must be numpy
arrays of numbers, booleans or strings.

Disk space: before generating past chunk 0, the whole set's size is
estimated and refused if it exceeds the free space. For HDF5, which
allocates every row when the file is created, the estimate is the
uncompressed bytes of chunk 0 per sample times ``n_samples``; for Zarr, which
compresses and grows as it goes, it is chunk 0's bytes on disk scaled to
``n_samples``. A disk that fills up anyway raises an OSError (``ENOSPC``)
naming the chunk; the ``.partial`` store is kept for ``resume=True``.
"""

import contextlib
import json
import os
from numbers import Integral

import numpy as np

from .._framework import Number, validate_params
from .._progress import chunked_progress
from ._checksums import CHECKSUMS, chunk_seed, rows_crc
from ._chunk_workers import check_client, generate_unordered
from ._lock import exclusive_writer
from ._paths import (
    FORMAT,
    FORMAT_VERSION,
    backend_for,
    check_folder,
    check_space,
    check_target,
    existing_backend,
    full_disk_error,
    install,
    is_full_disk,
    remove,
    tree_bytes,
)

_RESERVED = ("completed", CHECKSUMS, "per_set")
#: ``n_jobs``: joblib's convention, where 0 means nothing.
N_JOBS = [Number(Integral, None, -1, closed="right"), Number(Integral, 1, None,
                                                                   closed="left"), None]


def _generate(make_dataset, k, size, seed, options):
    """One chunk; runs in the worker processes."""
    return k, make_dataset(size, random_state=seed, **options)


def _options_json(options):
    try:
        return json.dumps(options, sort_keys=True)
    except (TypeError, ValueError) as error:
        bad = []
        for name, value in sorted(options.items()):
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                bad.append(name)
        raise TypeError(
            f"write_dataset stores the options as JSON to make the file reproducible; "
            f"option(s) {', '.join(bad) or '?'} are not JSON-serialisable ({error}). "
            "Pass numbers, strings, booleans, None, lists or dicts of them."
        ) from None


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def _first_axis(value):
    if isinstance(value, np.ndarray):
        return value.shape[0] if value.ndim else None
    if isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
        lengths = {v.shape[0] if v.ndim else None for v in value.values()}
        return lengths.pop() if len(lengths) == 1 else None
    return None


def _per_sample_names(first, size, other, other_size):
    """The per-sample entries, as paths such as ``data`` or ``parameters/radius``."""
    for bunch in (first, other):
        if not isinstance(bunch, dict):
            raise TypeError(
                f"make_dataset must return a Bunch (a dict); got {type(bunch).__name__}. "
                "Do not pass return_X_y=True."
            )
    names = []
    for name, value in first.items():
        if _first_axis(value) == size and _first_axis(other.get(name)) == other_size:
            if name in _RESERVED:
                raise ValueError(f"the Bunch entry {name!r} clashes with the file layout.")
            if isinstance(value, dict):
                names.extend(f"{name}/{key}" for key in value)
            else:
                names.append(name)
    if not names:
        raise ValueError("make_dataset returned no per-sample arrays.")
    return names


def get_entry(bunch, name):
    value = bunch
    for part in name.split("/"):
        value = value[part]
    return value


def _per_set_item(name, value):
    """``(kind, data)`` to store the per-set entry ``value``: "array", "str_array" or "json"."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return "array", value
    if isinstance(value, np.ndarray) and value.dtype.kind in "US":
        return "str_array", np.asarray(value, dtype=str)
    try:
        return "json", json.dumps(value, default=_json_default)
    except (TypeError, ValueError) as error:
        raise TypeError(f"per-set entry {name!r} cannot be stored: {error}.") from None


def _create_layout(store, bunch, names, n_samples, call):
    """Create the per-sample entries and write the per-set entries of ``bunch``."""
    store.set_attrs({"format": FORMAT, "format_version": FORMAT_VERSION, **call,
                     "per_sample": json.dumps(names)})
    chunk_size = call["chunk_size"]
    for name in names:
        if get_entry(bunch, name).dtype.kind not in "biufcUS":
            raise TypeError(f"per-sample entry {name!r} has dtype {get_entry(bunch, name).dtype}; "
                            "write_dataset stores numbers, booleans and strings.")
    top = {name.split("/")[0] for name in names}
    items = [(name, _per_set_item(name, value)) for name, value in bunch.items()
             if name not in top]
    # The small things first: in HDF5 they then lie before the rows, which are allocated
    # at once, so that a file cut short loses rows only (repair_dataset regenerates them).
    store.add_layout(-(-n_samples // chunk_size), len(names))
    for name, (kind, data) in items:
        store.add_per_set(name, kind, data)
    for name in names:
        store.add_per_sample(name, n_samples, chunk_size, get_entry(bunch, name))


def write_chunk(store, k, bunch, size, chunk_size, names):
    """Write chunk ``k``'s rows, then its checksums, then mark it complete."""
    start = k * chunk_size
    records = []
    for name in names:
        try:
            array = get_entry(bunch, name)
        except (KeyError, TypeError):
            raise ValueError(f"chunk {k}: make_dataset returned no {name!r}.") from None
        entry = store.entry(name)
        expected = (size, *entry.shape[1:])
        if not isinstance(array, np.ndarray) or array.shape != expected:
            raise ValueError(f"chunk {k}: {name!r} has shape {getattr(array, 'shape', None)}, "
                             f"expected {expected} as in chunk 0.")
        is_str = entry.dtype.kind == "U"
        if (array.dtype.kind in "US") != is_str or (not is_str and array.dtype != entry.dtype):
            raise ValueError(f"chunk {k}: {name!r} has dtype {array.dtype}, expected "
                             f"{entry.dtype} as in chunk 0.")
        store.write_rows(name, start, array)
        records.append((store.stored_bytes(name, k), rows_crc(array)))
    store.set_checksums(k, records)
    store.set_completed(k)


def _check_resume(store, call, partial):
    attrs = store.attrs
    if attrs.get("format") != FORMAT or not store.has_layout():
        raise ValueError(f"{partial} was not written by write_dataset; delete it.")
    for field, value in [("format_version", FORMAT_VERSION), *call.items()]:
        if attrs.get(field) != value:
            raise ValueError(
                f"cannot resume {partial}: its {field} is {attrs.get(field)!r} but this call "
                f"has {value!r}. Repeat the interrupted call, or delete the file."
            )


def _holds_call(path, call):
    """Whether ``path`` is a complete store written by this very call."""
    try:
        store = existing_backend(path).open(path)
    except (ValueError, OSError):
        return False
    try:
        attrs = store.attrs
        same = (attrs.get("format") == FORMAT and attrs.get("format_version") == FORMAT_VERSION
                and all(attrs.get(field) == value for field, value in call.items()))
        return same and all(store.completed())
    finally:
        store.close()


def _generated_chunks(make_dataset, todo, sizes, random_state, options, n_jobs, client):
    """Generate the chunks ``todo``; yields ``(k, bunch)`` in completion order.

    Here, on joblib's processes or on a Dask cluster, with about one chunk
    per worker in flight (see :func:`~._chunk_workers.generate_unordered`).
    """
    arguments = ((make_dataset, k, sizes[k], chunk_seed(random_state, k), options)
                 for k in todo)
    return generate_unordered(_generate, arguments, n_jobs=n_jobs, client=client)


@validate_params(
    {
        "make_dataset": [callable],
        "path": [str, os.PathLike],
        "n_samples": [Number(Integral, 1, None, closed="left")],
        "chunk_size": [Number(Integral, 1, None, closed="left")],
        "random_state": [Number(Integral, 0, None, closed="left")],
        "n_jobs": N_JOBS,
        "client": "no_validation",  # checked by check_client
        "resume": ["boolean"],
        "overwrite": ["boolean"],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def write_dataset(make_dataset, path, n_samples, *, chunk_size=1000, random_state=0, n_jobs=1,
                  client=None, resume=False, overwrite=False, progress=False, **options):
    """Simulate a dataset chunk by chunk into a Zarr or HDF5 store; resumable and parallel.

    Chunk ``k`` holds rows ``k * chunk_size`` onwards and is
    ``make_dataset(size_k, random_state=seed_k, **options)`` with
    ``seed_k = np.random.SeedSequence([random_state, k]).generate_state(1)[0]``,
    so the data are the same for any ``n_jobs`` and across interruptions (but
    they differ from one call ``make_dataset(n_samples, ...)``). The module
    documentation describes the layout.

    Parameters
    ----------
    make_dataset : callable
        A ``make_*`` function: ``make_dataset(n, random_state=seed, **options)``
        returns a Bunch. With ``n_jobs > 1`` it must be picklable.
    path : str or path-like
        Where to write: a Zarr (v3) directory, or an HDF5 file if it ends in
        ``.h5`` or ``.hdf5``.
    n_samples : int
        The number of samples in the file.
    chunk_size : int, default=1000
        Samples per call of ``make_dataset``: one Zarr shard or HDF5 chunk.
        Memory holds about one chunk per worker, plus the one being written
        (Zarr needs up to about 2.5 more while it encodes and checksums a
        shard of incompressible rows). With joblib processes, chunks that
        finish while the parent is still writing wait in memory; Dask
        workers get a new chunk only once the parent has taken a result.
    random_state : int, default=0
        The seed from which every chunk's seed is derived.
    n_jobs : int or None, default=1
        Processes generating chunks (joblib's convention: -1 for all
        cores; 0 is refused), or with ``client="local"`` the worker processes of the
        embedded Dask cluster. The parent process alone writes. Threads
        inside joblib's workers (numba, BLAS) are ``make_dataset``'s business:
        lower them with ``NUMBA_NUM_THREADS`` or threadpoolctl to avoid
        oversubscription; the embedded cluster runs single-threaded workers.
    client : None, "local", str or distributed.Client, default=None
        Where chunks are generated: None for joblib (which also follows a
        ``joblib.parallel_config(backend="dask")`` block), ``"local"`` for
        a Dask cluster on this machine started and closed here, a scheduler
        address (``"tcp://host:8786"``) for a running cluster, or a
        ``distributed.Client``, used as is. The file is the same wherever
        the chunks come from.
    resume : bool, default=False
        Finish ``<path>.partial`` left by an interrupted call with the same
        arguments, generating only its incomplete chunks. If ``path`` is
        already the complete store of the same call, return it as it is.
    overwrite : bool, default=False
        Replace an existing store at ``path`` written by ``write_dataset``
        (once the new store is complete); other files and folders are never
        replaced.
    progress : bool, default=False
        Show a progress bar over samples.
    **options : dict
        Keyword arguments of ``make_dataset``; they must be JSON-serialisable.

    Returns
    -------
    path : str or path-like
        ``path``, now a complete store.

    Raises
    ------
    ValueError
        If ``resume=True`` finds a ``.partial`` store written with other
        arguments (the field is named), ``path`` ends in ``.partial``, or
        an argument is invalid (``n_jobs=0``, say; before anything is
        written).
    StoreBusyError
        A ``BlockingIOError`` (from :mod:`sciml_estimators.exceptions`), if
        another process is writing the same ``path``; nothing is written or
        removed. The lock is released when its process ends, however it
        ends, so ``resume=True`` after a crash takes it again.
    FileExistsError
        If ``path`` exists without ``overwrite=True`` (the message says what
        it holds), or ``<path>.partial`` exists without ``resume=True``.
    FileNotFoundError, PermissionError
        If the folder of ``path`` is missing or not writable, or an existing
        ``path`` to overwrite is not writable.
    OSError
        With errno ``ENOSPC`` if the set clearly does not fit on the disk
        (checked after chunk 0), or if the disk fills up (the message names
        the chunk; finish with ``resume=True`` once there is space).
    TypeError
        If an option or a per-set entry is not JSON-serialisable.

    Examples
    --------
    >>> import tempfile, os
    >>> from sciml_estimators.datasets import load_dataset, make_dms, write_dataset
    >>> folder = tempfile.mkdtemp()
    >>> path = write_dataset(make_dms, os.path.join(folder, "dms.zarr"), 10,
    ...                      chunk_size=4, shape=(16, 16))
    >>> dms = load_dataset(path)
    >>> print(dms.data.shape, dms.data[[5, 0]].shape, dms.attrs["n_samples"])
    (10, 16, 16) (2, 16, 16) 10
    >>> path = write_dataset(make_dms, os.path.join(folder, "dms.h5"), 10,
    ...                      chunk_size=4, shape=(16, 16))
    >>> with load_dataset(path) as dms:
    ...     print(dms.data[:2].shape)
    (2, 16, 16)
    """
    from .. import __version__

    check_client(client)
    call = {
        "generator": f"{make_dataset.__module__}.{make_dataset.__qualname__}",
        "version": __version__,
        "options": _options_json(options),
        "random_state": int(random_state),
        "n_samples": int(n_samples),
        "chunk_size": int(chunk_size),
    }
    if resume and not overwrite and _holds_call(path, call):
        return path  # finished by an earlier call: resuming it is a no-op
    path_text = check_folder(path)
    with exclusive_writer(path_text):
        partial = check_target(path_text, overwrite, resume)
        write_store(make_dataset, path_text, partial, call, options, n_jobs, client,
                     progress)
        install(partial, path_text)
    return path


def write_store(make_dataset, path, partial, call, options, n_jobs, client, progress):
    """Create or resume ``partial`` and write its missing chunks."""
    backend = backend_for(path)
    n_samples, chunk_size = call["n_samples"], call["chunk_size"]
    n_chunks = -(-n_samples // chunk_size)
    sizes = [min(chunk_size, n_samples - k * chunk_size) for k in range(n_chunks)]
    if not os.path.lexists(partial):
        _start(backend, make_dataset, partial, sizes, call, options)
    try:
        store = backend.open(partial, writable=True)
    except ValueError as error:
        raise ValueError(f"cannot resume {partial}: {error} Delete it and repeat the "
                         "call.") from None
    try:
        _check_resume(store, call, partial)
        names = json.loads(store.attrs["per_sample"])
        todo = [k for k, done in enumerate(store.completed()) if not done]
        with chunked_progress(n_samples, f"writing {os.path.basename(path)}",
                              progress) as bar:
            bar.update(n_samples - sum(sizes[k] for k in todo))
            chunks = _generated_chunks(make_dataset, todo, sizes, call["random_state"],
                                       options, n_jobs, client)
            # closing: a failed write stops the workers (and a cluster started for them).
            with contextlib.closing(chunks):
                for n_done, (k, bunch) in enumerate(chunks, start=n_chunks - len(todo)):
                    try:
                        write_chunk(store, k, bunch, sizes[k], chunk_size, names)
                    except OSError as error:
                        if is_full_disk(error):
                            raise full_disk_error(error, k, partial, n_done,
                                                  n_chunks) from error
                        raise
                    del bunch
                    bar.update(sizes[k])
    finally:
        store.close()


def _start(backend, make_dataset, partial, sizes, call, options):
    """Create ``<path>.partial`` with its layout and chunk 0 (and the last chunk)."""
    seed = chunk_seed(call["random_state"], 0)
    first = make_dataset(sizes[0], random_state=seed, **options)
    if sizes[-1] != sizes[0]:
        other_k, other_size = len(sizes) - 1, sizes[-1]
        other = make_dataset(other_size, random_state=chunk_seed(call["random_state"], other_k),
                             **options)
    else:
        other_k, other = None, None
        for other_size in dict.fromkeys([max(sizes[0] // 2, 1), sizes[0] + 1]):
            if other_size == sizes[0]:
                continue
            try:
                other = make_dataset(other_size, random_state=seed, **options)
                break
            except ValueError:
                continue
        if other is None:
            raise ValueError("make_dataset failed on a probe call of another size, needed to "
                             "tell per-sample from per-set entries; change chunk_size.")
    names = _per_sample_names(first, sizes[0], other, other_size)
    n_samples = sum(sizes)
    if backend.preallocates:
        row_bytes = sum(get_entry(first, name).nbytes for name in names) / sizes[0]
        check_space(partial, row_bytes * n_samples, "uncompressed, allocated at once")
    # Built under another name and renamed, so a .partial store always has its layout.
    init = partial + ".init"
    remove(init)
    store = backend.create(init)
    try:
        _create_layout(store, first, names, n_samples, call)
        write_chunk(store, 0, first, sizes[0], call["chunk_size"], names)
        if other_k is not None:
            write_chunk(store, other_k, other, sizes[-1], call["chunk_size"], names)
    except BaseException as error:
        store.close()
        remove(init)  # never a .partial store: nothing to resume from
        if isinstance(error, OSError) and is_full_disk(error):
            raise full_disk_error(error, 0, partial, 0, len(sizes)) from error
        raise
    store.close()
    if not backend.preallocates:
        written = sizes[0] + (sizes[-1] if other_k is not None else 0)
        try:
            check_space(partial, tree_bytes(init) / written * (n_samples - written),
                        "chunk 0's compressed size on disk, scaled")
        except OSError:
            remove(init)
            raise
    os.replace(init, partial)
