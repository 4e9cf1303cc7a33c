"""Where :func:`~sciml_estimators.datasets.write_dataset` writes: formats, checks, renames.

Everything here runs before generation or around the final rename, so that
bad input fails early with a message saying what to do, and nothing the
user had is lost: a complete ``path`` is replaced only once its successor is
complete, and an old one is moved aside (not deleted) until the new one is
in place.
"""

import errno
import json
import os
import shutil
import warnings

from ..exceptions import DamagedStoreError, SciMLEstimatorsWarning
from ._hdf5 import Hdf5Store
from ._zarr import ZarrStore

#: The value of the ``format`` attribute that marks stores written here.
FORMAT = "sciml_estimators.write_dataset"
#: The layout version; 1 was the HDF5-only layout that stored no version, 2 the layout
#: without checksums.
FORMAT_VERSION = 3
HDF5_SUFFIXES = (".h5", ".hdf5")
_FULL_DISK = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def backend_for(path):
    """The store class that writes ``path``: HDF5 for ``.h5``/``.hdf5``, else Zarr."""
    return Hdf5Store if os.fspath(path).lower().endswith(HDF5_SUFFIXES) else ZarrStore


def existing_backend(path):
    """The store class of the existing ``path``; ValueError if it is neither kind."""
    if os.path.isdir(path):
        return ZarrStore
    if os.path.isfile(path) and Hdf5Store.recognises(path):
        return Hdf5Store
    what = "a file" if os.path.isfile(path) else "not a file or directory"
    if not os.path.lexists(path):
        raise FileNotFoundError(f"{path} does not exist.")
    raise ValueError(f"{path} is {what} that is neither an HDF5 file nor a Zarr directory, "
                     "so not a dataset written by write_dataset.")


def call_text(attrs, path):
    """The ``write_dataset(...)`` call that writes the store of ``attrs`` at ``path``."""
    module, _, name = str(attrs.get("generator", "?.make_dataset")).rpartition(".")
    if module.startswith("sciml_estimators.datasets."):
        module = "sciml_estimators.datasets"
    try:
        options = json.loads(attrs.get("options", "{}"))
    except (TypeError, ValueError):
        options = {}
    return (f"write_dataset({module}.{name}, {os.fspath(path)!r}, {attrs.get('n_samples')}, "
            f"random_state={attrs.get('random_state')}, chunk_size={attrs.get('chunk_size')}"
            + (f", **{options!r})" if options else ")"))


def version_problem(attrs, path):
    """What is wrong with the ``format_version`` of ``attrs``, or None if it is ours."""
    version = attrs.get("format_version", 1)
    if version == FORMAT_VERSION and type(version) is int:
        return None
    if not isinstance(version, int) or isinstance(version, bool):
        found = f"format_version {version!r}, a {type(version).__name__} (not an int)"
    else:
        found = f"format_version {version}" + (
            ", written before write_dataset recorded checksums" if version < FORMAT_VERSION
            else ", from a newer sciml_estimators")
    return (f"{path} has {found}, but this sciml_estimators reads stores of format_version "
            f"{FORMAT_VERSION} only; write it again with {call_text(attrs, path)[:-1]}, "
            "overwrite=True).")


def describe(path):
    """What the existing ``path`` holds, for error messages."""
    try:
        store = existing_backend(path).open(path)
    except DamagedStoreError:
        return f"a write_dataset {existing_backend(path).kind} that is damaged (truncated)"
    except (ValueError, OSError):
        return "not a write_dataset file"
    try:
        attrs = store.attrs
    finally:
        store.close()
    if attrs.get("format") != FORMAT:
        return f"a {store.kind} that is not a write_dataset file"
    return (f"a write_dataset {store.kind} of {attrs.get('generator')}, "
            f"n_samples={attrs.get('n_samples')}, random_state={attrs.get('random_state')}")


def check_folder(path):
    """``path`` as str, once its folder is known to exist and be writable."""
    text = os.fspath(path)
    if text.endswith(".partial"):
        raise ValueError(f"{text}: write_dataset adds .partial itself; pass the final path.")
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{text}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{text}: the folder {folder} is not writable.")
    return text


def check_target(text, overwrite, resume):
    """Errors that must come before any generation (under the writer's lock); the partial path.

    ``text`` is what :func:`check_folder` returned.
    """
    if os.path.lexists(text):
        if not overwrite:
            raise FileExistsError(f"{text} exists and holds {describe(text)}; pass "
                                  "overwrite=True to replace it, or choose another path.")
        held = describe(text)
        if not held.startswith("a write_dataset"):
            raise FileExistsError(
                f"{text} exists and holds {held}; overwrite=True replaces only datasets "
                "written by write_dataset. Choose another path, or move it away yourself."
            )
        mode = os.W_OK | (os.X_OK if os.path.isdir(text) else 0)
        if not os.access(text, mode):
            raise PermissionError(f"{text} exists and is not writable, so overwrite=True "
                                  "cannot replace it; change its permissions or choose "
                                  "another path.")
    partial = text + ".partial"
    if os.path.lexists(partial) and not resume:
        raise FileExistsError(
            f"{partial} exists (an interrupted write); pass resume=True to finish it "
            "or delete it to start again."
        )
    return partial


def remove(path):
    """Delete a file or a directory tree (nothing if missing)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def install(partial, path):
    """Rename the complete ``partial`` to ``path``, replacing any old ``path`` safely.

    The old one is moved aside, the new one renamed in, and only then is the
    old one deleted; if the rename fails the old one is moved back.
    """
    if not os.path.lexists(path) or (os.path.isfile(path) and os.path.isfile(partial)):
        os.replace(partial, path)
        return
    aside, n = f"{path}.replaced", 0
    while os.path.lexists(aside):
        n += 1
        aside = f"{path}.replaced{n}"
    os.replace(path, aside)
    try:
        os.replace(partial, path)
    except BaseException:
        os.replace(aside, path)
        raise
    try:
        remove(aside)
    except OSError as error:
        warnings.warn(f"{path} was replaced, but its old version, moved to {aside}, could "
                      f"not be deleted ({error}); delete it yourself.", SciMLEstimatorsWarning,
                      stacklevel=3)


def check_space(path, needed, how):
    """OSError(ENOSPC) when ``needed`` bytes clearly do not fit next to ``path``."""
    free = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
    if needed > free:
        raise OSError(errno.ENOSPC,
                      f"{path}: the dataset needs about {needed / 1e9:.3g} GB ({how}) but "
                      f"only {free / 1e9:.3g} GB are free; free space, write fewer samples or "
                      "choose a path on another disk.")


def tree_bytes(path):
    """The bytes of the files under ``path`` (or of the file ``path``)."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(folder, name))
               for folder, _, names in os.walk(path) for name in names)


def is_full_disk(error):
    """Whether an OSError means the disk (or the user's quota) is full."""
    if error.errno in _FULL_DISK:
        return True
    text = str(error)
    return "No space left on device" in text or "Disk quota exceeded" in text


def full_disk_error(error, k, partial, n_done, n_chunks):
    """The OSError to raise for a full disk while writing chunk ``k``."""
    code = error.errno if error.errno in _FULL_DISK else errno.ENOSPC
    return OSError(code, f"the disk is full while writing chunk {k} to {partial} "
                         f"({n_done} of {n_chunks} chunks complete and kept); free space and "
                         f"repeat the call with resume=True ({error})")
