"""NumPy feature transforms shared by the estimators and the datasets (no torch here).

The intensity transform of the scattering estimators (``arcsinh(I / s)`` or
``log I``, then standardisation per feature), the standardisation of image
channels, the resampling of profiles onto another q grid, and the block-wise
reading and statistics that let all of them run on arrays on disk.
"""

from ._profile_grid import resample_profile

__all__ = ["resample_profile"]
