"""Run one registered benchmark: simulate, split, fit, predict, score, time."""

import datetime
import inspect
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .._framework import Number, StrOptions, validate_params
from ..exceptions import OutOfDomainWarning
from ..metrics import (
    classification_scores,
    regression_scores,
    segmentation_scores,
    time_per_sample,
)
from ._registry import get_benchmark
from ._system import system_info


def _training_curve(estimator):
    """Per-epoch training losses of a skorch-backed or scikit-learn MLP, else []."""
    final = _final_step(estimator)
    net = getattr(final, "net_", None)
    if net is not None:
        return [float(loss) for loss in net.history[:, "train_loss"]]
    return [float(loss) for loss in getattr(final, "loss_curve_", [])]


_WARM_UP = 64


class Split(list):
    """``[X_train, X_test, y_train, y_test]``, with what else the dataset lets us score.

    Attributes
    ----------
    truth_test : ndarray or None
        The test samples' physical truth, where the dataset has one beside
        its training labels (``truth``).
    in_domain_test : tuple of ndarray or None
        ``(X, y)`` held out from the training instrument's data, where the
        test set comes from another instrument (``domain``); ``(X, y,
        truth)`` where the dataset has a truth too.
    """

    truth_test = None
    in_domain_test = None


def simulate_split(benchmark, n_samples, *, random_state=0, progress=False,
                   return_target_names=False, **options):
    """Simulate ``n_samples`` of ``benchmark``'s data and split it as it specifies.

    A dataset with a ``domain`` (0 for the training instrument, 1 for
    another) is split across it: the test set is the other instrument's
    samples (with their truth), and ``test_size`` of the training
    instrument's are held out as ``in_domain_test``. ``options`` are
    dataset options over the benchmark's ``default_options``.

    Returns
    -------
    split : Split
        ``X_train, X_test, y_train, y_test``: stratified for classification
        of one label per sample, random otherwise (regression, and masks of
        scenes); with ``truth_test`` when the dataset holds a physical
        ``truth`` beside its training labels.
    target_names : ndarray
        Only with ``return_target_names``: the dataset's ``target_names``.
    """
    data = benchmark.make_dataset(
        n_samples, random_state=random_state, progress=progress,
        **benchmark.dataset_options(options),
    )
    one_label = benchmark.task == "classification" and np.ndim(data.target) == 1
    source = slice(None) if "domain" not in data else data.domain == 0
    arrays = [data.data[source], data.target[source]]
    arrays += [data.truth[source]] if "truth" in data else []
    parts = train_test_split(
        *arrays,
        test_size=benchmark.test_size,
        stratify=arrays[1] if one_label else None,
        random_state=random_state,
    )
    split = Split(parts[:4])
    if "truth" in data:
        split.truth_test = parts[5]
    if "domain" in data:
        shifted = data.domain == 1
        split.in_domain_test = (split[1], split[3]) + (
            (split.truth_test,) if "truth" in data else ())
        split[1], split[3] = data.data[shifted], data.target[shifted]
        if "truth" in data:
            split.truth_test = data.truth[shifted]
    return (split, data.target_names) if return_target_names else split


def _class_names(classes, target_names):
    """The dataset's names of ``classes`` (indices into ``target_names``), or None."""
    classes = np.asarray(classes)
    if target_names is None or not (classes.dtype == bool
                                    or np.issubdtype(classes.dtype, np.integer)):
        return None
    index = classes.astype(int)
    if index.min() < 0 or index.max() >= len(target_names):
        return None
    return [str(target_names[i]) for i in index]


def _final_step(estimator):
    return estimator[-1] if hasattr(estimator, "steps") else estimator


def _predicts_std(estimator):
    """Whether ``estimator.predict`` takes ``return_std`` (a pipeline passes it on)."""
    try:
        parameters = inspect.signature(_final_step(estimator).predict).parameters
    except (TypeError, ValueError):
        return False
    return "return_std" in parameters


def _drops(shifted, in_domain):
    """How much worse the shifted test set scores than the in-domain one.

    ``accuracy_drop`` (and ``truth_accuracy_drop``) and ``r2_drop``: the
    in-domain score minus the shifted one; ``mae_<target>_ratio``: the
    shifted mean absolute error over the in-domain one.
    """
    drops = {f"{key}_drop": in_domain[key] - shifted[key]
             for key in ("accuracy", "truth_accuracy", "r2") if key in in_domain}
    drops.update({f"{key}_ratio": shifted[key] / in_domain[key] for key in in_domain
                  if key.startswith("mae") and in_domain[key] > 0})
    return drops


