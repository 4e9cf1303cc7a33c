"""Peak memory of simulating a DMS set to disk: bounded by the chunk size, not the set.

Runs ``make_dms(n_samples, out=PATH, chunk_size=..., n_jobs=..., client=...)``
while a thread samples, every 0.1 s, the resident memory of this process and
of all its descendants (joblib's or Dask's worker processes), and prints the
peaks beside the size of one chunk and of the whole set. Run it for two set
sizes with one chunk size: if the peaks agree, memory is bounded by the
chunks, whatever the number of samples.

Threads: ``OMP_NUM_THREADS`` and ``NUMBA_NUM_THREADS`` are set to 1 before
numba is imported, so that ``--n-jobs`` workers use ``--n-jobs`` cores (the
DMS kernel is a parallel numba loop; on 2 cores two workers with two
threads each would oversubscribe).

Example (the figures in docs/performance.md)::

    python benchmarks/generation_memory.py --n-samples 250000 --out /tmp/dms.zarr
    python benchmarks/generation_memory.py --n-samples 20000 --out /tmp/dms-20k.zarr
"""

import argparse
import os
import platform
import shutil
import threading
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import psutil  # noqa: E402  (installed with the dask extra)


class PeakMemory:
    """Sample the resident memory of this process and its descendants in a thread."""

    def __init__(self, interval=0.1):
        self.interval = interval
        self.parent_peak = self.total_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                parent = me.memory_info().rss
                total = parent
                for child in me.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                continue
            self.parent_peak = max(self.parent_peak, parent)
            self.total_peak = max(self.total_peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


def _folder_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(folder, name))
               for folder, _, names in os.walk(path) for name in names)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-samples", type=int, default=250_000)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--client", default="local",
                        help='"local" (embedded Dask cluster, the default) or "none" (joblib)')
    parser.add_argument("--out", required=True,
                        help="the store to write (.h5 for HDF5, else Zarr); replaced if it exists")
    args = parser.parse_args(argv)

    from sciml_estimators.datasets import make_dms

    client = None if args.client == "none" else args.client
    for path in (args.out, args.out + ".partial"):
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    start = time.perf_counter()
    with PeakMemory() as memory:
        dms = make_dms(args.n_samples, out=args.out, chunk_size=args.chunk_size,
                       n_jobs=args.n_jobs, client=client, random_state=0)
    seconds = time.perf_counter() - start
    shape = dms.data.shape
    dms.close()

    chunk_mb = args.chunk_size * 4 * shape[1] * shape[2] / 1e6
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB")
    print(f"make_dms({args.n_samples}, out={args.out!r}, chunk_size={args.chunk_size}, "
          f"n_jobs={args.n_jobs}, client={client!r}): patterns {shape[1:]} float32")
    print(f"  one chunk            {chunk_mb:10.0f} MB")
    print(f"  whole set (in RAM)   {chunk_mb * args.n_samples / args.chunk_size:10.0f} MB")
    print(f"  on disk              {_folder_bytes(args.out) / 1e6:10.0f} MB")
    print(f"  peak RSS, writer     {memory.parent_peak / 1e6:10.0f} MB")
    print(f"  peak RSS, all procs  {memory.total_peak / 1e6:10.0f} MB")
    print(f"  time                 {seconds:10.1f} s ({args.n_samples / seconds:.0f} patterns/s,"
          " cluster start-up included)")


if __name__ == "__main__":
    main()
