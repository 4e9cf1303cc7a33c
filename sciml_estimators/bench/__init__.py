"""The benchmark suite: registry, runner and command line."""

from . import _saxs  # noqa: F401  (registers the SAXS benchmarks)
from ._registry import Benchmark, get_benchmark, list_benchmarks, register
from ._runner import run_benchmark

__all__ = ["Benchmark", "get_benchmark", "list_benchmarks", "register", "run_benchmark"]
