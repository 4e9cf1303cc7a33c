r"""The radius of gyration that a Guinier fit measures: the z-average over the size distribution.

At low q every particle's form factor follows Guinier's law,
:math:`F^2(q) \approx F^2(0)\,(1 - q^2 R_g^2 / 3)`, and a polydisperse
profile is the weighted sum of its particles' :math:`F^2` (sasmodels'
convention, :func:`~sciml_estimators.simulators.polydisperse_iq`). The slope
of :math:`\ln I` against :math:`q^2` at :math:`q \to 0` is therefore
:math:`-R_{g,z}^2 / 3` with

.. math::

    R_{g,z}^2 = \frac{\sum_k w_k F_k^2(0)\, R_{g,k}^2}{\sum_k w_k F_k^2(0)},

the weights :math:`w_k` and sizes of
:func:`~sciml_estimators.simulators.dispersion_weights` and :math:`F_k(0)`
the particle's excess scattering length: contrast times volume for the
homogeneous shapes (:math:`\propto V^2` weighting, the "z-average" of
Guinier, *Small-Angle Scattering of X-Rays*, Wiley 1955, ch. 2; Glatter &
Kratky, *Small Angle X-ray Scattering*, Academic Press 1982, ch. 5), and
:math:`\tfrac{4\pi}{3}[(\rho_c - \rho_s) R^3 + (\rho_s - \rho_0) R_o^3]`
for the core-shell sphere. A monodisperse particle's value is its own
:math:`R_g`. Pinhole smearing of Gaussian width :math:`\sigma_q = r q` adds
:math:`r^2` to the apparent :math:`R_g^2 / R_{g,z}^2` (0.25% for ``r = 0.05``);
that instrumental shift is not included.
"""

import numpy as np

from ..simulators import _cylinder, _ellipsoid, _parallelepiped, _sphere, dispersion_weights
from ._saxs_shapes import PD_KIND, PD_NPTS, PD_NSIGMAS


def _core_shell_amplitude(p):
    outer = p["radius"] + p["thickness"]
    return (4 * np.pi / 3) * ((p["sld_core"] - p["sld_shell"]) * p["radius"] ** 3
                              + (p["sld_shell"] - p["sld_solvent"]) * outer**3)


#: Each built-in shape's forward amplitude F(0), up to a factor shared by its particles.
FORWARD_AMPLITUDES = {
    "sphere": lambda p: _sphere.form_volume(p["radius"]),
    "cylinder": lambda p: _cylinder.form_volume(p["radius"], p["length"]),
    "ellipsoid": lambda p: _ellipsoid.form_volume(p["radius_polar"], p["radius_equatorial"]),
    "parallelepiped": lambda p: _parallelepiped.form_volume(
        p["length_a"], p["length_b"], p["length_c"]),
    "core_shell_sphere": _core_shell_amplitude,
}


def guinier_radius_of_gyration(shape, params, n, polydispersity):
    """The z-average radius of gyration of ``n`` particles of ``shape`` (Angstrom).

    Parameters
    ----------
    shape : Shape
        A built-in shape of ``_saxs_shapes`` (its ``rg`` formula and
        ``dispersed`` parameter).
    params : dict of str to float or ndarray of shape (n,)
        The particles' parameters, as ``Shape.draw`` returns them.
    n : int
        Number of particles.
    polydispersity : float or None
        Relative width of the Schulz distribution of ``shape.dispersed``,
        as in ``make_saxs_1d``; None (or 0) for monodisperse particles.

    Returns
    -------
    rg : ndarray of shape (n,)
        The radius of gyration a Guinier fit of the ideal profile tends to;
        ``shape.rg(params)`` when monodisperse.
    """
    rg = shape.rg(params) * np.ones(n)
    if not polydispersity:
        return rg
    rows = {key: np.broadcast_to(np.asarray(value, dtype=float), (n,))
            for key, value in params.items()}
    amplitude = FORWARD_AMPLITUDES[shape.name]
    for i in range(n):
        row = {key: value[i] for key, value in rows.items()}
        sizes, weights = dispersion_weights(row[shape.dispersed], polydispersity, kind=PD_KIND,
                                            npts=PD_NPTS, nsigmas=PD_NSIGMAS)
        particles = {**row, shape.dispersed: sizes}
        f0_squared = weights * amplitude(particles) ** 2
        rg[i] = np.sqrt(np.sum(f0_squared * shape.rg(particles) ** 2) / np.sum(f0_squared))
    return rg
