"""What the stores' checksums cost: write and read throughput with and without them.

Writes the same set with ``write_dataset`` to a Zarr directory and to an
HDF5 file twice, once as the library writes it (Zarr inner chunks with a
CRC-32C after Zstandard, HDF5 chunks with Fletcher-32, every chunk's size
and CRC-32 recorded) and once with all of that switched off in this process
(Zstandard alone, no HDF5 filter, no records, reads not checked), which is
how stores were written before. Then it reads each store whole in blocks of
one chunk, and ``--random`` single rows. Runs alternate (with, without,
with, ...) and the best of ``--repeats`` is kept, so that both sides meet
the same machine load.

The generator is cheap on purpose (Poisson-noisy float32 images of
``--shape``, not a simulation), so that storage, not simulation, sets the
pace: the cost measured is the most the checksums can add to a real
``make_*(out=...)`` run, whose simulation takes longer.

Threads: ``OMP_NUM_THREADS`` and ``NUMBA_NUM_THREADS`` are 1; Zarr's codec
pipeline keeps its default thread pool (as users get it); HDF5 is single
threaded. Files go to ``--folder`` (a temporary folder by default) and are
deleted.

Run ``python benchmarks/store_checksum_cost.py`` for a measurement;
``--n-samples 40 --chunk-size 10 --repeats 1 --random 10`` checks it runs.
"""

import argparse
import contextlib
import os
import shutil
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from sciml_estimators.datasets import load_dataset, write_dataset  # noqa: E402
from sciml_estimators.storage import _checksums, _hdf5, _write, _zarr  # noqa: E402


def make_images(n_samples, *, random_state=None, shape=(128, 128)):
    """Poisson-noisy float32 images with a target: storage-bound, not simulation-bound."""
    rng = np.random.default_rng(random_state)
    return {"data": rng.poisson(50.0, (n_samples, *shape)).astype(np.float32),
            "target": rng.uniform(0, 90, n_samples), "DESCR": "images"}


@contextlib.contextmanager
def without_checksums():
    """Write and read as before the checksums: every piece of them switched off."""
    saved = (_zarr._compressors, _hdf5.Hdf5Store._create, _write.rows_crc,
             _checksums.CheckedEntry.read)

    def create(self, name, shape, dtype, chunks):
        import h5py

        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
        self.file.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks, dcpl=dcpl)

    _zarr._compressors = lambda zarr: [zarr.codecs.ZstdCodec(level=0)]
    _hdf5.Hdf5Store._create = create
    _write.rows_crc = lambda array: 0
    _checksums.CheckedEntry.read = lambda self, rows, rest: self._read_raw(rows, rest)
    try:
        yield
    finally:
        (_zarr._compressors, _hdf5.Hdf5Store._create, _write.rows_crc,
         _checksums.CheckedEntry.read) = saved


def _measure(path, args, rows):
    """Seconds to write the set, to read it in chunk blocks, to read the random rows."""
    start = time.perf_counter()
    write_dataset(make_images, path, args.n_samples, chunk_size=args.chunk_size,
                  shape=tuple(args.shape))
    written = time.perf_counter()
    with load_dataset(path) as stored:
        opened = time.perf_counter()
        for block in range(0, args.n_samples, args.chunk_size):
            stored.data[block:block + args.chunk_size]
        read = time.perf_counter()
        for row in rows:
            stored.data[int(row)]
        random = time.perf_counter()
    return written - start, read - written, random - read, opened - written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--chunk-size", type=int, default=250)
    parser.add_argument("--shape", type=int, nargs=2, default=(128, 128))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--random", type=int, default=300, help="random single rows read")
    parser.add_argument("--folder", default=None)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(dir=args.folder)
    rows = np.random.default_rng(0).integers(0, args.n_samples, args.random)
    megabytes = args.n_samples * int(np.prod(args.shape)) * 4 / 1e6
    print(f"{args.n_samples} images of {args.shape[0]}x{args.shape[1]} float32 "
          f"({megabytes:.0f} MB), chunks of {args.chunk_size}, best of {args.repeats}")
    try:
        for suffix in (".zarr", ".h5"):
            best = {"with": [np.inf] * 4, "without": [np.inf] * 4}
            for _ in range(args.repeats):
                for side in ("with", "without"):
                    path = os.path.join(folder, f"s{suffix}")
                    with without_checksums() if side == "without" else contextlib.nullcontext():
                        times = _measure(path, args, rows)
                    best[side] = [min(a, b) for a, b in zip(best[side], times)]
                    shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
            print(f"\n{suffix}: {'':24s} with      without   cost")
            for i, what in enumerate(["write (MB/s)", "read in chunks (MB/s)",
                                      "random rows (rows/s)", "open (ms)"]):
                amount = [megabytes, megabytes, args.random, None][i]
                w, wo = best["with"][i], best["without"][i]
                if amount is None:
                    print(f"  {what:26s} {w * 1e3:8.1f}  {wo * 1e3:8.1f}")
                else:
                    print(f"  {what:26s} {amount / w:8.1f}  {amount / wo:8.1f}  "
                          f"{(wo / w - 1) * -100:+5.1f} %")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
