"""Simulated benchmark datasets (``make_*``) and measured-file loaders (``load_*``)."""

from ._dms import make_dms
from ._magnons import magnon_path, make_magnons
from ._saxs import make_saxs_1d
from ._saxs_files import load_saxs_profile

__all__ = ["load_saxs_profile", "magnon_path", "make_dms", "make_magnons", "make_saxs_1d"]
