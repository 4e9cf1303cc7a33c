r"""Oriented 2-D small-angle scattering patterns :math:`I(q_x, q_y)` (sasmodels 2-D).

Definition
----------

A particle with a fixed orientation scatters, on a detector plane
perpendicular to the beam (the beam along :math:`z`, the detector axes
:math:`q_x` and :math:`q_y`),

.. math::

    I(q_x, q_y) = \frac{\text{scale}}{V} F^2(q_a, q_b, q_c) + \text{background}

where :math:`(q_a, q_b, q_c)` is :math:`\vec q = (q_x, q_y, 0)` in the
particle's frame and :math:`F^2` is the model's oriented form factor in
:math:`10^{-4}` cm\ :sup:`-1` Angstrom\ :sup:`3` (sasmodels' ``Iqac`` and
``Iqabc``), with no average over orientations:

- ``sphere`` and ``core_shell_sphere``: isotropic, evaluated at
  :math:`q = \sqrt{q_x^2 + q_y^2}` with the 1-D scalar cores of
  :mod:`~sciml_estimators.simulators._sphere` and
  :mod:`~sciml_estimators.simulators._core_shell_sphere`; the orientation is
  ignored.
- ``cylinder``: :math:`F = \Delta\rho V \, 2J_1(q_{ab}R)/(q_{ab}R) \,
  \mathrm{sinc}(q_c L/2)`.
- ``ellipsoid`` (of revolution, polar axis :math:`c`):
  :math:`F = \Delta\rho V \, 3 j_1(r)/r` with
  :math:`r = \sqrt{(R_e q_{ab})^2 + (R_p q_c)^2}`.
- ``parallelepiped``: :math:`F = \Delta\rho V \, \mathrm{sinc}(q_a A/2)
  \, \mathrm{sinc}(q_b B/2) \, \mathrm{sinc}(q_c C/2)`.

Orientation
-----------

The angles are sasmodels 1.1's, in degrees (``kernel_iq.c``,
``qac_rotation`` and ``qabc_rotation``): ``theta`` is the angle between the
particle's :math:`c` axis and the beam, ``phi`` rotates that axis about the
beam, starting from :math:`q_x`, and ``psi`` (parallelepiped only) rotates the
particle about its own :math:`c` axis. With :math:`s_\theta = \sin\theta`,
etc., the detector point maps to

.. math::

    q_a &= (c_\phi c_\psi c_\theta - s_\phi s_\psi) q_x
           + (s_\phi c_\psi c_\theta + s_\psi c_\phi) q_y \\
    q_b &= (-s_\phi c_\psi - s_\psi c_\phi c_\theta) q_x
           + (c_\phi c_\psi - s_\phi s_\psi c_\theta) q_y \\
    q_c &= s_\theta c_\phi \, q_x + s_\theta s_\phi \, q_y

and, for the axisymmetric cylinder and ellipsoid,
:math:`q_{ab} = \sqrt{\max(q_x^2 + q_y^2 - q_c^2, 0)}`, as sasmodels'
``qac_apply``. So ``theta = 0`` puts the :math:`c` axis along the beam
(an isotropic pattern) and ``theta = 90, phi = 0`` along :math:`q_x`.
Orientation dispersion ("jitter") is not modelled: it is sasmodels with
``theta_pd = phi_pd = psi_pd = 0``.

Names, units and defaults of the shape parameters are those of the 1-D
simulators, which are sasmodels'; the angles default to sasmodels' 60
degrees. Each sample's rotation is built once, then the pixels are looped
over with branch-free form factors, samples in parallel.

Validation
----------

Tested against sasmodels 1.1.0 (compiled C engine, double precision, a kernel
made on the flattened :math:`(q_x, q_y)` grid, as ``empty_data2D`` and
``DirectModel`` do) on a 64 x 64 grid to :math:`|q| \le 0.3`
/Angstrom, at several orientations and sizes per shape: the largest relative
difference is below 1e-13 (see ``tests/simulators/test_oriented.py``).

References
----------

.. [1] J. S. Pedersen, *Adv. Colloid Interface Sci.* 70 (1997) 171-210.
.. [2] sasmodels 1.1.0, ``kernel_iq.c``, ``models/cylinder.c``,
   ``ellipsoid.c``, ``parallelepiped.c``, ``sphere.c`` and
   ``core_shell_sphere.c``, https://github.com/SasView/sasmodels
"""

