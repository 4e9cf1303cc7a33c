"""Open a store written by :func:`~._write.write_dataset`, lazily.

:mod:`._write` describes the layout; every per-sample entry comes back as an
:class:`~._on_disk.OnDiskArray`, read only when indexed. Opening checks that
every chunk is on disk with its recorded size, ``verify=True`` reads and
checks everything (see :mod:`._checksums`).
"""

import json
import os

from sklearn.utils import Bunch

from .._framework import validate_params
from ._checksums import check_sizes, damage_error, damaged_chunks
from ._on_disk import OnDiskArray
from ._paths import FORMAT, call_text, existing_backend, version_problem

CALL_FIELDS = ("generator", "version", "options", "random_state", "n_samples", "chunk_size")


class _StoredBunch(Bunch):
    """A Bunch over a stored dataset; ``close()`` or a ``with`` block closes its file."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the file (HDF5); the arrays reopen it if read again."""
        self.__dict__["_store"].close()


@validate_params({"path": [str, os.PathLike], "verify": ["boolean"]},
                 prefer_skip_nested_validation=True)
def load_dataset(path, *, verify=False):
    """Open a store written by :func:`write_dataset` (Zarr or HDF5), lazily.

    Damaged data are never returned. Opening checks (from metadata only)
    that every chunk is on disk with the size recorded when it was written;
    every read is checked by the format's checksums, and what they cannot
    see by the CRC-32 recorded for each chunk. ``verify=True`` reads every
    chunk once first and reports all the damaged ones at once.

    Parameters
    ----------
    path : str or path-like
        A complete Zarr directory or HDF5 file from :func:`write_dataset`.
    verify : bool, default=False
        Read and check every chunk of every per-sample entry now (it takes
        as long as reading the whole set).

    Returns
    -------
    dataset : Bunch
        Per-sample entries are :class:`~sciml_estimators.datasets.OnDiskArray`
        objects (index them to read, e.g. ``dataset.data[:100]`` or
        ``dataset.data[[5, 1, 5]]``; they pickle as path and name), dict
        entries such as ``parameters`` are dicts of them. Per-set entries are
        numpy arrays, strings, lists or dicts. ``attrs`` holds the call that
        wrote the store (``options`` as a dict). ``dataset.close()``, or
        ``with load_dataset(path) as dataset:``, closes an HDF5 file.

    Raises
    ------
    DamagedStoreError
        A ``ValueError`` (from :mod:`sciml_estimators.exceptions`), if a
        chunk is missing or has another size, or with ``verify=True`` if any
        chunk's bytes changed (raised by a later read otherwise); the message
        names each damaged chunk and entry, and gives the
        :func:`repair_dataset` call that regenerates them.
    ValueError
        If ``path`` is not a store written by :func:`write_dataset`, is
        incomplete (a ``.partial`` store), or has another format version
        (the message gives the call that writes it again).
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, os
    >>> from sciml_estimators.datasets import load_dataset, make_dms, write_dataset
    >>> path = write_dataset(make_dms, os.path.join(tempfile.mkdtemp(), "dms.zarr"), 6,
    ...                      chunk_size=4, shape=(16, 16))
    >>> dms = load_dataset(path)
    >>> print(dms.target_names, dms.parameters["psi"].shape)
    ['psi'] (6,)
    """
    text = os.fspath(path)
    backend = existing_backend(text)
    store = backend.open(text)
    try:
        return _read(backend, store, text, verify)
    except BaseException:
        store.close()
        raise


def check_written(store, path):
    """Raise ValueError unless ``store`` is a complete store of this format version."""
    attrs = store.attrs
    if attrs.get("format") != FORMAT or not store.has_layout():
        raise ValueError(f"{path}: a {store.kind} not written by write_dataset (no "
                         f"format={FORMAT!r} attribute).")
    if path.endswith(".partial"):
        completed = store.completed()
        raise ValueError(
            f"{path}: an incomplete write ({int(completed.sum())} of {completed.size} chunks "
            f"written); finish it with {call_text(attrs, path[:-len('.partial')])[:-1]}, "
            "resume=True)."
        )
    problem = version_problem(attrs, path)
    if problem:
        raise ValueError(problem)
    completed = store.completed()
    if not completed.all():
        raise ValueError(f"{path}: incomplete ({int(completed.sum())} of {completed.size} "
                         "chunks written); finish it with write_dataset(..., resume=True).")


def _read(backend, store, path, verify):
    check_written(store, path)
    attrs = store.attrs
    check_sizes(store, path)
    if verify:
        damaged = damaged_chunks(store)
        if damaged:
            raise damage_error(path, attrs, damaged)
    call = {field: attrs[field] for field in CALL_FIELDS}
    call["options"] = json.loads(call["options"])
    bunch = _StoredBunch(attrs=call)
    bunch.__dict__["_store"] = store
    for name in json.loads(attrs["per_sample"]):
        array = OnDiskArray(path, name, backend, store.entry(name))
        if "/" in name:
            group, key = name.split("/", 1)
            bunch.setdefault(group, {})[key] = array
        else:
            bunch[name] = array
    for name, (kind, value) in store.per_set().items():
        bunch[name] = json.loads(value) if kind == "json" else value
    return bunch

