"""The benchmark registry: each benchmark is declared once and read by all tools.

A benchmark is a specification (dataset, split, metrics) plus a reference
estimator and alternatives; the command line, the runner, the reports and the
asv suite all iterate over :func:`list_benchmarks`. Describing the benchmarks
imports no simulator, no estimator and no torch: dataset makers and plain loops
are registered as :class:`Deferred` names, and estimator factories import what
they build, so that ``sciml-estimators list`` starts in well under a second.
"""

import importlib
from dataclasses import dataclass, field
from typing import Callable

_REGISTRY = {}
#: The kinds of benchmark the runner, the command line and the reports know.
TASKS = ("classification", "regression")


@dataclass(frozen=True)
class Benchmark:
    """One benchmark's specification.

    Parameters
    ----------
    name : str
        Command-line name, e.g. ``"saxs-1d"``.
    description : str
        One line for ``sciml-estimators list``.
    make_dataset : callable
        ``make_dataset(n_samples, *, random_state, progress, **options)``
        returning a Bunch with ``data``, ``target`` and ``target_names``;
        a :class:`Deferred` one, so that registering it imports nothing.
    n_samples : int
        The paper's dataset size.
    quick_n_samples : int
        A size that runs in seconds, for ``--quick`` and CI.
    estimators : dict of str to callable
        Estimator factories by name; the first is the reference. Each is
        called as ``factory(device=..., random_state=..., max_epochs=...,
        verbose=...)`` (``max_epochs=None`` for the benchmark's budget) and
        returns an unfitted estimator; factories of CPU-only estimators call
        :func:`cpu_only`.
    test_size : float, default=0.2
        Fraction held out for evaluation (a stratified split for
        classification, a random one for regression).
    options : dict, default={}
        Dataset options the command line may set, with their allowed values.
    plain_reference : callable, default=None
        ``plain_reference(estimator)`` returns a hand-written PyTorch loop
        with the fitted-reference's network, epochs and batch sizes (an
        object with ``fit`` and ``predict_proba``), to measure the wrapper's
        overhead against; a :class:`Deferred` one, as ``make_dataset``.
    paper : str, default=""
        The paper's figures for this benchmark, for reports.
    task : {"classification", "regression"}, default="classification"
        What the estimators do, which sets the split and the metrics:
        classification is scored by accuracy, log loss and F1 from
        ``predict_proba``; regression by MAE and RMSE per target, R² and,
        for estimators whose ``predict`` takes ``return_std``, the coverage
        of their 68 % and 95 % intervals. Declared rather than read from the
        reference estimator (``sklearn.base.is_regressor``) so that the
        registry, the reports and asv know it without building an estimator;
        a test checks that the two agree.
    quick_max_epochs : int, default=None
        Training epochs of ``--quick`` runs that do not set ``max_epochs``;
        ``None`` keeps the benchmark's budget.
    target_period : float, default=None
        Regression of an angle: the period after which it repeats; errors
        and R² are then measured on the circle.
    shifts_domain : bool, default=False
        The test set comes from another domain than the training set on
        purpose (another instrument): the estimators'
        ``OutOfDomainWarning`` is silenced there, and the fraction of test
        samples they flag is reported.
    default_options : dict, default={}
        Dataset options a run takes unless it sets them, each one of
        ``options``' values: ``{"nuisances": "measured"}`` makes the
        measured-like data the benchmark's, and the ideal data one option
        away (``nuisances=None``, ``--nuisances ideal``).

    Examples
    --------
    >>> from sciml_estimators.bench import get_benchmark
    >>> saxs = get_benchmark("saxs-1d")
    >>> saxs.n_samples, saxs.reference
    (20000, 'mlp')
    """

    name: str
    description: str
    make_dataset: Callable
    n_samples: int
    quick_n_samples: int
    estimators: dict
    test_size: float = 0.2
    options: dict = field(default_factory=dict)
    plain_reference: Callable = None
    paper: str = ""
    task: str = "classification"
    quick_max_epochs: int = None
    target_period: float = None
    shifts_domain: bool = False
    default_options: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.task not in TASKS:
            raise ValueError(
                f"benchmark {self.name!r}: task must be one of {', '.join(TASKS)}; "
                f"got {self.task!r}"
            )
        self.check_options(self.default_options)

    def dataset_options(self, options):
        """The options a run passes to ``make_dataset``: ``default_options`` updated by ``options``.

        Parameters
        ----------
        options : dict
            The run's dataset options, checked with :meth:`check_options`.

        Returns
        -------
        options : dict
            A new dict.

        Examples
        --------
        >>> from sciml_estimators.bench import get_benchmark
        >>> get_benchmark("saxs-1d").dataset_options({"noise": "poisson"})
        {'noise': 'poisson'}
        """
        self.check_options(options)
        return {**self.default_options, **options}

    def check_options(self, options):
        """Raise a ValueError naming any option, or option value, this benchmark lacks.

        Parameters
        ----------
        options : dict
            Dataset options by name, e.g. ``{"noise": "poisson"}``.
        """
        for option, value in options.items():
            if option not in self.options:
                raise ValueError(
                    f"benchmark {self.name!r} has no option {option!r}; "
                    f"its options: {', '.join(self.options) or 'none'}"
                )
            if value not in self.options[option]:
                raise ValueError(
                    f"benchmark {self.name!r} has no {option} {value!r}; "
                    f"its {option} values: {', '.join(map(str, self.options[option]))}"
                )

    def check_estimator(self, name):
        """The estimator name ``name`` resolves to; a ValueError naming the valid ones if none.

        Parameters
        ----------
        name : str or None
            An estimator of this benchmark, or None for the reference.

        Returns
        -------
        name : str
            ``name``, or the reference's name for None.
        """
        name = self.reference if name is None else name
        if name not in self.estimators:
            raise ValueError(
                f"unknown estimator {name!r} for benchmark {self.name!r}; "
                f"choose from: {', '.join(self.estimators)}"
            )
        return name

    @property
    def reference(self):
        """Name of the reference estimator."""
        return next(iter(self.estimators))