import math

import numpy as np
from numba import njit, prange

from . import _core_shell_sphere, _cylinder, _ellipsoid, _parallelepiped, _sphere
from ._core_shell_sphere import core_shell_sphere_intensity
from ._parameters import profile_parameters
from ._special import j1c, sinx_x, sph_j1c

__all__ = ["oriented_iq"]

#: (name, units, default, (low, high), description) of the view angles, as
#: sasmodels has them (the ranges are sasmodels' fitting limits).
ORIENTATION = [
    ("theta", "degrees", 60.0, (-180.0, 180.0), "Angle of the c axis to the beam"),
    ("phi", "degrees", 60.0, (-360.0, 360.0), "Rotation of the c axis about the beam"),
    ("psi", "degrees", 60.0, (-360.0, 360.0), "Rotation about the c axis"),
]

#: Per shape, its parameter table (the 1-D simulator's) and the view angles
#: it uses, in sasmodels' order.
SHAPES = {
    "sphere": (_sphere.PARAMETERS, ()),
    "core_shell_sphere": (_core_shell_sphere.PARAMETERS, ()),
    "cylinder": (_cylinder.PARAMETERS, ("theta", "phi")),
    "ellipsoid": (_ellipsoid.PARAMETERS, ("theta", "phi")),
    "parallelepiped": (_parallelepiped.PARAMETERS, ("theta", "phi", "psi")),
}

_RAD = math.pi / 180.0  # sasmodels' M_PI_180
_FOUR_PI_3 = 4.0 * math.pi / 3.0


@njit(cache=True, error_model="numpy")
def qac_rotation(theta, phi):
    """Return (R31, R32): q_c = R31 q_x + R32 q_y, as sasmodels' ``qac_rotation``."""
    sin_theta = math.sin(theta * _RAD)
    sin_phi, cos_phi = math.sin(phi * _RAD), math.cos(phi * _RAD)
    return sin_theta * cos_phi, sin_phi * sin_theta


@njit(cache=True, error_model="numpy")
def qabc_rotation(theta, phi, psi):
    """Return (R11, R12, R21, R22, R31, R32), as sasmodels' ``qabc_rotation``."""
    sin_theta, cos_theta = math.sin(theta * _RAD), math.cos(theta * _RAD)
    sin_phi, cos_phi = math.sin(phi * _RAD), math.cos(phi * _RAD)
    sin_psi, cos_psi = math.sin(psi * _RAD), math.cos(psi * _RAD)
    return (
        -sin_phi * sin_psi + cos_phi * cos_psi * cos_theta,
        sin_phi * cos_psi * cos_theta + sin_psi * cos_phi,
        -sin_phi * cos_psi - sin_psi * cos_phi * cos_theta,
        -sin_phi * sin_psi * cos_theta + cos_phi * cos_psi,
        sin_theta * cos_phi,
        sin_phi * sin_theta,
    )


@njit(cache=True, error_model="numpy")
def qac_apply(r31, r32, qx, qy):
    """Return (q_ab, q_c) of the detector point (q_x, q_y), as sasmodels' ``qac_apply``."""
    qc = r31 * qx + r32 * qy
    qab_sq = -qc * qc + qx * qx + qy * qy
    return math.sqrt(max(qab_sq, 0.0)), qc


