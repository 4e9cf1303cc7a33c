"""Simulators, batched with Numba: SAXS I(q), magnon spectra, DMS patterns, FLImP images.

Pure maths on numpy arrays: no random numbers (datasets draw the parameters)
and no machine-learning imports.
"""

from ._chopper_resolution import chopper_energy_resolution
from ._core_shell_sphere import core_shell_sphere_iq
from ._crystals import dms_symmetry_period
from ._cylinder import cylinder_iq
from ._dms import dms_pattern
from ._ellipsoid import ellipsoid_iq
from ._flimp import flimp_expected_image, render_blobs, render_spots
from ._flimp_cells import cell_footprints, patch_density
from ._magnon_intensity import magnon_intensity
from ._magnon_slices import magnon_slices
from ._mari_coverage import mari_coverage
from ._measured_magnon_slices import measured_magnon_slices
from ._oriented import oriented_iq
from ._parallelepiped import parallelepiped_iq
from ._polydispersity import dispersion_weights, polydisperse_iq
from ._resolution import pinhole_smear, pinhole_weights
from ._slit_resolution import slit_smear, slit_weights
from ._slstr import (
    brightness_temperature,
    planck_radiance,
    slstr_channels,
    slstr_clear_sky,
)
from ._sphere import sphere_iq
from ._square_lattice_magnons import magnon_dispersion

__all__ = [
    "brightness_temperature",
    "cell_footprints",
    "chopper_energy_resolution",
    "core_shell_sphere_iq",
    "cylinder_iq",
    "dispersion_weights",
    "dms_pattern",
    "dms_symmetry_period",
    "ellipsoid_iq",
    "flimp_expected_image",
    "magnon_dispersion",
    "magnon_intensity",
    "magnon_slices",
    "mari_coverage",
    "measured_magnon_slices",
    "oriented_iq",
    "parallelepiped_iq",
    "patch_density",
    "pinhole_smear",
    "pinhole_weights",
    "planck_radiance",
    "polydisperse_iq",
    "render_blobs",
    "render_spots",
    "slit_smear",
    "slit_weights",
    "slstr_channels",
    "slstr_clear_sky",
    "sphere_iq",
]
