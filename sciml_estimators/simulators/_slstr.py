r"""Sentinel-3 SLSTR nadir channels of an ocean scene with two cloud layers.

Definition
----------

Nine nadir channels per pixel: S1-S6 top-of-atmosphere reflectances at 0.555,
0.659, 0.865, 1.375, 1.61 and 2.25 um, and S7-S9 brightness temperatures in K
at 3.74, 10.85 and 12.0 um. A pixel is an ocean surface at temperature
:math:`T_s` (``sst``) under a column of :math:`W` kg m\ :sup:`-2` of water
vapour (``tcwv``), a low water cloud of optical depth :math:`\tau_l` with top
temperature :math:`T_l`, and a high ice cloud above it, :math:`\tau_h` at
:math:`T_h`. Optical depths are at visible wavelengths.

Thermal channels (S7-S9). Radiances follow Planck's law (W m\ :sup:`-2`
sr\ :sup:`-1` um\ :sup:`-1`, wavelength :math:`\lambda` in um) and its exact
inverse, the brightness temperature,

.. math::

    B(T, \lambda) = \frac{c_1}{\lambda^5 \left(e^{c_2 / \lambda T} - 1\right)},
    \qquad
    T_B(L, \lambda) = \frac{c_2}{\lambda \ln\left(1 + c_1 / \lambda^5 L\right)},

:math:`c_1 = 2hc^2`, :math:`c_2 = hc/k`. The clear atmosphere is one isothermal
layer at :math:`T_a = T_s - 8` K with transmittance
:math:`t = e^{-k_v W}` (split window: :math:`k_v` = 0.004, 0.010, 0.016
m\ :sup:`2` kg\ :sup:`-1` at 3.74, 10.85, 12 um), so that
:math:`T_B(10.85) < T_s` and :math:`T_B(10.85) - T_B(12)` grows with water
vapour (0.7 to 1.3 K from 20 to 50 kg m\ :sup:`-2`). A cloud layer of
emissivity :math:`\varepsilon = 1 - e^{-k_c \tau}` mixes in Planck space with
what is below it. The low cloud sits under all of the water vapour, the high
cloud above all of it:

.. math::

    L_1 &= (1 - \varepsilon_l) B(T_s) + \varepsilon_l B(T_l), \\
    L_2 &= t L_1 + (1 - t) B(T_a), \\
    L   &= (1 - \varepsilon_h) L_2 + \varepsilon_h B(T_h), \qquad
    \mathrm{BT} = T_B(L).

The absorption per unit visible optical depth :math:`k_c` (``K_CLOUD``) is
larger for ice at 12 than at 10.85 um, which gives thin cirrus its large
:math:`\mathrm{BT}_{11} - \mathrm{BT}_{12}`, and smaller for water at 3.74 um.
The solar part of S7 is left out: S7 is thermal only, day and night.

Reflectance channels (S1-S6), daytime only (0 at night). A clear ocean without
glint has small reflectances :math:`R_s` (``SURFACE_REFLECTANCE``: Rayleigh
scattering falls with wavelength, and the 1.375 um band is absorbed by water
vapour, so its clear value is 0). A cloud layer reflects as a two-stream
layer with asymmetry :math:`g = 0.85`, times a channel and phase factor
:math:`a \le 1` (``CLOUD_ALBEDO``: water and more so ice absorb at 1.61 and
2.25 um), and layers combine by the adding formula with transmission
:math:`1 - R` (absorption enters the reflectance only):

.. math::

    R_c = a \frac{(1 - g)\tau}{2 + (1 - g)\tau}, \qquad
    R_{1 + 2} = R_1 + \frac{(1 - R_1)^2 R_2}{1 - R_1 R_2},

applied as low cloud over the surface, then high cloud over that. S4 (1.375
um) sees only the high cloud, as the water vapour below it absorbs:
:math:`S4 = R_c(\tau_h)`.

Validation
----------

Planck's law is checked against CODATA constants, Wien's displacement law
and the Stefan-Boltzmann law, and the brightness temperature is its inverse
to 1e-9 K. The tests check the split window (clear
:math:`\mathrm{BT}_{11} < T_s`, :math:`\mathrm{BT}_{11} - \mathrm{BT}_{12}`
rising with water vapour), the opaque limits (brightness temperatures to the
cloud top, reflectance to the two-stream value), thin cirrus against clear
sky, S4, and the kernel against an independent per-pixel version;
``benchmarks/compare_slstr_simulator.py`` holds a vectorised NumPy version.
``REFERENCE`` lists Planck radiances.

References
----------

.. [1] C. J. Merchant, A. R. Harris, E. Maturi and S. MacCallum, "Probabilistic
   physically based cloud screening of satellite infrared imagery for
   operational sea surface temperature retrieval", *Q. J. R. Meteorol. Soc.*
   131, 2735-2755 (2005).
.. [2] G. L. Stephens, *Remote Sensing of the Lower Atmosphere*, Oxford
   University Press (1994): two-stream reflectance and the adding method.
.. [3] T. Inoue, "On the temperature and effective emissivity determination of
   semi-transparent cirrus clouds by bi-spectral measurements in the 10 um
   window region", *J. Meteorol. Soc. Japan* 63, 88-99 (1985).
.. [4] T. Hey, K. Butler, S. Jackson and J. Thiyagalingam, "Machine learning
   and big scientific data", *Phil. Trans. R. Soc. A* 378, 20190054 (2020).
"""

