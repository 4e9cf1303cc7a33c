"""Write any ``make_*`` dataset to disk in chunks, resumably and in parallel.

:func:`write_dataset` calls a ``make_*`` function once per chunk of rows and
writes every chunk at its place in an HDF5 file, so that sets larger than
memory can be simulated. Chunk ``k`` is
``make_dataset(size_k, random_state=seed_k, **options)`` with ``seed_k`` drawn
from ``np.random.SeedSequence([random_state, k])``: the file depends neither on
``n_jobs`` nor on interruptions. :func:`load_dataset` opens such a file lazily.

File layout
-----------
Per-sample entries of the Bunch (arrays whose first axis is the number of
samples, and dicts of them such as ``parameters``, stored as a group) are
datasets at the root, chunked along the first axis. Per-set entries (``q``,
``target_names``, ``DESCR``, ...) come from chunk 0 and sit in the group
``per_set``. The root attributes hold the call (``generator``, ``version``,
``options`` as JSON, ``random_state``, ``n_samples``, ``chunk_size``) and the
boolean dataset ``completed`` tells which chunks are written. The file is
written as ``<path>.partial`` and renamed to ``path`` once every chunk is
complete, so an existing ``path`` is a complete file.

An entry is per-sample when it is an array (or a dict of arrays) whose first
axis follows the number of samples in two calls of different sizes: chunk 0
and the last chunk, or chunk 0 and a small probe call whose result is
discarded when all chunks have one size. Per-sample entries must be numpy
arrays of numbers, booleans or strings.
"""

import json
import os
from numbers import Integral

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, validate_params

from .._progress import chunked_progress
from ._h5py import import_h5py

#: The value of the ``format`` attribute that marks files written here.
FORMAT = "sciml_estimators.write_dataset"
_SUFFIXES = (".h5", ".hdf5")
_RESERVED = ("completed", "per_set")
_CALL_FIELDS = ("generator", "version", "options", "random_state", "n_samples", "chunk_size")
#: An HDF5 chunk holds at most this many bytes (the format's limit is 4 GiB).
_MAX_CHUNK_BYTES = 2**30


def chunk_seed(random_state, k):
    """The seed of chunk ``k``: ``SeedSequence([random_state, k])``'s first word."""
    return int(np.random.SeedSequence([random_state, k]).generate_state(1)[0])


def _generate(make_dataset, k, size, seed, options):
    """One chunk; runs in the worker processes."""
    return k, make_dataset(size, random_state=seed, **options)


def _check_target(path, overwrite, resume):
    """Errors that must come before any generation; returns the ``.partial`` path."""
    text = os.fspath(path)
    if not text.lower().endswith(_SUFFIXES):
        raise ValueError(
            f"{text}: only HDF5 is supported for now (a path ending in .h5 or .hdf5); "
            "Zarr is planned."
        )
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{text}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{text}: the folder {folder} is not writable.")
    if os.path.exists(text) and not overwrite:
        raise FileExistsError(f"{text} exists; pass overwrite=True to replace it.")
    partial = text + ".partial"
    if os.path.exists(partial) and not resume:
        raise FileExistsError(
            f"{partial} exists (an interrupted write); pass resume=True to finish it "
            "or delete it to start again."
        )
    return text, partial


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


def _get(bunch, name):
    value = bunch
    for part in name.split("/"):
        value = value[part]
    return value


def _row_dtype(h5py, array, name):
    if array.dtype.kind in "US":
        return h5py.string_dtype("utf-8")
    if array.dtype.kind not in "biufc":
        raise TypeError(f"per-sample entry {name!r} has dtype {array.dtype}; write_dataset "
                        "stores numbers, booleans and strings.")
    return array.dtype


