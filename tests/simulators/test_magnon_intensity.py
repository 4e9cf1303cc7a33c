import math

import numpy as np
import pytest

from sciml_estimators.simulators import magnon_dispersion, magnon_intensity
from sciml_estimators.simulators._magnon_intensity import K_B, mn2_form_factor

PARAMS = {"J": 0.6544, "J2": 0.012}
HK = [(0.25, 0.25), (0.5, 0.0), (0.1, 0.3), (0.37, 0.05), (0.02, 0.0), (1.3, 0.7)]


def _form_factor(q):
    """The Mn2+ <j0> form factor written out from SCIENCE.md."""
    s2 = (np.asarray(q) / (4 * np.pi)) ** 2
    return (0.4220 * np.exp(-17.684 * s2) + 0.5948 * np.exp(-6.005 * s2)
            + 0.0043 * np.exp(0.609 * s2) - 0.0219)


def _s_perp(h, k, J, J2, S=2.5, dz=0.0048):
    """(S/2)(A - B)/w from A, B in the gamma_1, gamma_2 form."""
    g1 = (np.cos(2 * np.pi * h) + np.cos(2 * np.pi * k)) / 2
    g2 = np.cos(2 * np.pi * h) * np.cos(2 * np.pi * k)
    a = 4 * J * S * (1 + dz) - 4 * J2 * S * (1 - g2)
    b = 4 * J * S * g1
    return S / 2 * (a - b) / np.sqrt(a**2 - b**2)


def _q(h, k):
    return 2 * np.pi * np.hypot(h, k) / 4.215


def test_form_factor():
    assert mn2_form_factor(0.0) == pytest.approx(0.4220 + 0.5948 + 0.0043 - 0.0219, rel=1e-15)
    assert mn2_form_factor(0.0) == pytest.approx(0.9992, rel=1e-15)
    q = np.linspace(0.0, 6.0, 61)
    values = np.array([mn2_form_factor(x) for x in q])
    np.testing.assert_allclose(values, _form_factor(q), rtol=1e-14)
    assert np.all(np.diff(values) < 0)


@pytest.mark.parametrize("h, k", HK)
@pytest.mark.parametrize("temperature", [2.0, 20.0, 80.0])
def test_detailed_balance(h, k, temperature):
    # At E = +-w the other branch sits 2w away: with fwhm 0.05 meV and
    # w > 0.6 meV its Gaussian tail is below exp(-(2w/sigma)^2/2) ~ 1e-280.
    omega = magnon_dispersion(h, k, **PARAMS)
    energy = np.array([omega, -omega])
    gain, loss = magnon_intensity(h, k, -energy, **PARAMS, temperature=temperature,
                                  resolution_fwhm=0.05)
    creation, annihilation = magnon_intensity(h, k, energy, **PARAMS,
                                              temperature=temperature, resolution_fwhm=0.05)
    assert gain == annihilation and loss == creation
    np.testing.assert_allclose(annihilation / creation, np.exp(-omega / (K_B * temperature)),
                               rtol=1e-10)


@pytest.mark.parametrize("h, k", HK)
def test_energy_integral_at_zero_temperature(h, k):
    fwhm = 0.3
    sigma = fwhm / (2 * math.sqrt(2 * math.log(2)))
    omega = magnon_dispersion(h, k, **PARAMS)
    energy = np.linspace(omega - 12 * sigma, omega + 12 * sigma, 4001)
    intensity = magnon_intensity(h, k, energy, **PARAMS, temperature=0.0,
                                 resolution_fwhm=fwhm)
    expected = _s_perp(h, k, **PARAMS) * _form_factor(_q(h, k)) ** 2
    np.testing.assert_allclose(np.trapezoid(intensity, energy), expected, rtol=1e-6)
    # No annihilation branch at T = 0: at -w only the creation tail G(-2w) is left.
    pair = magnon_intensity(h, k, [-omega, omega], **PARAMS, temperature=0.0,
                            resolution_fwhm=fwhm)
    np.testing.assert_allclose(pair[0] / pair[1], np.exp(-2 * omega**2 / sigma**2), rtol=1e-10)


@pytest.mark.parametrize("h, k", HK)
@pytest.mark.parametrize("temperature", [0.0, 10.0])
def test_peak_at_dispersion(h, k, temperature):
    energy = np.linspace(0.0, 8.0, 8001)
    intensity = magnon_intensity(h, k, energy, **PARAMS, temperature=temperature)
    step = energy[1] - energy[0]
    assert abs(energy[np.argmax(intensity)] - magnon_dispersion(h, k, **PARAMS)) <= step