import math

import numpy as np
from numba import njit, prange

__all__ = ["brightness_temperature", "planck_radiance", "slstr_channels", "slstr_clear_sky"]

CHANNEL_NAMES = ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9")
#: Channel centres in um.
WAVELENGTHS_UM = np.array([0.555, 0.659, 0.865, 1.375, 1.61, 2.25, 3.74, 10.85, 12.0])
#: S1-S6 are reflectances, S7-S9 brightness temperatures.
N_REFLECTANCE = 6

#: (name, units, default, (low, high), description).
PARAMETERS = [
    ("sst", "K", 295.0, (290.0, 300.0), "Sea surface temperature"),
    ("tcwv", "kg/m^2", 35.0, (20.0, 50.0), "Total column water vapour"),
    ("low_tau", "", 0.0, (0.0, math.inf), "Optical depth of the low water cloud"),
    ("low_top", "K", 285.0, (275.0, 296.0), "Top temperature of the low cloud"),
    ("high_tau", "", 0.0, (0.0, math.inf), "Optical depth of the high ice cloud"),
    ("high_top", "K", 230.0, (215.0, 250.0), "Top temperature of the high cloud"),
]

C1 = 1.191042972e8  # 2 h c^2 in W m^-2 sr^-1 um^4 (CODATA 2018)
C2 = 1.438776877e4  # h c / k in um K (CODATA 2018)
AIR_OFFSET_K = 8.0  # T_a = T_s - 8 K
ASYMMETRY = 0.85
#: Water vapour absorption in m^2/kg at 3.74, 10.85, 12 um.
K_VAPOUR = np.array([0.004, 0.010, 0.016])
#: Cloud absorption per unit visible optical depth at 3.74, 10.85, 12 um: rows water, ice.
K_CLOUD = np.array([[0.30, 0.48, 0.53],
                    [0.40, 0.45, 0.60]])
#: Clear-ocean reflectance of S1-S6.
SURFACE_REFLECTANCE = np.array([0.06, 0.04, 0.015, 0.0, 0.01, 0.005])
#: Factor on a cloud layer's two-stream reflectance in S1-S6: rows water, ice.
CLOUD_ALBEDO = np.array([[1.0, 1.0, 1.0, 1.0, 0.85, 0.70],
                         [1.0, 1.0, 1.0, 1.0, 0.60, 0.45]])

_LAMBDA_IR = WAVELENGTHS_UM[N_REFLECTANCE:].copy()
_C1_IR = C1 / _LAMBDA_IR**5  # Planck's law per channel: B = _C1_IR / (exp(_C2_IR / T) - 1)
_C2_IR = C2 / _LAMBDA_IR


@njit(cache=True)
def _planck(temperature, c):
    """Planck radiance B(T) in W m^-2 sr^-1 um^-1 of thermal channel ``c`` (scalar core).

    exp rather than expm1 (twice as fast): c2 / lambda T > 3 in the thermal
    channels, where the two agree to rounding.
    """
    return _C1_IR[c] / (math.exp(_C2_IR[c] / temperature) - 1.0)


@njit(cache=True)
def _brightness_temperature(radiance, c):
    """The inverse of ``_planck`` in T (scalar core, log of a number > 20)."""
    return _C2_IR[c] / math.log(1.0 + _C1_IR[c] / radiance)


