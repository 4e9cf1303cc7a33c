"""asv: fit/predict time, peak memory and scores of every registered benchmark.

The suite reads the registry, so a benchmark registered once appears here, at
the paper's size and training budget unless ``SIZES`` makes it smaller. Each
estimator with a plain PyTorch loop (the benchmark's ``plain_reference``) is
timed beside it (same network, epochs and batch sizes); ``track_*_overhead``
is estimator time / plain-loop time. Classification benchmarks track the test
accuracy and time ``predict_proba``; regression benchmarks track R² and time
``predict``. torch runs on one thread: on 2 cores, more threads fight asv's
own process. CUDA cells raise NotImplementedError in setup (asv shows them as
skipped) where CUDA is absent; the cells that do not apply to a benchmark
(no plain loop, the other task) are skipped through ``skip_params``.
"""

import torch

from sciml_estimators.bench import get_benchmark, list_benchmarks
from sciml_estimators.bench._runner import simulate_split
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it

torch.set_num_threads(1)

DEVICES = ["cpu", "cuda"]
SEED = 0
#: (n_samples, max_epochs) of the benchmarks too slow to time at the paper's
#: size and budget. The magnon CNN takes 5-10 ms per image per epoch on one
#: CPU thread: 400 images (360 to train; its --quick size and budget) for 2
#: epochs is a fit of 4-8 s. The cloud MLP runs at about 1 us per pixel and
#: epoch: 50 scenes (40 to train, 2.5 million pixels) for one epoch is a fit
#: of about 2 s. The FLImP U-Net takes 2-7 s per 512 x 512 micrograph and epoch
#: on one thread (width 8-16): 10 micrographs (8 to train) for one epoch.
SIZES = {"magnons": (400, 2), "dms": (400, 2), "cloud": (50, 1), "magnons-shift": (400, 2),
         "dms-shift": (400, 2), "cloud-shift": (50, 1), "flimp": (10, 1),
         "flimp-populations": (10, 1)}


def _size(name):
    return SIZES.get(name, (get_benchmark(name).n_samples, None))


def _split(name):
    return simulate_split(get_benchmark(name), _size(name)[0], random_state=SEED)


def _reference(name, device, max_epochs=None):
    benchmark = get_benchmark(name)
    if device == "cuda" and not torch.cuda.is_available():
        raise NotImplementedError("CUDA is not available")
    factory = benchmark.estimators[benchmark.reference]
    max_epochs = max_epochs or _size(name)[1]
    return factory(device=device, random_state=SEED, max_epochs=max_epochs, verbose=0)


def _cells_where(condition):
    """asv ``skip_params``: the (benchmark, device) cells of the benchmarks where ``condition``."""
    return [(name, device) for name in list_benchmarks() if condition(get_benchmark(name))
            for device in DEVICES]  # fmt: skip


# What asv_runner's @skip_for_params sets, without importing asv_runner.
NO_PLAIN = _cells_where(lambda benchmark: benchmark.plain_reference is None)
REGRESSION = _cells_where(lambda benchmark: benchmark.task == "regression")
CLASSIFICATION = _cells_where(lambda benchmark: benchmark.task == "classification")


def _plain(name, estimator):
    plain_reference = get_benchmark(name).plain_reference
    return None if plain_reference is None else plain_reference(estimator)


def _best_time(func, repeats=3):
    return metrics.time_per_sample(func, 1, repeats=repeats)["min"]


class _Suite:
    params = [list_benchmarks(), DEVICES]
    param_names = ["benchmark", "device"]
    timeout = 1200

    def setup_cache(self):
        return {name: _split(name) for name in list_benchmarks()}


class Fit(_Suite):
    """Training the reference estimator and its plain PyTorch loop."""

    number = 1
    repeat = 3

    def setup(self, splits, name, device):
        self.X_train, self.X_test, self.y_train, self.y_test = splits[name][:4]
        self.estimator = _reference(name, device)
        self.plain = _plain(name, self.estimator)

    def time_fit(self, splits, name, device):
        self.estimator.fit(self.X_train, self.y_train)

    def time_plain_fit(self, splits, name, device):
        self.plain.fit(self.X_train, self.y_train)

    time_plain_fit.skip_params = NO_PLAIN

    def peakmem_fit(self, splits, name, device):
        self.estimator.fit(self.X_train, self.y_train)

    def track_accuracy(self, splits, name, device):
        return self.estimator.fit(self.X_train, self.y_train).score(self.X_test, self.y_test)

    track_accuracy.unit = "accuracy"
    track_accuracy.skip_params = REGRESSION

    def track_r2(self, splits, name, device):
        return self.estimator.fit(self.X_train, self.y_train).score(self.X_test, self.y_test)

    track_r2.unit = "R²"
    track_r2.skip_params = CLASSIFICATION

    def track_fit_overhead(self, splits, name, device):
        fit = _best_time(lambda: self.estimator.fit(self.X_train, self.y_train))
        return fit / _best_time(lambda: self.plain.fit(self.X_train, self.y_train))

    track_fit_overhead.unit = "estimator / plain loop"
    track_fit_overhead.skip_params = NO_PLAIN


class Predict(_Suite):
    """Inference of a fitted reference estimator and of its plain loop.

    Inference cost does not depend on how long the model trained, so the
    models are fitted for one epoch in setup.
    """

    def setup(self, splits, name, device):
        X_train, self.X_test, y_train, _ = splits[name][:4]
        self.estimator = _reference(name, device, max_epochs=1).fit(X_train, y_train)
        self.plain = _plain(name, self.estimator)
        if self.plain is not None:
            self.plain.fit(X_train, y_train)

    def time_predict_proba(self, splits, name, device):
        self.estimator.predict_proba(self.X_test)

    time_predict_proba.skip_params = REGRESSION

    def time_predict(self, splits, name, device):
        self.estimator.predict(self.X_test)

    time_predict.skip_params = CLASSIFICATION

    def time_plain_predict_proba(self, splits, name, device):
        self.plain.predict_proba(self.X_test)

    time_plain_predict_proba.skip_params = NO_PLAIN

    def track_predict_overhead(self, splits, name, device):
        predict = _best_time(lambda: self.estimator.predict_proba(self.X_test), repeats=20)
        return predict / _best_time(lambda: self.plain.predict_proba(self.X_test), repeats=20)

    track_predict_overhead.unit = "estimator / plain loop"
    track_predict_overhead.skip_params = NO_PLAIN
