"""Run dataset chunks on joblib workers or a Dask cluster, in completion order.

:func:`generate_unordered` is the dispatcher behind the chunked writers: it
calls ``function(*args)`` for each argument tuple and yields the results as
they complete, keeping only about one task per worker in flight, so that the
caller can write each (large) result and drop it before more arrive.

Where the work runs depends on ``client``:

* ``None``: joblib. One effective job (and no Dask backend active) runs the
  tasks one after another in this process. Otherwise ``joblib.Parallel`` with
  ``pre_dispatch="n_jobs"`` runs them, on loky processes by default, or on
  whatever backend a ``joblib.parallel_config`` block selects. Inside
  ``parallel_config(backend="dask")`` the tasks go to that backend's Dask
  client instead, through the same bounded window as below.
* ``"local"``: an embedded :class:`distributed.LocalCluster`, one single-
  threaded worker process per job, started here and closed at the end.
* a scheduler address such as ``"tcp://host:8786"``: a running cluster; the
  client opened here is closed at the end, the cluster is left running.
* a :class:`distributed.Client`: used as is and never closed.

On Dask, tasks are submitted through a sliding window of as many tasks as the
cluster has worker threads: a new task is submitted only once the caller has
taken a result, so results that are done but not yet consumed never pile up
(at most about one per worker thread, plus the one the caller holds).
(joblib's own generator bounds the tasks *dispatched* to ``n_jobs``, but
dispatches the next one when a task completes, not when its result is
consumed: a caller slower than the workers lets finished results queue in
memory.)

Threads: the embedded cluster runs one thread per worker process and sets
``NUMBA_NUM_THREADS=1`` in the workers (distributed already sets
``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` and ``OPENBLAS_NUM_THREADS`` to 1),
as joblib's loky workers do, so ``n_jobs`` workers use about ``n_jobs`` cores.
Workers of a cluster started elsewhere keep the settings they were started
with.
"""

import itertools
from numbers import Integral

__all__ = ["generate_unordered"]

#: Seconds to wait for a scheduler given by address before giving up.
CONNECT_TIMEOUT = 10
#: Seconds to wait for a cluster with no worker to get one.
WORKER_TIMEOUT = 30

_INSTALL_HINT = 'pip install "sciml-estimators[dask]"'


def _import_distributed(purpose):
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            f"{purpose} needs the 'distributed' package; install it with "
            f"{_INSTALL_HINT}"
        ) from exc
    return distributed


def _active_dask_backend():
    """The active joblib backend if it is joblib's Dask backend, else None."""
    from joblib.parallel import get_active_backend

    backend, _ = get_active_backend()
    if type(backend).__name__ == "DaskDistributedBackend":
        return backend
    return None


def generate_unordered(function, argument_tuples, *, n_jobs=1, client=None):
    """Yield ``function(*args)`` for each argument tuple, in completion order.

    At most about one task per worker is in flight, so memory stays bounded
    when each result is large and the caller drops it before taking the next.

    Parameters
    ----------
    function : callable
        Deterministic function of its arguments. Anywhere but in this process
        it must be picklable (a module-level function, such as
        :func:`~sciml_estimators.datasets.make_dms` or a
        :func:`functools.partial` of one).
    argument_tuples : iterable of tuple
        Positional arguments of each call; consumed lazily.
    n_jobs : int or None, default=1
        With ``client=None``, the number of joblib jobs (``None`` means 1,
        or the ``n_jobs`` of an active ``joblib.parallel_config``; ``-1``
        means all CPUs). With ``client="local"``, the number of worker
        processes of the embedded cluster (at least 1). Ignored for any other
        ``client``, whose workers' threads set the number of tasks in flight,
        as with joblib's Dask backend.
    client : None, "local", str or distributed.Client, default=None
        Where to run: ``None`` for joblib (and a Dask backend set by
        ``joblib.parallel_config(backend="dask")``), ``"local"`` for an
        embedded Dask cluster closed at the end, a scheduler address such as
        ``"tcp://host:8786"`` for a running cluster, or a
        ``distributed.Client``, used as is and left open.

    Yields
    ------
    result : object
        ``function(*args)`` for one of the tuples, as each completes.

    Raises
    ------
    ConnectionError
        If the scheduler at the given address cannot be reached within
        :data:`CONNECT_TIMEOUT` seconds (at the first result asked for: a
        cluster is started or connected to only then).
    ImportError
        If a Dask client is requested and ``distributed`` is not installed.
    TypeError
        If ``client`` is of another type.
    ValueError
        If ``client`` is an empty string.

    Notes
    -----
    An exception raised by ``function`` reaches the caller with its own type
    and message; tasks still pending are then cancelled. Closing the
    generator early also cancels them and closes what it opened.

    Examples
    --------
    >>> from operator import add
    >>> from sciml_estimators.storage._chunk_workers import generate_unordered
    >>> sorted(generate_unordered(add, [(1, 2), (3, 4)]))
    [3, 7]
    """
    # Validate now, not at the first next(): a bad client fails at the call.
    check_client(client)
    if client is None:
        return _joblib_generate(function, argument_tuples, n_jobs)
    return _dask_generate(function, argument_tuples, n_jobs, client)


