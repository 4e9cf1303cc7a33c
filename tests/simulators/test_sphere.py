import inspect

import numpy as np
import pytest
from scipy.special import spherical_jn

from sciml_estimators.simulators import sphere_iq
from sciml_estimators.simulators._sphere import PARAMETERS, REFERENCE

Q = np.geomspace(1e-3, 1.0, 200)
(R_LOW, R_HIGH), = (bounds for name, _, _, bounds, _ in PARAMETERS if name == "radius")


def test_parameter_table_matches_signature():
    signature = inspect.signature(sphere_iq).parameters
    assert [row[0] for row in PARAMETERS] == list(signature)[1:]
    for name, _, default, _, _ in PARAMETERS:
        assert signature[name].default == default


@pytest.mark.parametrize("params, q, expected, source", REFERENCE)
def test_reference_values(params, q, expected, source):
    np.testing.assert_allclose(sphere_iq(q, **params), expected, rtol=1e-12, err_msg=source)


@pytest.mark.parametrize("radius", [R_LOW, 1.7, 10.0, 55.5, 200.0, 731.0, R_HIGH])
@pytest.mark.parametrize(
    "contrast",
    [{}, {"sld": 6.0, "sld_solvent": 1.0, "scale": 0.05, "background": 0.0},
     {"sld": -0.56, "sld_solvent": 6.4, "scale": 2.0, "background": 1.0}],
)
def test_matches_sasmodels(sasmodels_iq, radius, contrast):
    expected = sasmodels_iq("sphere", Q, radius=radius, **contrast)
    actual = sphere_iq(Q, radius=radius, **contrast)
    # Required: 1e-6. Measured: below 1e-13 (1-ulp differences of sin/cos,
    # amplified near the zeros of j1 when the background is 0).
    np.testing.assert_allclose(actual, expected, rtol=1e-11, atol=0)


def test_batch_matches_sasmodels_over_dataset_range(sasmodels_iq):
    q = np.geomspace(1e-3, 0.5, 300)
    radius = np.linspace(10.0, 500.0, 25)
    expected = np.array([sasmodels_iq("sphere", q, radius=r) for r in radius])
    np.testing.assert_allclose(sphere_iq(q, radius=radius), expected, rtol=1e-11, atol=0)


@pytest.mark.parametrize("radius", [1.0, 37.0, 1000.0])
def test_matches_spherical_bessel_formula(radius):
    sld, sld_solvent, scale, background = 2.0, -1.5, 0.3, 0.02
    qr = Q * radius
    volume = 4 / 3 * np.pi * radius**3
    amplitude = (sld - sld_solvent) * volume * 3 * spherical_jn(1, qr) / qr
    expected = scale / volume * 1e-4 * amplitude**2 + background
    actual = sphere_iq(Q, radius=radius, sld=sld, sld_solvent=sld_solvent, scale=scale,
                       background=background)
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=0)


def test_forward_scattering_limit():
    # I(0) = scale * V * (sld - sld_solvent)**2 * 1e-4 + background.
    radius = 80.0
    volume = 4 / 3 * np.pi * radius**3
    expected = 0.5 * volume * 25 * 1e-4
    assert sphere_iq([1e-9], radius=radius, scale=0.5, background=0.0)[0] == pytest.approx(
        expected, rel=1e-14
    )


@pytest.mark.parametrize("radius", [1.0, 50.0, 1000.0])
def test_huge_q_follows_porods_law(radius):
    # It returned 1e58 and more, then inf and NaN, from q = 1e20 on: the
    # sine's argument reduction fails where q r >= 2**52.
    q = np.array([1e16, 1e20, 1e22, 1e40, 1e60])
    iq = sphere_iq(q, radius=radius, sld=6.0, sld_solvent=1.0, scale=0.5, background=0.0)
    porod = 6 * np.pi * 5.0**2 * 1e-4 * 0.5 / (radius * q**4)
    np.testing.assert_allclose(iq, porod, rtol=1e-12)
    assert sphere_iq(np.array([1e300]), radius=radius, background=0.5) == 0.5
