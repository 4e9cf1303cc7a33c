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
From :math:`2^{52}` (``NO_PHASE``) on, consecutive doubles are a radian or
more apart, so that :math:`x` no longer determines a phase, and the reduction
fails: ``sincos`` returns values far outside [-1, 1] there (:math:`10^{58}`
and more). The amplitudes below do not use it there; see *Beyond NO_PHASE*.

``sinx_x(x)`` is :math:`\sin(x)/x` with the removable singularity at 0 filled
in, as sasmodels' ``sas_sinx_x`` in ``kernel_header.c``.

``sph_j1c(x)`` is :math:`3 j_1(x)/x = 3(\sin x - x\cos x)/x^3`, the sphere
amplitude normalised to 1 at :math:`x = 0`. The direct formula loses about
:math:`\epsilon/x^2` to cancellation, so below ``SPH_J1C_CUTOFF = 0.1`` the
4th-order Taylor series is used instead, exactly as sasmodels'
``lib/sas_3j1x_x.c`` does in double precision: the first omitted term,
:math:`3x^8/3991680`, is at most 7.5e-15 relative there, and the direct formula
is better than 1e-13 above the cutoff.

``j1c(x)`` is :math:`2 J_1(x)/x`, the cylinder's cross-section amplitude
normalised to 1 at :math:`x = 0`, ported from Cephes' ``j1`` as sasmodels'
``lib/sas_J1.c`` has it (``sas_2J1x_x``). For :math:`|x| \le 5` Cephes writes
:math:`J_1(x) = x (z - z_1)(z - z_2) R(z)` with :math:`z = x^2`, the first two
zeros :math:`z_i = j_{1,i}^2` and a rational function :math:`R`; this form
is its series at small :math:`x` (no cancellation: :math:`z - z_i` stays
near :math:`-z_i`), so :math:`2 (z - z_1)(z - z_2) R(z)` is used directly,
without multiplying by :math:`x` and dividing again, and gives exactly 1 at
0. For :math:`|x| > 5` it uses Hankel's asymptotic form with two rational
functions of :math:`(5/x)^2`, written with :math:`\sin x \pm \cos x` as in
sasmodels. Cephes quotes an absolute error of 2.6e-16 on [0, 30]. Both forms
are evaluated and one is selected, without a branch, so that loops over
:math:`x` vectorise (as for ``sph_j1c``); the asymptotic form puts Cephes'
two quotients and the final scaling over one divisor, which saves three
divisions and changes the result by a few units in the last place. Against
:func:`scipy.special.j1` the relative error stays within
:math:`2\epsilon (1 + x/d)`, with :math:`d` the distance to the nearest zero
(:math:`x/d` bounds the condition number). ``j1c`` is inlined into its
callers by Numba, as LLVM does not inline anything that large and a call
stops vectorisation.

