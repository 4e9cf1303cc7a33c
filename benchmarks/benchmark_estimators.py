"""asv: fit/predict time, peak memory and accuracy of every registered benchmark.

The suite reads the registry, so a benchmark registered once appears here.
Each estimator is timed beside its plain PyTorch loop (same network, epochs
and batch sizes); ``track_*_overhead`` is estimator time / plain-loop time.
torch runs on one thread: on 2 cores, more threads fight asv's own process.
CUDA cells raise NotImplementedError in setup (asv shows them as skipped)
where CUDA is absent.
"""

import torch
from sklearn.model_selection import train_test_split

from sciml_estimators.bench import get_benchmark, list_benchmarks
from sciml_estimators import metrics  # not `import time_per_sample`: asv would run it

torch.set_num_threads(1)

DEVICES = ["cpu", "cuda"]
SEED = 0


def _split(name):
    benchmark = get_benchmark(name)
    data = benchmark.make_dataset(benchmark.n_samples, random_state=SEED, progress=False)
    return train_test_split(
        data.data, data.target, test_size=benchmark.test_size, stratify=data.target,
        random_state=SEED,
    )


def _reference(name, device, max_epochs=None):
    benchmark = get_benchmark(name)
    if device == "cuda" and not torch.cuda.is_available():
        raise NotImplementedError("CUDA is not available")
    factory = benchmark.estimators[benchmark.reference]
    return factory(device=device, random_state=SEED, max_epochs=max_epochs, verbose=0)


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
        self.X_train, self.X_test, self.y_train, self.y_test = splits[name]
        self.estimator = _reference(name, device)
        self.plain = get_benchmark(name).plain_reference(self.estimator)

    def time_fit(self, splits, name, device):
        self.estimator.fit(self.X_train, self.y_train)

    def time_plain_fit(self, splits, name, device):
        self.plain.fit(self.X_train, self.y_train)

    def peakmem_fit(self, splits, name, device):
        self.estimator.fit(self.X_train, self.y_train)

    def track_accuracy(self, splits, name, device):
        return self.estimator.fit(self.X_train, self.y_train).score(self.X_test, self.y_test)

    track_accuracy.unit = "accuracy"

    def track_fit_overhead(self, splits, name, device):
        fit = _best_time(lambda: self.estimator.fit(self.X_train, self.y_train))
        return fit / _best_time(lambda: self.plain.fit(self.X_train, self.y_train))

    track_fit_overhead.unit = "estimator / plain loop"


class Predict(_Suite):
    """Inference of a fitted reference estimator and of its plain loop.

    Inference cost does not depend on how long the model trained, so the
    models are fitted for one epoch in setup.
    """

    def setup(self, splits, name, device):
        X_train, self.X_test, y_train, _ = splits[name]
        self.estimator = _reference(name, device, max_epochs=1).fit(X_train, y_train)
        self.plain = get_benchmark(name).plain_reference(self.estimator).fit(X_train, y_train)

    def time_predict_proba(self, splits, name, device):
        self.estimator.predict_proba(self.X_test)

    def time_plain_predict_proba(self, splits, name, device):
        self.plain.predict_proba(self.X_test)

    def track_predict_overhead(self, splits, name, device):
        predict = _best_time(lambda: self.estimator.predict_proba(self.X_test), repeats=20)
        return predict / _best_time(lambda: self.plain.predict_proba(self.X_test), repeats=20)

    track_predict_overhead.unit = "estimator / plain loop"