def _out_of_domain_fractions(fitted, X_test, in_domain_test):
    """The fractions of test (and in-domain test) samples the model scores out of its domain."""
    if getattr(fitted, "domain_", None) is None or not hasattr(fitted, "out_of_domain_score"):
        return {}
    fractions = {"out_of_domain_fraction": float(np.mean(fitted.out_of_domain_score(X_test) > 1))}
    if in_domain_test is not None:
        fractions["in_domain_out_of_domain_fraction"] = float(
            np.mean(fitted.out_of_domain_score(in_domain_test[0]) > 1))
    return fractions


def evaluate(build, split, *, repeats=1, task="classification", target_names=None,
             period=None, shifts_domain=False):
    """Fit fresh models from ``build()`` on a split; time and score them.

    Parameters
    ----------
    build : callable
        Returns an unfitted model with ``fit`` and, for classification,
        ``predict_proba`` and (once fitted) ``classes_``; for regression
        ``predict``, which may take ``return_std``.
    split : sequence of ndarray
        ``X_train, X_test, y_train, y_test``; a :class:`Split`'s
        ``truth_test`` and ``in_domain_test`` are scored too.
    repeats : int, default=1
        Timed fits and predictions; the last fitted model is scored. A
        warm-up fit and prediction on a few samples go first, so that one-time
        costs (imports, CUDA context, kernel compilation) are not timed.
    task : {"classification", "regression"}, default="classification"
        Classification times ``predict_proba`` and scores it with
        :func:`~sciml_estimators.metrics.classification_scores`, and label
        images with :func:`~sciml_estimators.metrics.segmentation_scores` too
        (Dice and IoU); regression
        times ``predict`` (with ``return_std=True`` where the model takes it)
        and scores it with :func:`~sciml_estimators.metrics.regression_scores`.
    target_names : sequence of str, default=None
        Names of the targets (regression) or of the classes (label images,
        whose labels index them), for the metrics' keys.
    period : float, default=None
        Regression only: the period of angular targets, whose errors are
        then measured on the circle.
    shifts_domain : bool, default=False
        The test samples come from another domain on purpose: the model's
        :class:`~sciml_estimators.exceptions.OutOfDomainWarning` is silenced.

    Returns
    -------
    scores : dict
        ``metrics`` (with a truth: ``truth_accuracy``, the predictions'
        agreement with it, and ``labels_truth_accuracy``, the test labels';
        across instruments: every score again on held-out samples of the
        training instrument, prefixed ``in_domain_``, and the drops:
        ``accuracy_drop``, ``truth_accuracy_drop`` and ``r2_drop``, the
        in-domain score minus the shifted one, and ``mae_<target>_ratio``,
        the shifted error over the in-domain one),
        ``train_time_per_sample``, ``inference_time_per_sample``
        (median, min, max, values) and ``training_curve``. For models with
        an ``out_of_domain_score`` (and a training domain), ``metrics`` also
        holds ``out_of_domain_fraction``, the test samples scored above 1
        (and ``in_domain_out_of_domain_fraction`` on in-domain samples).
    """
    X_train, X_test, y_train, y_test = split[:4]
    truth_test = getattr(split, "truth_test", None)
    in_domain_test = getattr(split, "in_domain_test", None)
    regression = task == "regression"

    def fit(X=X_train, y=y_train):
        with warnings.catch_warnings():
            # A benchmark trains a fixed budget on purpose.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return build().fit(X, y)

    def predict(model, X):
        with warnings.catch_warnings():
            if shifts_domain:
                warnings.simplefilter("ignore", OutOfDomainWarning)
            if not regression:
                return model.predict_proba(X)
            return (model.predict(X, return_std=True) if _predicts_std(model)
                    else model.predict(X))

    def score(prediction, y_true, truth=None):
        if regression:
            y_pred, y_std = prediction if isinstance(prediction, tuple) else (prediction, None)
            return regression_scores(y_true, y_pred, y_std, target_names, period=period)
        # Per pixel for scenes: probabilities (..., n_classes) against masks (...).
        proba = prediction.reshape(-1, prediction.shape[-1])
        y_pred = fitted.classes_[np.argmax(proba, axis=1)]
        scores = classification_scores(np.ravel(y_true), y_pred, proba, fitted.classes_)
        if np.ndim(y_true) > 1:
            scores.update(segmentation_scores(y_true, y_pred, fitted.classes_,
                                              _class_names(fitted.classes_, target_names)))
        if truth is not None:
            truth = np.ravel(truth)
            scores["truth_accuracy"] = float(np.mean(y_pred == truth))
            scores["labels_truth_accuracy"] = float(np.mean(np.ravel(y_true) == truth))
        return scores

    # Scenes with a mask each are thousands of samples apiece: warm up on two.
    warm_up = _WARM_UP if np.ndim(y_train) == 1 else 2
    if regression or np.unique(y_train[:warm_up]).size > 1:
        predict(fit(X_train[:warm_up], y_train[:warm_up]), X_test[:warm_up])

    fit_timing = time_per_sample(fit, len(X_train), repeats=repeats)
    fitted = fit_timing.pop("result")
    predict_timing = time_per_sample(lambda: predict(fitted, X_test), len(X_test), repeats=repeats)
    prediction = predict_timing.pop("result")
    metrics = score(prediction, y_test, truth_test)
    if in_domain_test is not None:
        X_in, *labels_in = in_domain_test
        in_domain = score(predict(fitted, X_in), *labels_in)
        metrics.update({f"in_domain_{key}": value for key, value in in_domain.items()})
        metrics.update(_drops(metrics, in_domain))
    metrics.update(_out_of_domain_fractions(fitted, X_test, in_domain_test))
    return {
        "metrics": metrics,
        "train_time_per_sample": fit_timing,
        "inference_time_per_sample": predict_timing,
        "training_curve": _training_curve(fitted),
    }


