"""Simulated benchmark datasets: ``make_*`` functions returning a Bunch."""

from ._saxs import make_saxs_1d

__all__ = ["make_saxs_1d"]