def planck_radiance(temperature, wavelength_um):
    r"""Spectral radiance of a black body, per um of wavelength.

    .. math:: B(T, \lambda) = \frac{2hc^2}{\lambda^5 (e^{hc / \lambda k T} - 1)}

    Parameters
    ----------
    temperature : float or array-like
        Temperature in K, positive.
    wavelength_um : float or array-like
        Wavelength in um, positive; broadcast against ``temperature``.

    Returns
    -------
    ndarray or float
        Radiance in W m^-2 sr^-1 um^-1.

    See Also
    --------
    brightness_temperature : The inverse in temperature.

    Examples
    --------
    >>> from sciml_estimators.simulators import planck_radiance
    >>> round(float(planck_radiance(300.0, 10.0)), 3)
    9.924
    """
    temperature = np.asarray(temperature, dtype=float)
    wavelength_um = np.asarray(wavelength_um, dtype=float)
    return C1 / (wavelength_um**5 * np.expm1(C2 / (wavelength_um * temperature)))


def brightness_temperature(radiance, wavelength_um):
    r"""Temperature of the black body that emits ``radiance`` at ``wavelength_um``.

    The exact inverse of :func:`planck_radiance`:
    :math:`T = \frac{hc}{\lambda k \ln(1 + 2hc^2 / \lambda^5 L)}`.

    Parameters
    ----------
    radiance : float or array-like
        Spectral radiance in W m^-2 sr^-1 um^-1, positive.
    wavelength_um : float or array-like
        Wavelength in um, positive; broadcast against ``radiance``.

    Returns
    -------
    ndarray or float
        Brightness temperature in K.

    See Also
    --------
    planck_radiance : Planck's law.

    Examples
    --------
    >>> from sciml_estimators.simulators import brightness_temperature, planck_radiance
    >>> round(float(brightness_temperature(planck_radiance(290.0, 12.0), 12.0)), 9)
    290.0
    """
    radiance = np.asarray(radiance, dtype=float)
    wavelength_um = np.asarray(wavelength_um, dtype=float)
    return C2 / (wavelength_um * np.log1p(C1 / (wavelength_um**5 * radiance)))


@njit(cache=True)
def _two_stream(tau, albedo):
    """Reflectance of a cloud layer of optical depth ``tau`` (two-stream, scaled)."""
    t = (1.0 - ASYMMETRY) * tau
    return albedo * t / (2.0 + t)


@njit(cache=True)
def _add(top, below):
    """Reflectance of layer ``top`` over ``below`` (adding, transmission 1 - R)."""
    return top + (1.0 - top) * (1.0 - top) * below / (1.0 - top * below)


@njit(cache=True)
def _under_clouds(surface, low_tau, high_tau, c):
    """Reflectance in channel ``c`` < 6 of the low, then the high cloud over ``surface``."""
    high = _two_stream(high_tau, CLOUD_ALBEDO[1, c]) if high_tau > 0.0 else 0.0
    if c == 3:  # 1.375 um: the water vapour hides everything below the high cloud
        return high
    reflectance = surface
    if low_tau > 0.0:
        reflectance = _add(_two_stream(low_tau, CLOUD_ALBEDO[0, c]), reflectance)
    if high_tau > 0.0:
        reflectance = _add(high, reflectance)
    return reflectance


@njit(cache=True)
def _pixel(out, i, y, x, sst, tcwv, low_tau, b_low, high_tau, b_high, daytime):
    """Write the 9 channels of pixel (i, :, y, x) of ``out`` (scalar core).

    ``b_low`` and ``b_high`` hold the Planck radiances of the cloud tops at
    S7-S9; cloud terms are skipped where an optical depth is 0.
    """
    sst, tcwv, low_tau, high_tau = float(sst), float(tcwv), float(low_tau), float(high_tau)
    t_air = sst - AIR_OFFSET_K
    for c in range(3):
        radiance = _planck(sst, c)
        if low_tau > 0.0:
            emissivity = 1.0 - math.exp(-K_CLOUD[0, c] * low_tau)
            radiance += emissivity * (b_low[c] - radiance)
        t = math.exp(-K_VAPOUR[c] * tcwv)
        radiance = t * radiance + (1.0 - t) * _planck(t_air, c)
        if high_tau > 0.0:
            emissivity = 1.0 - math.exp(-K_CLOUD[1, c] * high_tau)
            radiance += emissivity * (b_high[c] - radiance)
        out[i, N_REFLECTANCE + c, y, x] = _brightness_temperature(radiance, c)
    for c in range(N_REFLECTANCE):
        reflectance = 0.0
        if daytime:
            reflectance = _under_clouds(SURFACE_REFLECTANCE[c], low_tau, high_tau, c)
        out[i, c, y, x] = reflectance