@validate_params(
    {
        "name": [str],
        "device": [StrOptions({"cpu", "cuda", "auto"})],
        "estimator": [str, None],
        "quick": ["boolean"],
        "n_samples": [Number(Integral, 1, None, closed="left"), None],
        "max_epochs": [Number(Integral, 1, None, closed="left"), None],
        "repeats": [Number(Integral, 1, None, closed="left")],
        "random_state": [Number(Integral, 0, 2**32 - 1, closed="both")],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
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
        Use the benchmark's small ``quick_n_samples`` instead of the paper's
        size, and its ``quick_max_epochs`` where it sets one.
    n_samples : int, default=None
        Dataset size, at least 1; overrides ``quick``'s. ``None`` is the
        benchmark's size.
    max_epochs : int, default=None
        Training epochs, at least 1, for estimators that have them; ``None``
        keeps the benchmark's budget (or ``quick_max_epochs`` with ``quick``).
    repeats : int, default=1
        Fits and predictions timed, at least 1; timings report median, min
        and max.
    random_state : int, default=0
        Seeds the data, the split and the estimator; 0 to 2**32 - 1.
    progress : bool, default=False
        Show progress bars.
    **options
        Dataset options of the benchmark (e.g. ``noise="poisson"``), over
        its ``default_options``.

    Returns
    -------
    result : dict
        JSON-ready: the benchmark's ``task``, the dataset options it ran
        with (defaults included), metrics (see :func:`evaluate`),
        timings per sample, training curve, sizes, device and the system it
        ran on.

    Examples
    --------
    >>> from sciml_estimators.bench import run_benchmark
    >>> result = run_benchmark("saxs-1d", n_samples=200, max_epochs=5)
    >>> result["n_train"], result["n_test"], result["metrics"]["accuracy"] > 0.8
    (160, 40, True)
    """
    benchmark = get_benchmark(name)
    estimator_name = benchmark.check_estimator(estimator)
    options = benchmark.dataset_options(options)
    # Resolve "auto" and reject a missing CUDA before minutes of simulation.
    from .._engine._torch_support import resolve_device

    device = resolve_device(device)
    if max_epochs is None and quick:
        max_epochs = benchmark.quick_max_epochs
    model = benchmark.estimators[estimator_name](
        device=device, random_state=random_state, max_epochs=max_epochs, verbose=int(progress)
    )
    size = n_samples
    if size is None:
        size = benchmark.quick_n_samples if quick else benchmark.n_samples
    import torch

    threads = torch.get_num_threads()
    split, target_names = simulate_split(
        benchmark, size, random_state=random_state, progress=progress, return_target_names=True,
        **options,
    )
    # Numba's OpenMP layer can reset the OpenMP thread count that torch reads
    # (seen once: 1 became 2 after a simulation); train with what was set.
    torch.set_num_threads(threads)
    scores = evaluate(lambda: clone(model), split, repeats=repeats, task=benchmark.task,
                      target_names=target_names, period=benchmark.target_period,
                      shifts_domain=benchmark.shifts_domain)
    return {
        "benchmark": name,
        "task": benchmark.task,
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