@njit(cache=True, parallel=True, error_model="numpy")
def _sphere_2d(qx, qy, radius, sld, sld_solvent, scale, background):
    out = np.empty((radius.size, qx.size))
    for p in prange(radius.size):
        # sphere_intensity's formula, with the constant factor hoisted (it
        # is not inlined, and the call kept the loop from vectorising).
        volume = _FOUR_PI_3 * (radius[p] * radius[p] * radius[p])
        s = (sld[p] - sld_solvent[p]) * volume
        factor = scale[p] / volume * 1.0e-4 * s * s
        for k in range(qx.size):
            f = sph_j1c(math.sqrt(qx[k] * qx[k] + qy[k] * qy[k]) * radius[p])
            out[p, k] = factor * (f * f) + background[p]
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _core_shell_sphere_2d(
    qx, qy, radius, thickness, sld_core, sld_shell, sld_solvent, scale, background
):
    out = np.empty((radius.size, qx.size))
    for p in prange(radius.size):
        for k in range(qx.size):
            q = math.sqrt(qx[k] * qx[k] + qy[k] * qy[k])
            out[p, k] = core_shell_sphere_intensity(
                q, radius[p], thickness[p], sld_core[p], sld_shell[p], sld_solvent[p],
                scale[p], background[p],
            )
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _cylinder_2d(
    qx, qy, radius, length, sld, sld_solvent, scale, background, theta, phi
):
    out = np.empty((radius.size, qx.size))
    for p in prange(radius.size):
        r31, r32 = qac_rotation(theta[p], phi[p])
        volume = math.pi * radius[p] * radius[p] * length[p]
        s = (sld[p] - sld_solvent[p]) * volume
        factor = scale[p] / volume * 1.0e-4 * s * s
        half_length = 0.5 * length[p]
        for k in range(qx.size):
            qab, qc = qac_apply(r31, r32, qx[k], qy[k])
            form = j1c(qab * radius[p]) * sinx_x(qc * half_length)
            out[p, k] = factor * (form * form) + background[p]
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _ellipsoid_2d(
    qx, qy, radius_polar, radius_equatorial, sld, sld_solvent, scale, background, theta,
    phi,
):
    out = np.empty((radius_polar.size, qx.size))
    for p in prange(radius_polar.size):
        r31, r32 = qac_rotation(theta[p], phi[p])
        rp, re = radius_polar[p], radius_equatorial[p]
        volume = _FOUR_PI_3 * rp * re * re
        s = (sld[p] - sld_solvent[p]) * volume
        factor = scale[p] / volume * 1.0e-4 * s * s
        for k in range(qx.size):
            qab, qc = qac_apply(r31, r32, qx[k], qy[k])
            a, c = re * qab, rp * qc
            f = sph_j1c(math.sqrt(a * a + c * c))
            out[p, k] = factor * (f * f) + background[p]
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _parallelepiped_2d(
    qx, qy, length_a, length_b, length_c, sld, sld_solvent, scale, background, theta, phi,
    psi,
):
    out = np.empty((length_a.size, qx.size))
    for p in prange(length_a.size):
        r11, r12, r21, r22, r31, r32 = qabc_rotation(theta[p], phi[p], psi[p])
        half_a, half_b, half_c = 0.5 * length_a[p], 0.5 * length_b[p], 0.5 * length_c[p]
        volume = length_a[p] * length_b[p] * length_c[p]
        s = (sld[p] - sld_solvent[p]) * volume
        factor = scale[p] / volume * 1.0e-4 * s * s
        for k in range(qx.size):
            qa = r11 * qx[k] + r12 * qy[k]
            qb = r21 * qx[k] + r22 * qy[k]
            qc = r31 * qx[k] + r32 * qy[k]
            form = sinx_x(half_a * qa) * sinx_x(half_b * qb) * sinx_x(half_c * qc)
            out[p, k] = factor * (form * form) + background[p]
    return out


_KERNELS = {
    "sphere": _sphere_2d,
    "core_shell_sphere": _core_shell_sphere_2d,
    "cylinder": _cylinder_2d,
    "ellipsoid": _ellipsoid_2d,
    "parallelepiped": _parallelepiped_2d,
}


