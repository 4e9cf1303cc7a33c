"""The benchmark suite: registry, runner and command line."""

# Registration order is the order of `list` and `run all`: SAXS-1D first.
from . import _saxs  # noqa: F401  (registers the SAXS benchmarks)
from . import _magnons  # noqa: F401  (registers the magnon benchmark)
from . import _dms  # noqa: F401  (registers the DMS benchmark)
from . import _cloud  # noqa: F401  (registers the cloud-masking benchmark)
from ._registry import Benchmark, get_benchmark, list_benchmarks, register
from ._runner import run_benchmark

__all__ = ["Benchmark", "get_benchmark", "list_benchmarks", "register", "run_benchmark"]