Beyond ``NO_PHASE``: where :math:`|x| \ge 2^{52}` the amplitudes
``sinx_x``, ``sph_j1c`` and ``j1c`` return their root mean square over a
period of their oscillation, the value that a measurement averages to
(every real q has a spread far wider than a period there):
:math:`1/(\sqrt{2} x)`, :math:`3/(\sqrt{2} x^2)` and
:math:`2/(\sqrt{\pi} x^{3/2})`. Intensities then follow Porod's
:math:`q^{-4}` law, the sphere's exactly: :math:`\langle (3 j_1(x)/x)^2
\rangle = 9/(2 x^4)`. Each is a select, not a branch, so that loops still
vectorise, and below ``NO_PHASE`` the results are bit-identical to the
formulas above.

References
----------

.. [1] W. J. Cody and W. Waite, *Software Manual for the Elementary
   Functions*, Prentice-Hall (1980).
.. [2] S. L. Moshier, Cephes Math Library 2.8, ``j1.c`` (2000),
   https://www.netlib.org/cephes/
.. [3] fdlibm 5.3, ``k_sin.c``, ``k_cos.c`` and ``e_rem_pio2.c``,
   Sun Microsystems (1993), https://www.netlib.org/fdlibm/
"""

import math

import numpy as np
from numba import njit

SPH_J1C_CUTOFF = 0.1

_TWO_OVER_PI = 6.36619772367581382433e-01
# pi/2 = _PIO2_1 + _PIO2_2 + _PIO2_3 + O(1e-31); the first two have 33 bits.
_PIO2_1 = 1.57079632673412561417e00
_PIO2_2 = 6.07710050630396597660e-11
_PIO2_3 = 2.02226624871116645580e-21
# Adding and subtracting 1.5 * 2**52 rounds a double to the nearest integer.
_ROUND = 6755399441055744.0
#: From here on doubles are a radian or more apart: x determines no phase.
NO_PHASE = 2.0**52
_SQRT_HALF = math.sqrt(0.5)
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
# Cephes j1.c: squares of the first two zeros of J1, and its coefficients.
_J1_Z1 = 1.46819706421238932572e1
_J1_Z2 = 4.92184563216946036703e1
_SQRT1_PI = 0.56418958354775628
_RP = (-8.99971225705559398224e8, 4.52228297998194034323e11,
       -7.27494245221818276015e13, 3.68295732863852883286e15)
_RQ = (6.20836478118054335476e2, 2.56987256757748830383e5, 8.35146791431949253037e7,
       2.21511595479792499675e10, 4.74914122079991414898e12, 7.84369607876235854894e14,
       8.95222336184627338078e16, 5.32278620332680085395e18)
_PP = (7.62125616208173112003e-4, 7.31397056940917570436e-2, 1.12719608129684925192e0,
       5.11207951146807644818e0, 8.42404590141772420927e0, 5.21451598682361504063e0,
       1.00000000000000000254e0)
_PQ = (5.71323128072548699714e-4, 6.88455908754495404082e-2, 1.10514232634061696926e0,
       5.07386386128601488557e0, 8.39985554327604159757e0, 5.20982848682361821619e0,
       9.99999999999999997461e-1)
_QP = (5.10862594750176621635e-2, 4.98213872951233449420e0, 7.58238284132545283818e1,
       3.66779609360150777800e2, 7.10856304998926107277e2, 5.97489612400613639965e2,
       2.11688757100572135698e2, 2.52070205858023719784e1)
_QQ = (7.42373277035675149943e1, 1.05644886038262816351e3, 4.98641058337653607651e3,
       9.56231892404756170795e3, 7.99704160447350683650e3, 2.82619278517639096600e3,
       3.36093607810698293419e2)


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
    """Return sin(x)/x, with the value 1 at x = 0 (its RMS beyond NO_PHASE)."""
    sin_x = sincos(x)[0]
    # Beyond NO_PHASE, sin(x) takes its RMS, with the sign of x to keep sin(x)/x even.
    sin_x = _SQRT_HALF if x >= NO_PHASE else (-_SQRT_HALF if x <= -NO_PHASE else sin_x)
    return 1.0 if x == 0.0 else sin_x / x


@njit(cache=True, error_model="numpy")
def sph_j1c(x):
    """Return 3 j1(x)/x: a Taylor series below ``SPH_J1C_CUTOFF``, its RMS beyond NO_PHASE."""
    x2 = x * x
    series = 1.0 + x2 * (-3.0 / 30.0 + x2 * (3.0 / 840.0 + x2 * (-3.0 / 45360.0)))
    sin_x, cos_x = sincos(x)
    # Multiplying by 1/x2 rather than dividing keeps loops over x vectorised:
    # LLVM turns a select over two divisions into a branch.
    # Beyond NO_PHASE, sin(x)/x stays below 2.3e-16 (taken as 0) and cos(x)
    # takes its RMS, sqrt(1/2).
    far = abs(x) >= NO_PHASE
    sin_x, cos_x = (0.0 if far else sin_x), (-_SQRT_HALF if far else cos_x)
    direct = 3.0 * (sin_x / x - cos_x) * (1.0 / x2)
    return series if abs(x) < SPH_J1C_CUTOFF else direct


@njit(cache=True, error_model="numpy")
def _polevl(x, coefficients, leading_one):
    """Horner's rule, highest power first, as Cephes' ``polevl``/``p1evl``."""
    total = 1.0 if leading_one else 0.0
    for c in coefficients:
        total = total * x + c
    return total


# Inlined by Numba: it is too large for LLVM to inline on its own, and a call
# stops the loops that use it from vectorising. Inlined code takes the
# caller's error model, so neither form may divide by zero.
@njit(cache=True, error_model="numpy", inline="always")
def j1c(x):
    """Return 2 J1(x)/x, 1 at x = 0 and its RMS beyond NO_PHASE (see the module notes)."""
    # Both forms are evaluated and one is selected, without a branch, so that
    # loops over x vectorise. Each form's argument is clamped to its own
    # interval, which changes nothing where it is selected and keeps the
    # other finite.
    abs_x = abs(x)
    z = min(x * x, 25.0)
    ratio = _polevl(z, _RP, False) / _polevl(z, _RQ, True)
    small = 2.0 * (ratio * (z - _J1_Z1) * (z - _J1_Z2))
    x_large = max(abs_x, 5.0)
    # Cephes' P/PQ and Q/QQ, and the final scaling, over one common divisor.
    w = 5.0 / x_large
    zw = w * w
    pq = _polevl(zw, _PQ, False)
    qq = _polevl(zw, _QQ, True)
    sin_x, cos_x = sincos(x_large)
    # Beyond NO_PHASE: sin x - cos x = sqrt(2) sin(x - pi/4) takes its RMS, 1;
    # sin x + cos x, weighted by w < 1.2e-15 there, becomes 0.
    far = abs_x >= NO_PHASE
    sin_x, cos_x = (0.5 if far else sin_x), (-0.5 if far else cos_x)
    p = _polevl(zw, _PP, False) * qq * (sin_x - cos_x) + w * _polevl(zw, _QP, False) * pq * (
        sin_x + cos_x)
    large = (2.0 * _SQRT1_PI) * p / (pq * qq * math.sqrt(x_large) * x_large)
    return small if abs_x <= 5.0 else large
