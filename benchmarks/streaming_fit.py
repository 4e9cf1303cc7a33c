"""Training from a set on disk against training from memory: time, and the same model.

For the SAXS MLP (``SAXSClassifier``, the cheapest step of our networks, so
the worst case for reading batches from disk) and the DMS CNN
(``DMSAngleRegressor``), this writes the training set with
``make_*(out=...)`` as Zarr and as HDF5, then fits the estimator on the
in-memory array, on the Zarr store and on the HDF5 file with one seed. It
prints the fit times and checks that the three fitted models predict
identically (the on-disk path is bit-identical by construction).

One torch thread and ``OMP/NUMBA_NUM_THREADS=1`` (set before the imports),
so the three fits see the same single core.

Run ``python benchmarks/streaming_fit.py`` (the figures in
docs/performance.md); ``--saxs-samples 300000 --dms-samples 0`` trains on a
set larger than one shuffling window (400 MB of features), read block by
block; ``--saxs-samples 2000 --dms-samples 200`` checks it quickly (0 skips
a network).
"""

import argparse
import os
import platform
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.base import clone  # noqa: E402

from sciml_estimators.datasets import make_dms, make_saxs_1d  # noqa: E402
from sciml_estimators.estimators import DMSAngleRegressor, SAXSClassifier  # noqa: E402


def _fit_seconds(estimator, X, y):
    start = time.perf_counter()
    estimator.fit(X, y)
    return time.perf_counter() - start, estimator


def compare(name, make, n_samples, chunk_size, estimator, folder):
    """Fit ``estimator`` in memory, from Zarr and from HDF5; print times, check predictions."""
    stores = {suffix: make(n_samples, out=os.path.join(folder, f"{name}{suffix}"),
                           chunk_size=chunk_size, random_state=0)
              for suffix in (".zarr", ".h5")}
    X, y = np.asarray(stores[".zarr"].data), np.asarray(stores[".zarr"].target)
    rows = [("memory", X)] + [(f"disk {suffix}", store.data) for suffix, store in stores.items()]
    # Warm up (the first Adam step imports torch._dynamo; numba caches load).
    clone(estimator).set_params(max_epochs=1).fit(X[:64], y[:64])
    reference = None
    for label, data in rows:
        seconds, fitted = _fit_seconds(clone(estimator), data, y)
        prediction = fitted.predict(X[:500])
        if reference is None:
            reference, base = prediction, seconds
        same = np.array_equal(prediction, reference)
        per_epoch = seconds / fitted.max_epochs
        print(f"{name:<5} {label:<12} {n_samples:>8} {per_epoch:10.2f} s/epoch "
              f"{seconds / base:6.2f}x  same predictions: {same}")
    for store in stores.values():
        store.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saxs-samples", type=int, default=20_000, help="0 skips the MLP")
    parser.add_argument("--dms-samples", type=int, default=2_000, help="0 skips the CNN")
    parser.add_argument("--folder", default=None, help="where to write the stores (temporary)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs; torch "
          f"{torch.__version__}, 1 thread")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        if args.saxs_samples:
            compare("saxs", make_saxs_1d, args.saxs_samples, 1000,
                    SAXSClassifier(max_epochs=3, random_state=0), folder)
        if args.dms_samples:
            compare("dms", make_dms, args.dms_samples, 250,
                    DMSAngleRegressor(max_epochs=1, random_state=0), folder)


if __name__ == "__main__":
    main()
