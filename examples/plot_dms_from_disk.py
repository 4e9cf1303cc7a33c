"""
DMS at scale: simulate to disk on a Dask cluster, train from the store
======================================================================

The workflow for sets larger than memory, at a size that runs in a minute:

1. ``make_dms(..., out=...)`` simulates the patterns chunk by chunk on an
   embedded Dask cluster (``client="local"``; a scheduler address runs the
   same code on a real cluster) into Zarr stores, a training and a test set,
   and returns them opened lazily;
2. ``DMSAngleRegressor.fit`` reads the training store block by block for its
   statistics and batch by batch for training, never whole;
3. ``predict`` reads the test store in blocks; the predictions are plotted
   against the true azimuthal angle.

For 250,000 patterns of 128 x 128 pixels (16 GB), raise ``N_TRAIN`` and the
shape: memory stays near one chunk per worker (docs/performance.md). As with
any code that starts worker processes, keep the script's work under
``if __name__ == "__main__":``.
"""

import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np

from sciml_estimators.datasets import make_dms
from sciml_estimators.estimators import DMSAngleRegressor
from sciml_estimators.metrics import angular_distance

N_TRAIN, N_TEST = 400, 100
SHAPE = (48, 48)


def main():
    """Simulate, train from disk, predict, plot."""
    folder = tempfile.mkdtemp()
    settings = dict(shape=SHAPE, chunk_size=100, n_jobs=2, client="local")
    train = make_dms(N_TRAIN, out=os.path.join(folder, "train.zarr"), random_state=0, **settings)
    test = make_dms(N_TEST, out=os.path.join(folder, "test.zarr"), random_state=1, **settings)
    print(train.data)
    print(f"written by {train.attrs['generator']} {train.attrs['version']}, "
          f"random_state={train.attrs['random_state']}, options {train.attrs['options']}")

    model = DMSAngleRegressor(max_epochs=6, random_state=0).fit(train.data, train.target)
    psi = test.target[:]
    predicted = model.predict(test.data)
    error = np.median(angular_distance(psi, predicted, model.period))
    print(f"test: {N_TEST} patterns, median angular error {error:.2f} degrees, "
          f"circular R^2 {model.score(test.data, psi):.3f}")

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.scatter(psi, predicted, s=8)
    ax.plot([0, model.period], [0, model.period], color="grey", lw=0.8)
    ax.set(xlabel="true psi (degrees)", ylabel="predicted psi (degrees)",
           title=f"DMSAngleRegressor trained from {os.path.basename(folder)}/train.zarr")
    fig.tight_layout()
    plt.show()
    train.close()
    test.close()


# The embedded Dask cluster starts worker processes that import this script
# again: the guard keeps them from running it.
if __name__ == "__main__":
    main()
