"""Check, before any work, that a file can be written where the command line puts it."""

import tempfile
from pathlib import Path


def check_output_file(path, *, force=False, option="--out"):
    """Raise a ValueError, naming ``option``, where ``path`` cannot be written.

    Writes nothing that stays: where ``path`` is new, a temporary file tests
    the nearest folder that exists, so that a run learns before its first
    simulation, not after its last, that its results would be lost.

    Parameters
    ----------
    path : str or path-like
        The file to be written; its folders may not exist yet.
    force : bool, default=False
        Whether an existing file may be overwritten.
    option : str, default="--out"
        The command-line option that set ``path``, for the messages.

    Raises
    ------
    ValueError
        If ``path`` is a folder, exists without ``force`` or cannot be
        opened for writing, if one of its would-be folders is a file, or if
        the nearest folder that exists cannot be written in.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sciml_estimators.bench._output_path import check_output_file
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     check_output_file(pathlib.Path(tmp) / "new" / "results.json")
    ...     (pathlib.Path(tmp) / "file").write_text("")
    ...     check_output_file(pathlib.Path(tmp) / "file" / "results.json")
    Traceback (most recent call last):
    ...
    ValueError: --out .../file/results.json: .../file is a file, not a folder
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{option} {path} is a folder; expected a file to write")
    if path.exists():
        if not force:
            raise ValueError(
                f"{path} already exists; choose another {option} or pass --force to overwrite it"
            )
        try:
            path.open("ab").close()  # opens for writing, changes nothing
        except OSError as error:
            raise ValueError(f"{option} {path} cannot be overwritten: {error.strerror}") from None
        return
    nearest = next(folder for folder in path.parents if folder.exists())
    if not nearest.is_dir():
        raise ValueError(f"{option} {path}: {nearest} is a file, not a folder")
    try:
        tempfile.TemporaryFile(dir=nearest).close()
    except OSError as error:
        raise ValueError(f"{option} {path}: cannot write in {nearest}: {error.strerror}") from None
