"""Run one registered benchmark: simulate, split, fit, predict, score, time."""

import datetime
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ..metrics import classification_scores, time_per_sample
from ._registry import get_benchmark
from ._system import system_info


def _training_curve(estimator):
    """Per-epoch training losses of a skorch-backed or scikit-learn MLP, else []."""
    final = estimator[-1] if hasattr(estimator, "steps") else estimator
    net = getattr(final, "net_", None)
    if net is not None:
        return [float(loss) for loss in net.history[:, "train_loss"]]
    return [float(loss) for loss in getattr(final, "loss_curve_", [])]


_WARM_UP = 64


def simulate_split(benchmark, n_samples, *, random_state=0, progress=False, **options):
    """Simulate ``n_samples`` of ``benchmark``'s data and split it as it specifies.

    Returns
    -------
    split : list of ndarray
        ``X_train, X_test, y_train, y_test`` (stratified).
    """
    data = benchmark.make_dataset(
        n_samples, random_state=random_state, progress=progress, **options
    )
    return train_test_split(
        data.data,
        data.target,
        test_size=benchmark.test_size,
        stratify=data.target,
        random_state=random_state,
    )


def evaluate(build, split, *, repeats=1):
    """Fit fresh models from ``build()`` on a split; time and score them.

    Parameters
    ----------
    build : callable
        Returns an unfitted model with ``fit``, ``predict_proba`` and, once
        fitted, ``classes_``.
    split : sequence of ndarray
        ``X_train, X_test, y_train, y_test``.
    repeats : int, default=1
        Timed fits and predictions; the last fitted model is scored. A
        warm-up fit and prediction on a few samples go first, so that one-time
        costs (imports, CUDA context, kernel compilation) are not timed.

    Returns
    -------
    scores : dict
        ``metrics``, ``train_time_per_sample``, ``inference_time_per_sample``
        (median, min, max, values) and ``training_curve``.
    """
    X_train, X_test, y_train, y_test = split

    def fit(X=X_train, y=y_train):
        with warnings.catch_warnings():
            # A benchmark trains a fixed budget on purpose.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return build().fit(X, y)

    if np.unique(y_train[:_WARM_UP]).size > 1:
        fit(X_train[:_WARM_UP], y_train[:_WARM_UP]).predict_proba(X_test[:_WARM_UP])

    fit_timing = time_per_sample(fit, len(X_train), repeats=repeats)
    fitted = fit_timing.pop("result")
    proba_timing = time_per_sample(
        lambda: fitted.predict_proba(X_test), len(X_test), repeats=repeats
    )
    proba = proba_timing.pop("result")
    y_pred = fitted.classes_[np.argmax(proba, axis=1)]
    return {
        "metrics": classification_scores(y_test, y_pred, proba, fitted.classes_),
        "train_time_per_sample": fit_timing,
        "inference_time_per_sample": proba_timing,
        "training_curve": _training_curve(fitted),
    }


def run_benchmark(
    name,
    *,
    device="cpu",
    estimator=None,
    quick=False,
    n_samples=None,
    max_epochs=None,
    repeats=1,
    random_state=0,
    progress=False,
    **options,
):
    """Run benchmark ``name`` once end to end and return its result.

    Parameters
    ----------
    name : str
        A name from :func:`list_benchmarks`.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where the estimator trains and predicts.
    estimator : str, default=None
        Which of the benchmark's estimators; ``None`` for the reference.
    quick : bool, default=False
        Use the benchmark's small ``quick_n_samples`` instead of the paper's size.
    n_samples : int, default=None
        Dataset size; overrides ``quick``.
    max_epochs : int, default=None
        Training epochs, for estimators that have them; ``None`` keeps the
        estimator's default.
    repeats : int, default=1
        Fits and predictions timed; timings report median, min and max.
    random_state : int, default=0
        Seeds the data, the split and the estimator.
    progress : bool, default=False
        Show progress bars.
    **options
        Dataset options of the benchmark (e.g. ``noise="poisson"``).

    Returns
    -------
    result : dict
        JSON-ready: metrics, timings per sample, training curve, sizes,
        device and the system it ran on.

    Examples
    --------
    >>> from sciml_estimators.bench import run_benchmark
    >>> result = run_benchmark("saxs-1d", n_samples=200, max_epochs=5)
    >>> result["n_train"], result["n_test"], result["metrics"]["accuracy"] > 0.8
    (160, 40, True)
    """
    benchmark = get_benchmark(name)
    estimator_name = benchmark.reference if estimator is None else estimator
    if estimator_name not in benchmark.estimators:
        raise ValueError(
            f"unknown estimator {estimator_name!r} for benchmark {name!r}; "
            f"choose from: {', '.join(benchmark.estimators)}"
        )
    for option in options:
        if option not in benchmark.options:
            raise ValueError(
                f"benchmark {name!r} has no option {option!r}; "
                f"its options: {', '.join(benchmark.options) or 'none'}"
            )
    # Resolve "auto" and reject a missing CUDA before minutes of simulation.
    from ..estimators._torch_support import resolve_device

    device = resolve_device(device)
    model = benchmark.estimators[estimator_name](
        device=device, random_state=random_state, max_epochs=max_epochs, verbose=int(progress)
    )
    size = n_samples or (benchmark.quick_n_samples if quick else benchmark.n_samples)
    split = simulate_split(benchmark, size, random_state=random_state, progress=progress, **options)
    scores = evaluate(lambda: clone(model), split, repeats=repeats)
    return {
        "benchmark": name,
        "estimator": estimator_name,
        "estimator_class": type(model).__name__,
        "estimator_params": {k: repr(v) for k, v in model.get_params(deep=False).items()},
        "device": device,
        "options": dict(options),
        "n_samples": size,
        "n_train": len(split[0]),
        "n_test": len(split[1]),
        "max_epochs": len(scores["training_curve"]) or None,
        "repeats": repeats,
        "random_state": random_state,
        **scores,
        "system": system_info(),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
