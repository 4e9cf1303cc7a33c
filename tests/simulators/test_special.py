import math

import numpy as np
import pytest
from scipy.special import spherical_jn

from sciml_estimators.simulators._special import (
    NO_PHASE,
    SPH_J1C_CUTOFF,
    j1c,
    sincos,
    sinx_x,
    sph_j1c,
)

CUTOFF_NEIGHBOURS = [np.nextafter(SPH_J1C_CUTOFF, 0.0), SPH_J1C_CUTOFF,
                     np.nextafter(SPH_J1C_CUTOFF, 1.0)]


def sph_j1c_mpmath(x):
    mpmath = pytest.importorskip("mpmath", reason="mpmath gives exact reference values")
    with mpmath.workdps(50):
        x = mpmath.mpf(float(x))
        return float(3 * (mpmath.sin(x) - x * mpmath.cos(x)) / x**3)


@pytest.mark.parametrize(
    "low, high, rtol",
    [
        (1e-8, 0.05, 4.5e-16),  # series, converged to rounding
        (0.05, SPH_J1C_CUTOFF, 1e-14),  # series, truncation error up to 7.5e-15
        (SPH_J1C_CUTOFF, 0.2, 5e-14),  # direct formula, cancellation ~ eps / x^2
    ],
)
def test_sph_j1c_matches_mpmath_around_cutoff(low, high, rtol):
    x = np.concatenate([np.geomspace(low, high, 200), CUTOFF_NEIGHBOURS])
    x = x[(x >= low) & (x <= high)]
    expected = np.array([sph_j1c_mpmath(v) for v in x])
    actual = np.array([sph_j1c(v) for v in x])
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=0)


def test_sph_j1c_is_continuous_at_cutoff():
    # Between consecutive doubles the step from series to direct formula is no
    # larger than the direct formula's own rounding noise there (~3e-14).
    below, at, above = (sph_j1c(x) for x in CUTOFF_NEIGHBOURS)
    assert abs(below / at - 1) < 5e-14
    assert abs(above / at - 1) < 5e-14


def test_sph_j1c_matches_scipy_spherical_jn():
    x = np.geomspace(SPH_J1C_CUTOFF, 1e3, 5000)
    expected = 3 * spherical_jn(1, x) / x
    actual = np.array([sph_j1c(v) for v in x])
    # Absolute tolerance on a function of size 1 that has zeros.
    np.testing.assert_allclose(actual, expected, rtol=1e-13, atol=1e-15)


def test_sph_j1c_is_even_and_one_at_zero():
    assert sph_j1c(0.0) == 1.0
    for x in [1e-3, 0.5, 3.0, 100.0]:
        assert sph_j1c(-x) == sph_j1c(x)


def test_sincos_matches_libm():
    rng = np.random.default_rng(0)
    x = np.concatenate([
        rng.uniform(-1e5, 1e5, 50_000),
        rng.uniform(-10, 10, 10_000),
        np.arange(-2000, 2000) * (np.pi / 4),  # quadrant boundaries and midpoints
    ])
    actual = np.array([sincos(v) for v in x])
    expected = np.array([(math.sin(v), math.cos(v)) for v in x])
    # Both are within one ulp of the exact value, so within 2**-53 of each other.
    np.testing.assert_allclose(actual, expected, rtol=0, atol=2.0**-53)


def test_sincos_is_within_one_ulp():
    mpmath = pytest.importorskip("mpmath", reason="mpmath gives exact reference values")
    x = np.random.default_rng(1).uniform(-1e3, 1e3, 2000)
    for v in x:
        sin_x, cos_x = sincos(v)
        exact_sin, exact_cos = float(mpmath.sin(v)), float(mpmath.cos(v))
        assert abs(sin_x - exact_sin) <= np.spacing(abs(exact_sin))
        assert abs(cos_x - exact_cos) <= np.spacing(abs(exact_cos))


def test_sincos_absolute_error_near_multiples_of_half_pi():
    mpmath = pytest.importorskip("mpmath", reason="mpmath gives exact reference values")
    for v in np.arange(-3000, 3000) * (np.pi / 2):
        sin_x, cos_x = sincos(v)
        assert abs(sin_x - float(mpmath.sin(v))) < 1e-27
        assert abs(cos_x - float(mpmath.cos(v))) < 1e-27


def test_sinx_x():
    assert sinx_x(0.0) == 1.0
    assert sinx_x(1e-300) == 1.0
    x = np.random.default_rng(2).uniform(-500, 500, 10_000)
    actual = np.array([sinx_x(v) for v in x])
    np.testing.assert_allclose(actual, np.sin(x) / x, rtol=0, atol=2.0**-52)


