"""Throughput of ``make_dms`` through the chunk dispatcher, per way of running it.

Generates ``--n-samples`` DMS patterns in chunks of ``--chunk-size`` through
:func:`sciml_estimators.storage._chunk_workers.generate_unordered` with joblib
(``n_jobs`` 1 and 2) and with an embedded Dask ``LocalCluster`` (1 and 2
single-threaded worker processes), and prints patterns per second. The time to
start the workers (cluster start-up, or joblib's process pool, plus one tiny
warm-up chunk per worker for imports and loading numba's cache) is timed
separately and left out of the throughput.

Threads: ``OMP_NUM_THREADS``, ``NUMBA_NUM_THREADS`` (and the BLAS variables)
are set to ``--inner-threads`` (default 1) before numpy or numba are imported,
so they hold in this process and in every worker (the Dask workers get them
through the nanny's environment; joblib's loky workers would also cap them).
The DMS kernel is a parallel numba loop: left alone, each worker would start
one numba thread per core, so two workers on a 2-core machine would run four
busy threads on two cores. That oversubscription would blur what we measure,
the scaling with the number of workers; with one thread each, ``n`` workers
use ``n`` cores and the single-job run is a true one-core baseline.

Run ``python benchmarks/generation_throughput.py --n-samples 4000`` for a
measurement; ``--n-samples 16 --chunk-size 4 --shape 16 16`` checks it runs.
"""

import argparse
import os
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS",
                    "OPENBLAS_NUM_THREADS")


def _parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-samples", type=int, default=4000,
                        help="patterns to generate per configuration (default 4000)")
    parser.add_argument("--chunk-size", type=int, default=250,
                        help="patterns per task (default 250)")
    parser.add_argument("--shape", type=int, nargs=2, default=(128, 128),
                        help="detector shape (default 128 128, make_dms's default)")
    parser.add_argument("--inner-threads", type=int, default=1,
                        help="numba/OpenMP/BLAS threads per process (default 1)")
    return parser.parse_args(argv)


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    # Before numpy/numba are imported, so this process and its workers see it.
    for _name in THREAD_VARIABLES:
        os.environ[_name] = str(ARGS.inner_threads)

import platform  # noqa: E402
import time  # noqa: E402

from sciml_estimators.datasets import make_dms  # noqa: E402
from sciml_estimators.storage._chunk_workers import generate_unordered  # noqa: E402


def dms_chunk(size, seed, shape):
    """One chunk: ``make_dms`` with default arguments but the shape."""
    return make_dms(size, random_state=seed, shape=tuple(shape)).data.shape[0]


def _tasks(n_samples, chunk_size, shape):
    for seed, start in enumerate(range(0, n_samples, chunk_size)):
        yield (min(chunk_size, n_samples - start), seed, shape)


def _measure(n_samples, chunk_size, shape, n_workers, **where):
    """(start-up seconds, generation seconds) for one configuration."""
    start = time.perf_counter()
    warm_up = [(1, 10_000 + k, shape) for k in range(n_workers)]
    assert sum(generate_unordered(dms_chunk, warm_up, **where)) == n_workers
    startup = time.perf_counter() - start
    start = time.perf_counter()
    done = sum(generate_unordered(dms_chunk, _tasks(n_samples, chunk_size, shape), **where))
    assert done == n_samples
    return startup, time.perf_counter() - start


def _local(n_samples, chunk_size, shape, n_workers, threads):
    import distributed

    start = time.perf_counter()
    env = {name: str(threads) for name in THREAD_VARIABLES}
    with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", env=env) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        cluster_start = time.perf_counter() - start
        startup, seconds = _measure(n_samples, chunk_size, shape, n_workers, client=client)
    return cluster_start + startup, seconds


def main(args):
    """Run every configuration and print the table."""
    shape = tuple(args.shape)
    print(f"make_dms shape={shape}, n_samples={args.n_samples}, chunk_size={args.chunk_size}, "
          f"inner threads={args.inner_threads}")
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"os.cpu_count()={os.cpu_count()}, "
          f"usable CPUs={len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}"
          f", Python {platform.python_version()}")
    rows = []
    for n_jobs in (1, 2):
        rows.append((f"joblib n_jobs={n_jobs}",
                     *_measure(args.n_samples, args.chunk_size, shape, n_jobs, n_jobs=n_jobs)))
    for n_workers in (1, 2):
        rows.append((f'client="local" {n_workers} worker(s)',
                     *_local(args.n_samples, args.chunk_size, shape, n_workers,
                             args.inner_threads)))
    print(f"{'configuration':<30} {'start-up s':>10} {'generation s':>12} {'patterns/s':>11}")
    for name, startup, seconds in rows:
        print(f"{name:<30} {startup:>10.2f} {seconds:>12.2f} {args.n_samples / seconds:>11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(ARGS))