def _check_grid(qx, qy):
    """Broadcast ``qx`` and ``qy`` together; return them flat and the common shape."""
    qx = np.asarray(qx, dtype=np.float64)
    qy = np.asarray(qy, dtype=np.float64)
    try:
        qx, qy = np.broadcast_arrays(qx, qy)
    except ValueError:
        raise ValueError(
            f"qx and qy must broadcast to one shape; got shapes {qx.shape} and {qy.shape}."
        ) from None
    if not (np.all(np.isfinite(qx)) and np.all(np.isfinite(qy))):
        raise ValueError("qx and qy must be finite (1/Angstrom).")
    return np.ascontiguousarray(qx.ravel()), np.ascontiguousarray(qy.ravel()), qx.shape


def oriented_iq(shape, qx, qy, params=None, *, theta=60.0, phi=60.0, psi=60.0):
    """2-D scattering I(qx, qy) of oriented particles, as sasmodels' 2-D models.

    One function for every shape: ``shape`` picks the model, ``params`` holds
    its parameters under sasmodels' names. Each parameter and angle is a
    scalar or a 1-D array with one value per pattern; arrays of length 1
    broadcast. The patterns are computed in parallel.

    Parameters
    ----------
    shape : {"sphere", "core_shell_sphere", "cylinder", "ellipsoid", \
"parallelepiped"}
        The particle model.
    qx, qy : array-like
        Detector coordinates in 1/Angstrom, finite, broadcast together (for
        example ``qx[None, :]`` and ``qy[:, None]`` give an image with rows
        along ``qy``, as sasmodels' ``empty_data2D``).
    params : dict of str to float or array-like of shape (n,), default=None
        Shape parameters, named and in the units of the 1-D simulator of the
        same shape (for example :func:`cylinder_iq`: ``radius``, ``length``,
        ``sld``, ``sld_solvent``, ``scale``, ``background``); missing ones take
        its defaults, which are sasmodels'.
    theta : float or array-like of shape (n,), default=60.0
        Angle in degrees between the particle's c axis and the beam. Ignored
        by the spheres.
    phi : float or array-like of shape (n,), default=60.0
        Rotation in degrees of the c axis about the beam, from qx towards qy.
        Ignored by the spheres.
    psi : float or array-like of shape (n,), default=60.0
        Rotation in degrees of the particle about its c axis. Used only by
        ``"parallelepiped"``.

    Returns
    -------
    ndarray of shape (n,) + grid or grid
        I(qx, qy) in 1/cm, ``grid`` being the broadcast shape of ``qx`` and
        ``qy``; one pattern per sample, or a single pattern when every
        parameter and angle is a scalar.

    Raises
    ------
    ValueError
        If ``shape`` or a parameter name is unknown, if ``qx``, ``qy`` or a
        parameter is not finite, a length not positive, or if parameter
        arrays differ in length.

    See Also
    --------
    cylinder_iq : The orientation average of the cylinder.

    References
    ----------
    .. [1] J. S. Pedersen, *Adv. Colloid Interface Sci.* 70 (1997) 171-210.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import oriented_iq
    >>> q = np.array([-0.05, 0.05])
    >>> iq = oriented_iq("cylinder", q[None, :], q[:, None], {"radius": 20, "length": 400},
    ...                  theta=90, phi=0)
    >>> iq.shape
    (2, 2)
    >>> oriented_iq("sphere", q, q, {"radius": [20, 50, 100]}).shape
    (3, 2)
    """
    if shape not in SHAPES:
        raise ValueError(f"Unknown shape {shape!r}; known shapes are {sorted(SHAPES)}.")
    table, angle_names = SHAPES[shape]
    params = {} if params is None else dict(params)
    names = [row[0] for row in table]
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(
            f"Unknown parameter(s) {unknown} for shape {shape!r}; its parameters are {names}."
        )
    values = {name: params.get(name, default) for name, _, default, _, _ in table}
    angles = {"theta": theta, "phi": phi, "psi": psi}
    values.update({name: angles[name] for name in angle_names})
    positive = [name for name, units, *_ in table if units == "Ang"]
    qx, qy, grid = _check_grid(qx, qy)
    # profile_parameters checks and broadcasts the columns; its q is a dummy.
    _, columns, batched = profile_parameters([1.0], values, positive=positive)
    out = _KERNELS[shape](qx, qy, *columns).reshape((columns[0].size, *grid))
    return out if batched else out[0]
