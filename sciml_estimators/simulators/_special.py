r"""Numerically careful special functions shared by the simulators.

Each function is a scalar ``@njit(cache=True)`` core, callable from Python and
from other Numba kernels.

``sincos(x)`` returns :math:`(\sin x, \cos x)` without branches, so that LLVM
can vectorise the quadrature loops that call it; a call to the C library's
``sin`` cannot be vectorised and costs about ten times more. It reduces
:math:`x` by :math:`k\pi/2` with a three-part Cody-Waite split of
:math:`\pi/2` (exact products for :math:`|k| < 2^{20}`, i.e.
:math:`|x| < 1.6 \times 10^6`) and evaluates fdlibm's minimax kernels
``__kernel_sin`` and ``__kernel_cos`` on :math:`[-\pi/4, \pi/4]`, with fused
multiply-adds allowed. Its error is below one unit in the last place (ulp) of
the result, except within about :math:`10^{-12}` of a multiple of
:math:`\pi/2`, where the result is tiny and its absolute error stays below
:math:`10^{-27}`. Beyond :math:`1.6 \times 10^6` the absolute error grows
like the rounding error of :math:`x` itself, and :math:`x` must be finite.

``sinx_x(x)`` is :math:`\sin(x)/x` with the removable singularity at 0 filled
in, as sasmodels' ``sas_sinx_x`` in ``kernel_header.c``.

``sph_j1c(x)`` is :math:`3 j_1(x)/x = 3(\sin x - x\cos x)/x^3`, the sphere
amplitude normalised to 1 at :math:`x = 0`. The direct formula loses about
:math:`\epsilon/x^2` to cancellation, so below ``SPH_J1C_CUTOFF = 0.1`` the
4th-order Taylor series is used instead, exactly as sasmodels'
``lib/sas_3j1x_x.c`` does in double precision: the first omitted term,
:math:`3x^8/3991680`, is at most 7.5e-15 relative there, and the direct formula
is better than 1e-13 above the cutoff.

References
----------

.. [1] W. J. Cody and W. Waite, *Software Manual for the Elementary
   Functions*, Prentice-Hall (1980).
.. [2] fdlibm 5.3, ``k_sin.c``, ``k_cos.c`` and ``e_rem_pio2.c``,
   Sun Microsystems (1993), https://www.netlib.org/fdlibm/
"""

from numba import njit
import numpy as np

SPH_J1C_CUTOFF = 0.1

_TWO_OVER_PI = 6.36619772367581382433e-01
# pi/2 = _PIO2_1 + _PIO2_2 + _PIO2_3 + O(1e-31); the first two have 33 bits.
_PIO2_1 = 1.57079632673412561417e00
_PIO2_2 = 6.07710050630396597660e-11
_PIO2_3 = 2.02226624871116645580e-21
# Adding and subtracting 1.5 * 2**52 rounds a double to the nearest integer.
_ROUND = 6755399441055744.0
_S1 = -1.66666666666666324348e-01
_S2 = 8.33333333332248946124e-03
_S3 = -1.98412698298579493134e-04
_S4 = 2.75573137070700676789e-06
_S5 = -2.50507602534068634195e-08
_S6 = 1.58969099521155010221e-10
_C1 = 4.16666666666666019037e-02
_C2 = -1.38888888888741095749e-03
_C3 = 2.48015872894767294178e-05
_C4 = -2.75573143513906633035e-07
_C5 = 2.08757232129817482790e-09
_C6 = -1.13596475577881948265e-11


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def sincos(x):
    """Return (sin x, cos x) for finite x, branch-free (see the module notes)."""
    k = (x * _TWO_OVER_PI + _ROUND) - _ROUND
    r = ((x - k * _PIO2_1) - k * _PIO2_2) - k * _PIO2_3
    z = r * r
    s = r + r * z * (_S1 + z * (_S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))))
    hz = 0.5 * z
    w = 1.0 - hz
    poly = _C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6))))
    c = w + (((1.0 - w) - hz) + z * z * poly)
    quadrant = np.int64(k) & 3
    sin_x = c if quadrant & 1 else s
    cos_x = -s if quadrant & 1 else c
    sign = 1.0 - (quadrant & 2)
    return sign * sin_x, sign * cos_x


@njit(cache=True, error_model="numpy")
def sinx_x(x):
    """Return sin(x)/x, with the value 1 at x = 0."""
    sin_x = sincos(x)[0]
    return 1.0 if x == 0.0 else sin_x / x


@njit(cache=True, error_model="numpy")
def sph_j1c(x):
    """Return 3 j1(x)/x, with a Taylor series below ``SPH_J1C_CUTOFF``."""
    x2 = x * x
    series = 1.0 + x2 * (-3.0 / 30.0 + x2 * (3.0 / 840.0 + x2 * (-3.0 / 45360.0)))
    sin_x, cos_x = sincos(x)
    # Multiplying by 1/x2 rather than dividing keeps loops over x vectorised:
    # LLVM turns a select over two divisions into a branch.
    direct = 3.0 * (sin_x / x - cos_x) * (1.0 / x2)
    return series if abs(x) < SPH_J1C_CUTOFF else direct
