import importlib.resources
import inspect
import itertools
import re

import numpy as np
import pytest
from scipy import integrate, special

from sciml_estimators.simulators import cylinder_iq
from sciml_estimators.simulators._cylinder import PARAMETERS, REFERENCE, qr_max
from sciml_estimators.simulators._gauss_legendre import (
    RULE_SIZES,
    legendre_rule,
    rule_index,
    rules_needed,
)

Q = np.geomspace(1e-3, 1.0, 200)
LOW, HIGH = 1.0, 1000.0
# (radius, length): corners and interior points of the tested range; together
# they take every rule size, 5000 points included (q max(R, L/2) >= 750).
LENGTHS = [
    (LOW, LOW), (LOW, HIGH), (HIGH, LOW), (HIGH, HIGH),
    (20.0, 400.0), (3.3, 75.0), (760.0, 20.0), (150.0, 750.0), (500.0, 10.0),
]


def test_parameter_table_matches_signature():
    signature = inspect.signature(cylinder_iq).parameters
    assert [row[0] for row in PARAMETERS] == list(signature)[1:]
    for name, _, default, _, _ in PARAMETERS:
        assert signature[name].default == default
    assert [row[3] for row in PARAMETERS[:2]] == [(LOW, HIGH)] * 2


def test_cases_cover_every_rule():
    used = {RULE_SIZES[rule_index(qr_max(q, r, length), 1)] for q in Q for r, length in LENGTHS}
    assert used == set(RULE_SIZES)


@pytest.mark.parametrize("params, q, expected, source", REFERENCE)
def test_reference_values(params, q, expected, source):
    np.testing.assert_allclose(cylinder_iq(q, **params), expected, rtol=1e-11, err_msg=source)


@pytest.mark.parametrize("radius, length", LENGTHS)
def test_matches_sasmodels(sasmodels_iq, radius, length):
    expected = sasmodels_iq("cylinder", Q, radius=radius, length=length)
    # Required: 1e-6. Measured: below 6e-12, from sasmodels' printed weights.
    np.testing.assert_allclose(
        cylinder_iq(Q, radius=radius, length=length), expected, rtol=1e-10, atol=0
    )


def test_batch_matches_sasmodels_with_contrast_and_scale(sasmodels_iq):
    params = {
        "radius": np.array([20.0, 5.0, 900.0]),
        "length": np.array([400.0, 40.0, 30.0]),
        "sld": np.array([4.0, -2.0, 10.0]),
        "sld_solvent": np.array([1.0, 6.0, 0.0]),
        "scale": np.array([1.0, 0.01, 0.3]),
        "background": np.array([0.001, 0.0, 0.5]),
    }
    batch = cylinder_iq(Q, **params)
    for i in range(3):
        expected = sasmodels_iq("cylinder", Q, **{k: v[i] for k, v in params.items()})
        np.testing.assert_allclose(batch[i], expected, rtol=1e-10, atol=0)


def quad_iq(q, radius, length):
    """scipy.integrate.quad of the orientation average, default contrast."""
    def integrand(theta):
        x = q * radius * np.sin(theta)
        amplitude = 2 * special.j1(x) / x * np.sinc(q * length * np.cos(theta) / (2 * np.pi))
        return amplitude**2 * np.sin(theta)

    average = integrate.quad(integrand, 0, np.pi / 2, epsabs=0, epsrel=1e-13, limit=500)[0]
    volume = np.pi * radius**2 * length
    return 1 / volume * (3.0 * volume) ** 2 * 1e-4 * average + 0.001


@pytest.mark.parametrize(
    "q, lengths", list(itertools.product([0.01, 0.05, 0.2], [(20.0, 400.0), (100.0, 30.0)]))
)
def test_matches_quad_orientation_average(q, lengths):
    radius, length = lengths
    actual = cylinder_iq([q], radius=radius, length=length)[0]
    assert actual == pytest.approx(quad_iq(q, radius, length), rel=1e-10)


def test_forward_scattering_limit():
    # I(0) = scale * V * (sld - sld_solvent)**2 * 1e-4 + background.
    volume = np.pi * 20.0**2 * 400.0
    assert cylinder_iq([1e-9], background=0.0)[0] == pytest.approx(volume * 9e-4, rel=1e-14)


@pytest.mark.parametrize("name", ["radius", "length"])
def test_rejects_non_positive_lengths(name):
    with pytest.raises(ValueError, match=name):
        cylinder_iq(Q, **{name: [10.0, 0.0]})


def test_5000_point_rule():
    # Needed from q*r = 750 on; built by Newton's method, not leggauss
    # (module notes of _gauss_legendre).
    assert [rules_needed(qr) for qr in (1.0, 749.9, 750.0)] == [3, 3, 4]
    nodes, weights = legendre_rule(5000)
    assert legendre_rule(5000)[0] is nodes  # cached
    for degree in [0, 2, 100, 9998]:
        assert np.dot(weights, nodes**degree) == pytest.approx(2 / (degree + 1), rel=1e-14)
    pytest.importorskip("sasmodels", reason="sasmodels (test extra) holds the tables")
    source = (importlib.resources.files("sasmodels") / "models/lib/adaptive.c").read_text()

    def table(name):
        body = re.search(name + r"\[\d+\]\s*=\s*\{(.*?)\}", source, re.S).group(1)
        return np.array([float(v) for v in re.sub(r"//[^\n]*", "", body).split(",") if v.strip()])

    np.testing.assert_allclose(nodes, table("Gauss5000Z"), rtol=0, atol=3e-16)
    # sasmodels' outermost weights are off by up to 9e-7 (checked with mpmath),
    # a few others by 4e-9; the typical weight agrees to 1e-12.
    relative = np.abs(weights / table("Gauss5000Wt") - 1)
    assert relative.max() < 1e-6
    assert np.median(relative) < 1e-12
