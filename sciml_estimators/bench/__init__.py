"""The benchmark suite: registry, runner and command line.

Importing it registers the benchmarks and imports neither the datasets nor the
estimators nor torch; the runner (and scikit-learn with it) is loaded on first
access to ``run_benchmark``.
"""

# Registration order is the order of `list` and `run all`: SAXS-1D first.
# isort: off
from . import _saxs  # noqa: F401  (registers the SAXS benchmarks)
from . import _saxs_rg  # noqa: F401  (registers the SAXS radius-of-gyration benchmark)
from . import _magnons  # noqa: F401  (registers the magnon benchmark)
from . import _dms  # noqa: F401  (registers the DMS benchmark)
from . import _cloud  # noqa: F401  (registers the cloud-masking benchmark)
from . import _flimp  # noqa: F401  (registers the FLImP benchmarks)
# isort: on
from ._registry import Benchmark, get_benchmark, list_benchmarks, register

__all__ = ["Benchmark", "get_benchmark", "list_benchmarks", "register", "run_benchmark"]


def __getattr__(name):
    if name == "run_benchmark":
        from ._runner import run_benchmark

        return run_benchmark
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
