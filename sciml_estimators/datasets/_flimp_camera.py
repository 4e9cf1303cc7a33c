"""EMCCD noise: expected photons per pixel to ADU, every random number from ``rng``.

Photo-electrons are Poisson with mean ``QE`` times the photons plus the
spurious charge; the gain register turns n > 0 electrons into Gamma(n,
``EM_GAIN``) electrons (Basden, Haniff & Mackay 2003; Hirsch et al. 2013: the
excess-noise factor sqrt(2) at high gain, variance 2 g^2 n); read noise is
Gaussian; ``SENSITIVITY`` electrons make one ADU over the ``OFFSET_ADU``
baseline. The constants and their sources are in
:mod:`~sciml_estimators.simulators._flimp`.
"""

import numpy as np

from ..simulators._flimp import EM_GAIN, OFFSET_ADU, QE, READ_NOISE_E, SENSITIVITY, SPURIOUS_CHARGE


def emccd_adu(photons, rng, out):
    """One EMCCD frame in ADU of ``photons`` expected per pixel into ``out`` (float32).

    ``rng`` is a Generator (its Poisson and Gamma draws are twice as fast as
    Numba's here, and release the GIL: bands of rows can be drawn on threads).
    """
    electrons = rng.poisson(QE * photons + SPURIOUS_CHARGE)
    out[...] = rng.gamma(electrons, EM_GAIN)  # a shape of 0 gives 0
    out += rng.standard_normal(photons.shape, dtype=np.float32) * np.float32(READ_NOISE_E)
    out *= np.float32(1.0 / SENSITIVITY)
    out += np.float32(OFFSET_ADU)