def _create_layout(h5py, file, bunch, names, n_samples, chunk_size, call):
    """Preallocate the per-sample datasets and write the per-set entries of ``bunch``."""
    file.attrs.update({"format": FORMAT, **call, "per_sample": json.dumps(names)})
    n_chunks = -(-n_samples // chunk_size)
    file.create_dataset("completed", data=np.zeros(n_chunks, dtype=bool))
    for name in names:
        array = _get(bunch, name)
        dtype = _row_dtype(h5py, array, name)
        shape = (n_samples, *array.shape[1:])
        row_bytes = np.dtype(dtype).itemsize * int(np.prod(shape[1:]))
        rows = min(chunk_size, n_samples, max(1, _MAX_CHUNK_BYTES // max(row_bytes, 1)))
        chunks = None if 0 in shape else (rows, *shape[1:])
        # Early allocation: writing a chunk then changes raw data only, never the file's
        # metadata, so a run killed mid-write leaves a readable .partial file.
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        file.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, dcpl=dcpl)
    per_set = file.create_group("per_set")
    top = {name.split("/")[0] for name in names}
    for name, value in bunch.items():
        if name in top:
            continue
        if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
            per_set.create_dataset(name, data=value).attrs["kind"] = "array"
        elif isinstance(value, np.ndarray) and value.dtype.kind in "US":
            data = np.asarray(value, dtype=str).astype(object)
            dataset = per_set.create_dataset(name, data=data,
                                             dtype=h5py.string_dtype("utf-8"))
            dataset.attrs["kind"] = "str_array"
        else:
            try:
                text = json.dumps(value, default=_json_default)
            except (TypeError, ValueError) as error:
                raise TypeError(f"per-set entry {name!r} cannot be stored: {error}.") from None
            dataset = per_set.create_dataset(name, data=text, dtype=h5py.string_dtype("utf-8"))
            dataset.attrs["kind"] = "json"


def _write_chunk(file, k, bunch, size, chunk_size, names):
    """Write chunk ``k``'s rows, then mark it complete; both flushed to disk."""
    start = k * chunk_size
    for name in names:
        try:
            array = _get(bunch, name)
        except (KeyError, TypeError):
            raise ValueError(f"chunk {k}: make_dataset returned no {name!r}.") from None
        dataset = file[name]
        expected = (size, *dataset.shape[1:])
        if not isinstance(array, np.ndarray) or array.shape != expected:
            raise ValueError(f"chunk {k}: {name!r} has shape {getattr(array, 'shape', None)}, "
                             f"expected {expected} as in chunk 0.")
        if array.dtype.kind in "US":
            array = array.astype(str).astype(object)
        elif array.dtype != dataset.dtype:
            raise ValueError(f"chunk {k}: {name!r} has dtype {array.dtype}, expected "
                             f"{dataset.dtype} as in chunk 0.")
        dataset[start:start + size] = array
    file.flush()
    file["completed"][k] = True
    file.flush()


def _check_resume(file, call, partial):
    if file.attrs.get("format") != FORMAT:
        raise ValueError(f"{partial} was not written by write_dataset; delete it.")
    for field in _CALL_FIELDS:
        stored = file.attrs.get(field)
        stored = stored.item() if isinstance(stored, np.generic) else stored
        if stored != call[field]:
            raise ValueError(
                f"cannot resume {partial}: its {field} is {stored!r} but this call has "
                f"{call[field]!r}. Repeat the interrupted call, or delete the file."
            )


@validate_params(
    {
        "make_dataset": [callable],
        "path": [str, os.PathLike],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "chunk_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "resume": ["boolean"],
        "overwrite": ["boolean"],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def write_dataset(make_dataset, path, n_samples, *, chunk_size=1000, random_state=0, n_jobs=1,
                  resume=False, overwrite=False, progress=False, **options):
    """Simulate a dataset chunk by chunk into an HDF5 file; resumable and parallel.

    Chunk ``k`` holds rows ``k * chunk_size`` onwards and is
    ``make_dataset(size_k, random_state=seed_k, **options)`` with
    ``seed_k = np.random.SeedSequence([random_state, k]).generate_state(1)[0]``,
    so the file is the same for any ``n_jobs`` and across interruptions (but
    it differs from one call ``make_dataset(n_samples, ...)``). The module
    documentation describes the file layout.

    Parameters
    ----------
    make_dataset : callable
        A ``make_*`` function: ``make_dataset(n, random_state=seed, **options)``
        returns a Bunch. With ``n_jobs > 1`` it must be picklable.
    path : str or path-like
        The file to write, ending in ``.h5`` or ``.hdf5``.
    n_samples : int
        The number of samples in the file.
    chunk_size : int, default=1000
        Samples per call of ``make_dataset`` (and HDF5 chunk rows). Memory
        holds about ``n_jobs + 1`` chunks.
    random_state : int, default=0
        The seed from which every chunk's seed is derived.
    n_jobs : int or None, default=1
        Processes generating chunks (joblib's convention: -1 for all
        cores). The parent process alone writes. Threads inside
        ``make_dataset`` (numba, BLAS) are its own business: lower them with
        ``NUMBA_NUM_THREADS`` or threadpoolctl to avoid oversubscription.
    resume : bool, default=False
        Finish ``<path>.partial`` left by an interrupted call with the same
        arguments, generating only its incomplete chunks.
    overwrite : bool, default=False
        Replace an existing ``path`` (once the new file is complete).
    progress : bool, default=False
        Show a progress bar over samples.
    **options : dict
        Keyword arguments of ``make_dataset``; they must be JSON-serialisable.

    Returns
    -------
    path : str or path-like
        ``path``, now a complete file.

    Raises
    ------
    ValueError
        If ``path`` is not an HDF5 path, or ``resume=True`` finds a
        ``.partial`` file written with other arguments (the field is named).
    FileExistsError
        If ``path`` exists without ``overwrite=True``, or ``<path>.partial``
        exists without ``resume=True``.
    FileNotFoundError, PermissionError
        If the folder of ``path`` is missing or not writable.
    TypeError
        If an option or a per-set entry is not JSON-serialisable.

    Examples
    --------
    >>> import tempfile, os
    >>> from sciml_estimators.datasets import load_dataset, make_dms, write_dataset
    >>> folder = tempfile.mkdtemp()
    >>> path = write_dataset(make_dms, os.path.join(folder, "dms.h5"), 10,
    ...                      chunk_size=4, shape=(16, 16))
    >>> with load_dataset(path) as dms:
    ...     print(dms.data.shape, dms.data[:2].shape, dms.attrs["n_samples"])
    (10, 16, 16) (2, 16, 16) 10
    """
    from joblib import Parallel, delayed, effective_n_jobs

    from .. import __version__

    h5py = import_h5py("Writing and loading datasets")

    path_text, partial = _check_target(path, overwrite, resume)
    call = {
        "generator": f"{make_dataset.__module__}.{make_dataset.__qualname__}",
        "version": __version__,
        "options": _options_json(options),
        "random_state": int(random_state),
        "n_samples": int(n_samples),
        "chunk_size": int(chunk_size),
    }
    n_chunks = -(-n_samples // chunk_size)
    sizes = [min(chunk_size, n_samples - k * chunk_size) for k in range(n_chunks)]
    if not os.path.exists(partial):
        _start(h5py, make_dataset, partial, sizes, call, options)
    with h5py.File(partial, "r+") as file:
        _check_resume(file, call, partial)
        names = json.loads(file.attrs["per_sample"])
        todo = [k for k in range(n_chunks) if not file["completed"][k]]
        with chunked_progress(n_samples, f"writing {os.path.basename(path_text)}",
                              progress) as bar:
            bar.update(n_samples - sum(sizes[k] for k in todo))
            tasks = (delayed(_generate)(make_dataset, k, sizes[k],
                                        chunk_seed(random_state, k), options) for k in todo)
            if effective_n_jobs(n_jobs) == 1:
                results = (task[0](*task[1], **task[2]) for task in tasks)
            else:
                results = Parallel(n_jobs=n_jobs, return_as="generator_unordered",
                                   pre_dispatch="n_jobs", batch_size=1)(tasks)
            for k, bunch in results:
                _write_chunk(file, k, bunch, sizes[k], chunk_size, names)
                del bunch
                bar.update(sizes[k])
    os.replace(partial, path_text)
    return path


def _start(h5py, make_dataset, partial, sizes, call, options):
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
    # Built under another name and renamed, so a .partial file always has its layout.
    init = partial + ".init"
    with h5py.File(init, "w") as file:
        _create_layout(h5py, file, first, names, sum(sizes), call["chunk_size"], call)
        _write_chunk(file, 0, first, sizes[0], call["chunk_size"], names)
        if other_k is not None:
            _write_chunk(file, other_k, other, sizes[-1], call["chunk_size"], names)
    os.replace(init, partial)


class _FileBunch(Bunch):
    """A Bunch that closes its HDF5 file on leaving a ``with`` block."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.file.close()


@validate_params({"path": [str, os.PathLike]}, prefer_skip_nested_validation=True)
def load_dataset(path):
    """Open a file written by :func:`write_dataset`, lazily.

    Parameters
    ----------
    path : str or path-like
        A complete file from :func:`write_dataset`.

    Returns
    -------
    dataset : Bunch
        Per-sample entries are lazy ``h5py.Dataset`` objects (slice them to
        read, e.g. ``dataset.data[:100]``; strings through ``.asstr()``
        views), dict entries such as ``parameters`` are dicts of them.
        Per-set entries are numpy arrays, strings, lists or dicts. ``attrs``
        holds the call that wrote the file (``options`` as a dict) and
        ``file`` the open ``h5py.File``: close it with
        ``dataset.file.close()``, or use ``with load_dataset(path) as
        dataset:``.

    Raises
    ------
    ValueError
        If the file was not written by :func:`write_dataset`, or is an
        incomplete (``.partial``) file.

    Examples
    --------
    >>> import tempfile, os
    >>> from sciml_estimators.datasets import load_dataset, make_dms, write_dataset
    >>> path = write_dataset(make_dms, os.path.join(tempfile.mkdtemp(), "dms.h5"), 6,
    ...                      chunk_size=4, shape=(16, 16))
    >>> with load_dataset(path) as dms:
    ...     print(dms.target_names, dms.parameters["psi"].shape)
    ['psi'] (6,)
    """
    h5py = import_h5py("Writing and loading datasets")
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{os.fspath(path)}: not a readable HDF5 file: {error}.") from None
    try:
        return _read(h5py, file, os.fspath(path))
    except BaseException:
        file.close()
        raise


def _read(h5py, file, path):
    if file.attrs.get("format") != FORMAT or "completed" not in file:
        raise ValueError(f"{path}: not a file written by write_dataset.")
    completed = file["completed"][()]
    if not completed.all() or path.endswith(".partial"):
        raise ValueError(
            f"{path}: incomplete ({int(completed.sum())} of {completed.size} chunks written); "
            "finish it with write_dataset(..., resume=True)."
        )
    attrs = {field: file.attrs[field] for field in _CALL_FIELDS}
    attrs = {k: v.item() if isinstance(v, np.generic) else v for k, v in attrs.items()}
    attrs["options"] = json.loads(attrs["options"])
    bunch = _FileBunch(attrs=attrs, file=file)
    for name in json.loads(file.attrs["per_sample"]):
        dataset = file[name]
        if h5py.check_string_dtype(dataset.dtype) is not None:
            dataset = dataset.asstr()
        if "/" in name:
            group, key = name.split("/", 1)
            bunch.setdefault(group, {})[key] = dataset
        else:
            bunch[name] = dataset
    for name, dataset in file["per_set"].items():
        kind = dataset.attrs["kind"]
        if kind == "array":
            bunch[name] = dataset[()]
        elif kind == "str_array":
            bunch[name] = np.array(dataset.asstr()[()], dtype=str)
        else:
            bunch[name] = json.loads(dataset.asstr()[()])
    return bunch


#: The parameter constraints of a ``make_*``'s ``out`` and its companions.
OUT_CONSTRAINTS = {
    "out": [str, os.PathLike, None],
    "chunk_size": [Interval(Integral, 1, None, closed="left")],
    "n_jobs": [Integral, None],
    "resume": ["boolean"],
    "overwrite": ["boolean"],
}


def write_and_load(make_dataset, out, n_samples, *, random_state, return_X_y=False,
                   **arguments):
    """What a ``make_*`` does with ``out``: :func:`write_dataset`, then :func:`load_dataset`.

    Raises
    ------
    ValueError
        With ``return_X_y`` (the file comes back as a lazy Bunch) or a
        ``random_state`` that is not an int (the chunks' seeds derive from it).
    """
    if return_X_y:
        raise ValueError("return_X_y=True cannot be used with out, which returns the file as "
                         "a lazy Bunch.")
    if not isinstance(random_state, Integral) or isinstance(random_state, bool):
        raise ValueError("out needs an int random_state to seed the file's chunks; "
                         f"got {random_state!r}.")
    write_dataset(make_dataset, out, n_samples, random_state=random_state, **arguments)
    return load_dataset(out)
