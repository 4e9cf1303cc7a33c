"""Simulated benchmark datasets (``make_*``) and measured-file loaders (``load_*``)."""

from ._saxs import make_saxs_1d
from ._saxs_files import load_saxs_profile

__all__ = ["load_saxs_profile", "make_saxs_1d"]
