"""Sets on disk (asv): writing a simulated set, and training from it against memory.

``WriteDataset`` writes 2,000 DMS patterns of 64 x 64 pixels in chunks of
250 with ``make_dms(out=...)``, as Zarr and as HDF5, in this process
(``n_jobs=1``), and records the time and the peak memory: the peak follows
the chunk (4 MB here), not the set (33 MB). ``FitFromDisk`` fits the SAXS
MLP for two epochs on 4,000 profiles held in memory, in a Zarr store and in
an HDF5 file: the ratio of the on-disk to the in-memory time is the cost of
reading every mini-batch from the file (the fitted models are identical,
which ``tests/estimators/test_streaming.py`` checks).
``benchmarks/generation_memory.py`` and ``benchmarks/streaming_fit.py`` do
the same at full size.
"""

import os
import shutil
import tempfile

import numpy as np
import torch

from sciml_estimators.datasets import make_dms, make_saxs_1d
from sciml_estimators.estimators import SAXSClassifier

FORMATS = [".zarr", ".h5"]


class WriteDataset:
    params = FORMATS
    param_names = ["format"]
    timeout = 300

    def setup(self, suffix):
        self.folder = tempfile.mkdtemp()
        self.path = os.path.join(self.folder, f"dms{suffix}")
        make_dms(4, shape=(64, 64), random_state=0)  # compile or load the kernel

    def teardown(self, suffix):
        shutil.rmtree(self.folder, ignore_errors=True)

    def _write(self):
        make_dms(2000, shape=(64, 64), out=self.path, chunk_size=250, random_state=0,
                 overwrite=True).close()

    def time_write(self, suffix):
        self._write()

    def peakmem_write(self, suffix):
        self._write()


class FitFromDisk:
    params = ["memory", *FORMATS]
    param_names = ["source"]
    timeout = 300

    def setup(self, source):
        torch.set_num_threads(1)
        self.folder = tempfile.mkdtemp()
        self.saxs = make_saxs_1d(4000, out=os.path.join(self.folder, "saxs.zarr"),
                                 chunk_size=1000, random_state=0)
        self.y = np.asarray(self.saxs.target)
        if source == "memory":
            self.X = np.asarray(self.saxs.data)
        elif source == ".h5":
            self.h5 = make_saxs_1d(4000, out=os.path.join(self.folder, "saxs.h5"),
                                   chunk_size=1000, random_state=0)
            self.X = self.h5.data
        else:
            self.X = self.saxs.data
        SAXSClassifier(max_epochs=1, random_state=0).fit(np.asarray(self.X[:64]), self.y[:64])

    def teardown(self, source):
        self.saxs.close()
        if source == ".h5":
            self.h5.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def time_fit(self, source):
        SAXSClassifier(max_epochs=2, random_state=0).fit(self.X, self.y)