class Deferred:
    """A callable named ``"module:attribute"``, imported when it is called.

    Parameters
    ----------
    target : str
        The absolute module name and the attribute path in it, e.g.
        ``"sciml_estimators.datasets:make_saxs_1d"`` or
        ``"sciml_estimators.bench._plain_torch:PlainMLPClassifier.like"``.

    Examples
    --------
    >>> from sciml_estimators.bench._registry import Deferred
    >>> hypot = Deferred("math:hypot")
    >>> hypot
    Deferred('math:hypot')
    >>> hypot(3, 4)
    5.0
    """

    def __init__(self, target):
        self.target = target

    def __call__(self, *args, **kwargs):
        module, _, path = self.target.partition(":")
        obj = importlib.import_module(module)
        for name in path.split("."):
            obj = getattr(obj, name)
        return obj(*args, **kwargs)

    def __repr__(self):
        return f"Deferred({self.target!r})"


def cpu_only(device, estimator_name):
    """Refuse a CUDA run of an estimator that only runs on the CPU."""
    if device != "cpu":
        raise ValueError(f"estimator {estimator_name!r} runs on the CPU only; use --device cpu.")


def register(benchmark):
    """Add ``benchmark`` to the registry; its name must be new.

    Parameters
    ----------
    benchmark : Benchmark
        The specification to add.

    Returns
    -------
    benchmark : Benchmark
        The same object, so that a module can write ``X = register(Benchmark(...))``.

    Examples
    --------
    >>> from sciml_estimators.bench import get_benchmark, register
    >>> register(get_benchmark("saxs-1d"))
    Traceback (most recent call last):
    ...
    ValueError: a benchmark named 'saxs-1d' is already registered
    """
    if benchmark.name in _REGISTRY:
        raise ValueError(f"a benchmark named {benchmark.name!r} is already registered")
    _REGISTRY[benchmark.name] = benchmark
    return benchmark


def list_benchmarks():
    """Names of the registered benchmarks, in registration order.

    Returns
    -------
    names : list of str
        The names ``run_benchmark`` and the command line accept.

    Examples
    --------
    >>> from sciml_estimators.bench import list_benchmarks
    >>> "saxs-1d" in list_benchmarks()
    True
    """
    return list(_REGISTRY)


def get_benchmark(name):
    """The benchmark called ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`list_benchmarks`.

    Returns
    -------
    benchmark : Benchmark
        Its specification.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the registered ones.

    Examples
    --------
    >>> from sciml_estimators.bench import get_benchmark
    >>> get_benchmark("saxs-1d").test_size
    0.2
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown benchmark {name!r}; registered benchmarks: {', '.join(_REGISTRY)}"
        ) from None