def check_client(client):
    """Raise unless ``client`` is None, a non-empty string or a ``distributed.Client``.

    Parameters
    ----------
    client : object
        The ``client`` argument of :func:`generate_unordered`.

    Raises
    ------
    ImportError
        If ``client`` is not None and ``distributed`` is not installed.
    TypeError, ValueError
        If ``client`` is of another type, or an empty string.
    """
    if client is None:
        return
    if isinstance(client, str):
        if not client:
            raise ValueError('client must be None, "local", a scheduler address or a '
                             "distributed.Client; got an empty string")
        _import_distributed(f"client={client!r}")
        return
    distributed = _import_distributed("A Dask client")
    if not isinstance(client, distributed.Client):
        raise TypeError('client must be None, "local", a scheduler address such as '
                        '"tcp://host:8786", or a distributed.Client; got '
                        f"{type(client).__name__}")


def _joblib_generate(function, argument_tuples, n_jobs):
    from joblib import Parallel, delayed, effective_n_jobs

    if n_jobs is not None and not isinstance(n_jobs, Integral):
        raise TypeError(f"n_jobs must be an int or None; got {type(n_jobs).__name__}")
    backend = _active_dask_backend()
    if backend is not None:
        _import_distributed('joblib.parallel_config(backend="dask")')
        # Same bounded window as an explicit client; the backend's client
        # belongs to the user, so it is left open.
        return _dask_generate(function, argument_tuples, n_jobs, backend.client)
    if effective_n_jobs(n_jobs) == 1:
        return (function(*args) for args in argument_tuples)
    return Parallel(n_jobs=n_jobs, return_as="generator_unordered", pre_dispatch="n_jobs",
                    batch_size=1)(delayed(function)(*args) for args in argument_tuples)


def _dask_generate(function, argument_tuples, n_jobs, client):
    """Start or connect what ``client`` names, run the tasks there, close what it opened.

    A generator, so nothing starts before the first result is asked for and
    whatever started is closed when it finishes, fails or is closed.
    """
    distributed = _import_distributed("A Dask client")
    owned = []  # closed in reverse order: the client, then its cluster
    try:
        if isinstance(client, distributed.Client):
            pass
        elif client == "local":
            from joblib import effective_n_jobs

            n_workers = max(effective_n_jobs(n_jobs if n_jobs is not None else 1), 1)
            try:
                cluster = distributed.LocalCluster(
                    n_workers=n_workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0", env={"NUMBA_NUM_THREADS": "1"})
            except RuntimeError as error:
                raise RuntimeError(
                    f'client="local" could not start its worker processes ({error}). They '
                    "import the main script again: if a script calls this, put its work "
                    'under `if __name__ == "__main__":`.'
                ) from error
            owned.append(cluster)
            client = distributed.Client(cluster, set_as_default=False)
            owned.append(client)
        else:
            client = _connect(distributed, client)
            owned.append(client)
        yield from _windowed(distributed, client, function, argument_tuples)
    finally:
        for thing in reversed(owned):
            thing.close()


def _connect(distributed, address):
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConnectionError(
            f"Could not reach a Dask scheduler at {address!r} within {CONNECT_TIMEOUT} s "
            f"({type(exc).__name__}: {exc}). Start one there with `dask scheduler` and "
            f"workers with `dask worker {address}`, check the address and port (and any "
            'firewall), or pass client="local" for a cluster on this machine.'
        ) from exc


def _n_threads(client):
    n_threads = sum(client.nthreads().values())
    if n_threads == 0:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError as exc:
            raise TimeoutError(
                f"The Dask cluster at {client.scheduler.address} has no worker after "
                f"{WORKER_TIMEOUT} s; start some with `dask worker <scheduler address>`."
            ) from exc
        n_threads = sum(client.nthreads().values())
    return max(n_threads, 1)


def _windowed(distributed, client, function, argument_tuples):
    pending = distributed.as_completed(loop=client.loop)
    try:
        arguments = iter(argument_tuples)
        window = _n_threads(client)
        # pure=False: every call is its own task, even with equal arguments.
        for args in itertools.islice(arguments, window):
            pending.add(client.submit(function, *args, pure=False))
        while not pending.is_empty():
            future = next(pending)
            if future.status == "error":
                # Raise the task's own exception, with its remote traceback,
                # and forget the task (a traceback through Future.result()
                # would keep the future, hence its key, alive).
                error, traceback = future.exception(), future.traceback()
                client.cancel([future])
                del future
                raise error.with_traceback(traceback)
            result = future.result()
            del future
            # Refill before yielding, so the workers stay busy while the caller
            # writes this result: it holds at most window + 1 results at once.
            window = max(window, sum(client.nthreads().values()))
            for args in itertools.islice(arguments, max(window - pending.count(), 0)):
                pending.add(client.submit(function, *args, pure=False))
            yield result
            del result
    finally:
        futures = list(pending.futures)
        pending.clear()
        if futures and client.status == "running":
            client.cancel(futures)
