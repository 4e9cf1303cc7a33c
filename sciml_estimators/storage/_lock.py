"""One writer per store: an operating-system lock on the file ``<path>.lock``.

:func:`exclusive_writer` holds an exclusive lock on ``<path>.lock`` while
``write_dataset`` or ``repair_dataset`` changes ``path`` or ``<path>.partial``.
It is never waited for: a second writer gets :class:`StoreBusyError` at
once and leaves everything as it found it. The operating system releases the
lock when its process ends, however it ends, so ``resume=True`` after a crash
or a SIGKILL takes it again.

The lock file is deleted by its holder while it still holds the lock. A
process that opened the file just before that (and so locked a file that is
no longer in the folder) sees that the path now names another file, or none,
and starts again with a new one: two writers never hold locks on two
different files. A lock file left by a killed process is taken over by the
next writer and deleted at its end.

POSIX systems use ``fcntl.flock``; Windows ``msvcrt.locking`` on the first
byte. There an open file cannot be deleted, so the holder closes it first,
and a deletion that fails because another process has just opened it is
left to that process.
"""

import contextlib
import errno
import os

from ..exceptions import StoreBusyError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

_HELD_ELSEWHERE = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK",
                                                                          errno.EDEADLK)}


def _try_lock(fd):
    """Whether the exclusive lock on ``fd`` was taken (False: another process holds it)."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as error:
        if error.errno in _HELD_ELSEWHERE:
            return False
        raise
    return True


def _names_file(path, fd):
    """Whether ``path`` still names the open file ``fd``."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def exclusive_writer(path):
    """Hold the writer's lock of the store ``path`` for the ``with`` block.

    Parameters
    ----------
    path : str
        The store's final path; the lock file is ``<path>.lock`` beside it.

    Yields
    ------
    lock_path : str
        The lock file, deleted at the end of the block.

    Raises
    ------
    StoreBusyError
        If another process holds the lock: it is writing or repairing the
        store.
    """
    lock_path = f"{path}.lock"
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                raise StoreBusyError(
                    errno.EAGAIN,
                    f"{path} is being written by another process (it holds the lock "
                    f"{lock_path}); wait until it has finished, or choose another path")
            if _names_file(lock_path, fd):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # its holder deleted it meanwhile: lock a new one
    try:
        yield lock_path
    finally:
        if fcntl is not None:
            with contextlib.suppress(FileNotFoundError):
                os.remove(lock_path)  # still locked: see the module documentation
            os.close(fd)
        else:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.remove(lock_path)