@njit(cache=True)
def _top_radiances(low_top, high_top):
    """Planck radiances at S7-S9 of the low and the high cloud top (two arrays of 3)."""
    b_low = np.empty(3)
    b_high = np.empty(3)
    for c in range(3):
        b_low[c] = _planck(low_top, c)
        b_high[c] = _planck(high_top, c)
    return b_low, b_high


@njit(cache=True, parallel=True)
def slstr_kernel(sst, tcwv, low_tau, low_top, high_tau, high_top, daytime, out):
    """Fill ``out`` (n, 9, H, W) float32, in parallel over the rows of all scenes.

    Fields (n, H, W), float32 or float64; ``low_top`` and ``high_top`` (n,) in K.
    """
    n, rows, cols = sst.shape
    for row in prange(n * rows):
        i, y = row // rows, row % rows
        b_low, b_high = _top_radiances(low_top[i], high_top[i])
        for x in range(cols):
            _pixel(out, i, y, x, sst[i, y, x], tcwv[i, y, x], low_tau[i, y, x], b_low,
                   high_tau[i, y, x], b_high, daytime)


@njit(cache=True, parallel=True)
def clear_sky_kernel(sst, tcwv, daytime, out):
    """Fill ``out`` (n, 9, H, W) float32 with clear sky, in parallel over rows."""
    n, rows, cols = sst.shape
    unused = np.zeros(3)
    for row in prange(n * rows):
        i, y = row // rows, row % rows
        for x in range(cols):
            _pixel(out, i, y, x, sst[i, y, x], tcwv[i, y, x], 0.0, unused, 0.0, unused,
                   daytime)


@njit(cache=True, parallel=True)
def sensor_noise_kernel(out, z, nedt, absolute, relative):
    r"""Add sensor noise to ``out`` (n, 9, H, W) from standard normal draws ``z``.

    ``z`` (n, k, H, W) holds one draw per value of the last k channels of
    ``out`` (k = 3: thermal only, k = 9: all). Brightness temperatures get
    ``nedt`` (3,) times z, reflectances :math:`\sqrt{a^2 + (r R)^2}` times z.
    """
    n, k, rows, cols = z.shape
    first = out.shape[1] - k
    for row in prange(n * rows):
        i, y = row // rows, row % rows
        for c in range(k):
            channel = first + c
            for x in range(cols):
                value = out[i, channel, y, x]
                if channel >= N_REFLECTANCE:
                    sigma = nedt[channel - N_REFLECTANCE]
                else:
                    sigma = math.sqrt(absolute * absolute + (relative * value) ** 2)
                out[i, channel, y, x] = value + sigma * z[i, c, y, x]


def _field(name, value, shape=None, positive=False):
    value = np.asarray(value, dtype=np.float64)
    if shape is None:
        if value.ndim not in (2, 3):
            raise ValueError(f"{name} must have shape (n, H, W) or (H, W); "
                             f"got shape {value.shape}.")
    elif value.shape != shape:
        raise ValueError(f"{name} must have shape {shape} like sst; got shape {value.shape}.")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must be finite; got NaN or inf.")
    if positive and not np.all(value > 0):
        raise ValueError(f"{name} must be positive (K); got minimum {value.min()!r}.")
    if not positive and not np.all(value >= 0):
        raise ValueError(f"{name} must be >= 0; got minimum {value.min()!r}.")
    return np.ascontiguousarray(value)


def _fields(sst, tcwv):
    sst = _field("sst", sst, positive=True)
    single = sst.ndim == 2
    if single:
        sst = sst[None]
    tcwv = _field("tcwv", tcwv, shape=sst.shape[1:] if single else sst.shape)
    return sst, (tcwv[None] if single else tcwv), single