def test_j1c_matches_scipy_j1():
    from scipy.special import j1

    x = np.concatenate([np.geomspace(1e-8, 1e3, 20_000), np.nextafter(5.0, [0.0, 10.0]), [5.0]])
    expected = 2 * j1(x) / x
    actual = np.array([j1c(v) for v in x])
    # Relative below the first zero of J1 (3.83), absolute beyond (zeros).
    below = x < 3.8
    np.testing.assert_allclose(actual[below], expected[below], rtol=1e-14, atol=0)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-15)


def test_j1c_small_x_is_its_series():
    x = np.geomspace(1e-8, 1e-2, 100)
    series = 1 - x**2 / 8 + x**4 / 192 - x**6 / 9216
    np.testing.assert_allclose([j1c(v) for v in x], series, rtol=7e-16, atol=0)


def test_j1c_is_even_and_one_at_zero():
    assert j1c(0.0) == 1.0
    for x in [1e-3, 0.5, 4.9, 5.0, 5.1, 100.0]:
        assert j1c(-x) == j1c(x)


def test_j1c_relative_error_within_its_condition_number():
    from scipy.special import j1, jn_zeros

    x = np.concatenate([np.geomspace(1e-8, 1e3, 20_000), np.nextafter(5.0, [0.0, 10.0]), [5.0]])
    expected = 2 * j1(x) / x
    actual = np.array([j1c(v) for v in x])
    # x / (distance to the nearest zero of J1) bounds the condition number of
    # 2 J1(x)/x; away from the zeros the error is a few units in the last place.
    distance = np.min(np.abs(x[:, None] - jn_zeros(1, 400)[None, :]), axis=1)
    bound = 4 * np.finfo(float).eps * (1 + x / distance)
    assert np.all(np.abs(actual / expected - 1) <= bound)


def test_j1c_vectorised_loop_matches_scalar_calls():
    # j1c is inlined into the caller and takes its error model (here Python's,
    # which raises on division by zero); both its forms stay finite at 0.
    from numba import njit

    @njit
    def j1c_loop(x):
        out = np.empty_like(x)
        for i in range(x.size):
            out[i] = j1c(x[i])
        return out

    x = np.concatenate([[0.0, -0.0, 5.0, -5.0], np.linspace(-40.0, 40.0, 1001)])
    np.testing.assert_array_equal(j1c_loop(x), [j1c(v) for v in x])


#: Each amplitude and its root mean square over a period, at large x (a
#: Python float: x * x is inf, and the RMS 0, beyond 1.3e154).
AMPLITUDE_RMS = [
    (sinx_x, lambda x: math.sqrt(0.5) / x),
    (sph_j1c, lambda x: 3 / (math.sqrt(2) * x * x)),
    (j1c, lambda x: 2 / (math.sqrt(math.pi) * math.sqrt(x) * x)),
]


@pytest.mark.parametrize("amplitude, rms", AMPLITUDE_RMS)
def test_amplitudes_take_their_rms_where_x_has_no_phase(amplitude, rms):
    # sincos's reduction fails from 2**52 on (it gave 1e58 and more, and inf).
    for x in [NO_PHASE, 1e16, 5e21, 1e100, 1e300, float(np.finfo(float).max)]:
        assert amplitude(x) == pytest.approx(rms(x), rel=1e-15, abs=0)
        assert amplitude(-x) == amplitude(x)


@pytest.mark.parametrize("amplitude, rms", AMPLITUDE_RMS)
def test_rms_beyond_no_phase_continues_the_oscillation_below(amplitude, rms):
    # Just below NO_PHASE the phase is still resolved: the mean square over
    # many periods there is what the amplitude takes from NO_PHASE on.
    x = NO_PHASE / 2 + np.arange(20_001) * 0.5
    below = np.sqrt(np.mean([amplitude(v) ** 2 for v in x]))
    assert below == pytest.approx(rms(NO_PHASE / 2), rel=1e-3)


@pytest.mark.parametrize(
    "model_iq", ["sphere_iq", "core_shell_sphere_iq", "ellipsoid_iq", "cylinder_iq",
                 "parallelepiped_iq"],
)
def test_profiles_decay_where_q_r_has_no_phase(model_iq):
    from sciml_estimators import simulators

    q = np.geomspace(1.0, 1e300, 61)
    iq = getattr(simulators, model_iq)(q, background=0.0)
    assert np.all(np.isfinite(iq)) and np.all(iq >= 0)
    assert np.all(np.diff(iq[q >= 1e14]) <= 0) and iq[-1] < 1e-300
