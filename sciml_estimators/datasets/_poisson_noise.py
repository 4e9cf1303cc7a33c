"""The range of the counting flux that the generators' Poisson noise takes.

numpy draws Poisson counts only for means below about 9.2e18
(``RandomState.poisson`` raises "lam value too large" beyond). The mean of a
bin is the flux times its intensity, and the intensities of every generator
stay below 1e6 (1/cm for SAXS, arbitrary units for DMS and magnons), so a
flux of at most ``MAX_FLUX`` keeps every mean in range; a larger one would
add a relative noise below 1e-6, as good as none (``noise=None``). At the
other end, counts are divided back by the flux, and uncertainties of zero
counts are 1 / flux: ``MIN_FLUX`` keeps them finite (a flux near 1e-308
made them inf), and a smaller one would count nothing anyway.
"""

from numbers import Real

from .._framework import Number

#: The smallest flux (expected counts for an intensity of 1) of a Poisson draw.
MIN_FLUX = 1e-12
#: The largest flux of a Poisson draw.
MAX_FLUX = 1e12
#: The constraint of a generator's ``flux``.
FLUX = Number(Real, MIN_FLUX, MAX_FLUX, closed="both")
#: The constraint of a flat background added before counting (make_magnons).
BACKGROUND = Number(Real, 0, 1e6, closed="both")