def slstr_channels(sst, tcwv, low_tau, low_top, high_tau, high_top, *, daytime=True):
    """Simulate the nine SLSTR nadir channels of ocean scenes with two cloud layers.

    Surface, water vapour and cloud optical depths are per pixel; each cloud
    layer has one top temperature per scene. The module documentation gives
    the equations. Scenes are computed in parallel, row by row.

    Parameters
    ----------
    sst : array-like of shape (n, H, W) or (H, W)
        Sea surface temperature in K.
    tcwv : array-like of the shape of ``sst``
        Total column water vapour in kg m^-2.
    low_tau : array-like of the shape of ``sst``
        Visible optical depth of the low water cloud, >= 0 (0: no cloud).
    low_top : float or array-like of shape (n,)
        Top temperature of the low cloud in K, one per scene.
    high_tau : array-like of the shape of ``sst``
        Visible optical depth of the high ice cloud, >= 0 (0: no cloud).
    high_top : float or array-like of shape (n,)
        Top temperature of the high cloud in K, one per scene.
    daytime : bool, default=True
        Whether the sun is up; at night the reflectances S1-S6 are 0.

    Returns
    -------
    ndarray of shape (n, 9, H, W) or (9, H, W), float32
        S1-S6 reflectances and S7-S9 brightness temperatures in K; one scene
        for 2-D inputs.

    Raises
    ------
    ValueError
        If the shapes differ, or an input is NaN, infinite or negative
        (temperatures must be positive).

    See Also
    --------
    slstr_clear_sky : The same channels without cloud.

    References
    ----------
    .. [1] C. J. Merchant, A. R. Harris, E. Maturi and S. MacCallum,
       "Probabilistic physically based cloud screening of satellite infrared
       imagery for operational sea surface temperature retrieval",
       *Q. J. R. Meteorol. Soc.* 131, 2735-2755 (2005).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import slstr_channels
    >>> sst, tcwv = np.full((2, 2), 295.0), np.full((2, 2), 35.0)
    >>> tau = np.array([[0.0, 1.0], [10.0, 1000.0]])
    >>> out = slstr_channels(sst, tcwv, np.zeros((2, 2)), 285.0, tau, 230.0)
    >>> out.shape, out.dtype
    ((9, 2, 2), dtype('float32'))
    >>> out[7].astype(float).round(1).tolist()  # 10.85 um: clear, thin, thick, opaque
    [[292.7, 274.8], [231.1, 230.0]]
    """
    sst, tcwv, single = _fields(sst, tcwv)
    low_tau = _field("low_tau", low_tau, shape=sst.shape[1:] if single else sst.shape)
    high_tau = _field("high_tau", high_tau, shape=sst.shape[1:] if single else sst.shape)
    if single:
        low_tau, high_tau = low_tau[None], high_tau[None]
    n = sst.shape[0]
    tops = []
    for name, top in (("low_top", low_top), ("high_top", high_top)):
        top = np.asarray(top, dtype=np.float64)
        if top.ndim > 1 or top.size not in (1, n):
            raise ValueError(f"{name} must be a scalar or a 1-D array of length {n}; "
                             f"got shape {top.shape}.")
        top = _field(name, top.ravel(), shape=(top.size,), positive=True)
        tops.append(np.ascontiguousarray(np.broadcast_to(top, (n,))))
    out = np.empty((n, 9) + sst.shape[1:], dtype=np.float32)
    slstr_kernel(sst, tcwv, low_tau, tops[0], high_tau, tops[1], bool(daytime), out)
    return out[0] if single else out


def slstr_clear_sky(sst, tcwv, *, daytime=True):
    """Simulate the nine SLSTR nadir channels of cloud-free ocean scenes.

    The clear-sky forward model of :func:`slstr_channels` (both optical depths
    0) without the cloud arrays, as Bayesian cloud screening uses it on
    background (numerical weather prediction) fields.

    Parameters
    ----------
    sst : array-like of shape (n, H, W) or (H, W)
        Sea surface temperature in K.
    tcwv : array-like of the shape of ``sst``
        Total column water vapour in kg m^-2.
    daytime : bool, default=True
        Whether the sun is up; at night the reflectances S1-S6 are 0.

    Returns
    -------
    ndarray of shape (n, 9, H, W) or (9, H, W), float32
        S1-S6 reflectances and S7-S9 brightness temperatures in K.

    Raises
    ------
    ValueError
        If the shapes differ, or an input is NaN, infinite or negative.

    See Also
    --------
    slstr_channels : The channels with cloud.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import slstr_clear_sky
    >>> out = slstr_clear_sky(np.full((1, 1), 295.0), np.array([[20.0]]))
    >>> out[:, 0, 0].astype(float).round(3).tolist()
    [0.06, 0.04, 0.015, 0.0, 0.01, 0.005, 294.465, 293.592, 292.858]
    """
    sst, tcwv, single = _fields(sst, tcwv)
    out = np.empty((sst.shape[0], 9) + sst.shape[1:], dtype=np.float32)
    clear_sky_kernel(sst, tcwv, bool(daytime), out)
    return out[0] if single else out


#: Planck radiances: (temperature K, wavelength um, W m^-2 sr^-1 um^-1, source).
_SOURCE = "Planck's law with CODATA 2018 h, c, k (scipy.constants)"
REFERENCE = [
    (300.0, 10.0, 9.92403, _SOURCE),
    (295.0, 10.85, 8.94224, _SOURCE),
    (230.0, 12.0, 2.62079, _SOURCE),
    (290.0, 3.74, 0.282120, _SOURCE),
]
