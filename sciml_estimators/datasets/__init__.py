"""Simulated benchmark datasets (``make_*``) and measured-file loaders (``load_*``)."""

from ..storage import OnDiskArray, OnDiskRows, load_dataset, repair_dataset, write_dataset
from ._dms import make_dms
from ._dms_shift import make_dms_domain_shift
from ._flimp import make_flimp_images
from ._flimp_tiff import load_flimp_tiff, save_flimp_tiff
from ._magnon_shift import make_magnons_domain_shift
from ._magnons import magnon_path, make_magnons
from ._saxs import make_saxs_1d
from ._saxs_2d import make_saxs_2d
from ._saxs_files import list_saxs_profiles, load_saxs_profile
from ._saxs_instruments import Instrument
from ._saxs_measured import MeasuredInstrument
from ._saxs_profile_instrument import instrument_from_profile
from ._saxs_shift import make_saxs_domain_shift
from ._slstr import make_slstr_scenes
from ._slstr_files import load_slstr_hdf5, load_slstr_scene, load_slstr_scenes
from ._slstr_shift import make_slstr_domain_shift

__all__ = [
    "Instrument",
    "MeasuredInstrument",
    "OnDiskArray",
    "OnDiskRows",
    "instrument_from_profile",
    "list_saxs_profiles",
    "load_dataset",
    "load_flimp_tiff",
    "load_saxs_profile",
    "load_slstr_hdf5",
    "load_slstr_scene",
    "load_slstr_scenes",
    "magnon_path",
    "make_dms",
    "make_dms_domain_shift",
    "make_flimp_images",
    "make_magnons",
    "make_magnons_domain_shift",
    "make_saxs_1d",
    "make_saxs_2d",
    "make_saxs_domain_shift",
    "make_slstr_domain_shift",
    "make_slstr_scenes",
    "repair_dataset",
    "save_flimp_tiff",
    "write_dataset",
]
