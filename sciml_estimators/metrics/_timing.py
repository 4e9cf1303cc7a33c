"""Time per sample, as the paper reports training and inference cost."""

import time

import numpy as np


def time_per_sample(func, n_samples, *, repeats=1):
    """Wall-clock seconds per sample of ``func()``, over ``repeats`` calls.

    Parameters
    ----------
    func : callable
        Called with no arguments; does the work on ``n_samples`` samples.
        Work on a GPU must be finished when it returns (returning a NumPy
        result, as ``predict`` does, ensures that).
    n_samples : int
        Number of samples ``func`` processes per call.
    repeats : int, default=1
        Number of timed calls.

    Returns
    -------
    timing : dict
        ``median``, ``min`` and ``max`` seconds per sample and the list of
        per-call ``values``; ``result`` holds what the last call returned.

    Examples
    --------
    >>> from sciml_estimators.metrics import time_per_sample
    >>> timing = time_per_sample(lambda: sum(range(1000)), 1000, repeats=3)
    >>> sorted(timing), timing["result"]
    (['max', 'median', 'min', 'result', 'values'], 499500)
    """
    values = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        values.append((time.perf_counter() - start) / n_samples)
    return {
        "median": float(np.median(values)),
        "min": float(np.min(values)),
        "max": float(np.max(values)),
        "values": values,
        "result": result,
    }