def test_kf_over_ki_and_kinematic_limit():
    # w(0.3, 0.1) = 6.21 meV: every energy below lies within 3.5 sigma of a branch.
    energy = np.array([-6.0, -6.4, 5.9, 6.0, 6.2, 6.4999, 6.5, 6.6])
    free = magnon_intensity(0.3, 0.1, energy, **PARAMS, temperature=30.0)
    with_ei = magnon_intensity(0.3, 0.1, energy, **PARAMS, temperature=30.0,
                               incident_energy=6.5)
    k_i = np.sqrt(6.5 / 2.0721)
    k_f = np.sqrt(np.clip(k_i**2 - energy / 2.0721, 0.0, None))
    # sqrt(1 - E/Ei) against sqrt(ki^2 - E/2.0721)/ki: 1.5e-5 cancellation at 6.4999 meV.
    np.testing.assert_allclose(with_ei[:6], free[:6] * k_f[:6] / k_i, rtol=1e-10)
    assert np.all(with_ei[:6] > 0) and with_ei[0] > free[0]
    np.testing.assert_array_equal(with_ei[6:], 0.0)
    assert np.all(free[6:] > 1e-3)


def test_zero_modes_are_left_out():
    # dz = 0: zero modes at (0, 0) and (1/2, 1/2); stability limit: at (1/2, 0).
    soft = {"J": 0.6, "J2": 0.01, "dz": 0.0}
    limit = {"J": 0.6, "J2": 0.6 * (1 + 0.0048) / 2, "dz": 0.0048}
    for params, (h, k) in [(soft, (0.0, 0.0)), (soft, (0.5, 0.5)), (soft, (1.5, -0.5)),
                           (limit, (0.5, 0.0))]:
        assert magnon_dispersion(h, k, **params) < 1e-7
        values = magnon_intensity(h, k, [-0.5, 0.0, 0.5], **params, temperature=10.0)
        np.testing.assert_array_equal(values, 0.0)
        nearby = magnon_intensity(h + 0.01, k, [-0.5, 0.0, 0.5], **params, temperature=10.0)
        assert np.all(np.isfinite(nearby)) and np.all(nearby > 0)


def test_broadcasting_and_scalars():
    out = magnon_intensity(np.zeros((2, 1, 1)), np.zeros((3, 1)) + 0.2, np.linspace(1, 7, 4),
                           **PARAMS)
    assert out.shape == (2, 3, 4)
    scalar = magnon_intensity(0.2, 0.1, 6.0, **PARAMS)
    assert isinstance(scalar, np.floating) and np.ndim(scalar) == 0
    assert magnon_intensity([0.2], 0.1, 6.0, **PARAMS).shape == (1,)
    np.testing.assert_array_equal(
        magnon_intensity([0.2, 0.3], [0.1, 0.1], 6.0, **PARAMS),
        [magnon_intensity(0.2, 0.1, 6.0, **PARAMS), magnon_intensity(0.3, 0.1, 6.0, **PARAMS)],
    )


@pytest.mark.parametrize("kwargs, match", [
    ({"temperature": -1.0}, "temperature must be non-negative"),
    ({"temperature": np.nan}, "temperature must be finite"),
    ({"resolution_fwhm": 0.0}, "resolution_fwhm must be positive"),
    ({"resolution_fwhm": [0.3]}, "resolution_fwhm must be a real scalar"),
    ({"incident_energy": 0.0}, "incident_energy must be positive"),
    ({"incident_energy": -5.0}, "incident_energy must be positive"),
    ({"J": -0.5}, "J must be positive"),
    ({"J2": 0.5}, "unstable"),
    ({"energy": [1.0, np.inf]}, r"energy must be finite \(meV\)"),
    ({"h": np.nan}, r"h must be finite \(reciprocal-lattice units\)"),
    ({"energy": [1.0, 2.0, 3.0], "h": [0.1, 0.2]}, "h, k and energy must broadcast"),
])
def test_invalid_inputs(kwargs, match):
    args = {"h": 0.1, "k": 0.2, "energy": 1.0, **PARAMS, **kwargs}
    with pytest.raises(ValueError, match=match):
        magnon_intensity(args.pop("h"), args.pop("k"), args.pop("energy"), **args)
