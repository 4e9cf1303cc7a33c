import inspect
import functools
import itertools

import numpy as np
import pytest

from sciml_estimators.simulators import parallelepiped_iq
from sciml_estimators.simulators._gauss_legendre import RULE_SIZES, rule_index
from sciml_estimators.simulators._parallelepiped import (
    _OFFSETS,
    _SQRT_1M_U2,
    PARAMETERS,
    REFERENCE,
    outer_rule,
)

Q = np.geomspace(1e-3, 1.0, 200)
LOW, HIGH = 1.0, 1000.0
# (length_a, length_b, length_c): corners and interior points of the tested
# range; together they take every (outer, inner) rule pair the model uses.
LENGTHS = [
    (LOW, LOW, LOW),
    (LOW, LOW, HIGH),
    (LOW, HIGH, LOW),
    (HIGH, LOW, LOW),
    (HIGH, HIGH, HIGH),
    (35.0, 75.0, 400.0),
    (35.0, 75.0, 10.0),
    (35.0, 75.0, 500.0),
    (10.0, 20.0, 30.0),
    (200.0, 300.0, 150.0),
    (500.0, 20.0, 700.0),
]


def rule_pairs(q, length_a, length_b, length_c):
    """(outer, inner) rule sizes used at each q, mirroring the kernel."""
    pairs = set()
    for qk in q:
        outer = outer_rule(qk, length_a, length_b, length_c)
        mu = 0.5 * qk * length_b
        for i in range(_OFFSETS[outer], _OFFSETS[outer + 1]):
            qr_inner = mu * _SQRT_1M_U2[i] * max(length_a / length_b, 1.0)
            pairs.add((RULE_SIZES[outer], RULE_SIZES[rule_index(qr_inner, RULE_SIZES[outer])]))
    return pairs


def test_parameter_table_matches_signature():
    signature = inspect.signature(parallelepiped_iq).parameters
    assert [row[0] for row in PARAMETERS] == list(signature)[1:]
    for name, _, default, bounds, _ in PARAMETERS:
        assert signature[name].default == default
        if name.startswith("length_"):
            assert bounds == (LOW, HIGH)


def test_cases_cover_every_rule_pair():
    used = set().union(*(rule_pairs(Q, *lengths) for lengths in LENGTHS))
    assert used == {(20, 20), (76, 20), (76, 76), (500, 20), (500, 76)}


@pytest.mark.parametrize("params, q, expected, source", REFERENCE)
def test_reference_values(params, q, expected, source):
    np.testing.assert_allclose(
        parallelepiped_iq(q, **params), expected, rtol=1e-11, err_msg=source
    )


@pytest.mark.parametrize("length_a, length_b, length_c", LENGTHS)
def test_matches_sasmodels(sasmodels_iq, length_a, length_b, length_c):
    lengths = {"length_a": length_a, "length_b": length_b, "length_c": length_c}
    expected = sasmodels_iq("parallelepiped", Q, **lengths)
    # Required: 1e-6. Measured: below 3e-12, from the 76 and 500-point weights
    # that sasmodels prints to 15 digits.
    np.testing.assert_allclose(parallelepiped_iq(Q, **lengths), expected, rtol=1e-10, atol=0)


def test_batch_matches_sasmodels_with_contrast_and_scale(sasmodels_iq):
    params = {
        "length_a": np.array([35.0, 35.0, 120.0]),
        "length_b": np.array([75.0, 75.0, 80.0]),
        "length_c": np.array([20.0, 480.0, 480.0]),
        "sld": np.array([4.0, -2.0, 10.0]),
        "sld_solvent": np.array([1.0, 6.0, 0.0]),
        "scale": np.array([1.0, 0.01, 0.3]),
        "background": np.array([0.001, 0.0, 0.5]),
    }
    batch = parallelepiped_iq(Q, **params)
    for i in range(3):
        expected = sasmodels_iq("parallelepiped", Q, **{k: v[i] for k, v in params.items()})
        np.testing.assert_allclose(batch[i], expected, rtol=1e-10, atol=0)


@functools.cache
def gauss_legendre(n):
    """numpy's n-point rule, computed once: 1,000 points take seconds (an eigenproblem)."""
    return np.polynomial.legendre.leggauss(n)


def brute_force_iq(q, length_a, length_b, length_c, n=1000):
    """Average the oriented form factor over an octant of directions, n x n points."""
    t, w_t = gauss_legendre(n)
    cos_theta, w_t = (t + 1) / 2, w_t / 2
    phi, w_phi = gauss_legendre(n)
    phi, w_phi = np.pi / 4 * (phi + 1), np.pi / 4 * w_phi
    sin_theta = np.sqrt(1 - cos_theta**2)[:, None]
    direction = [sin_theta * np.cos(phi), sin_theta * np.sin(phi), cos_theta[:, None]]
    amplitude = 1.0
    for length, component in zip((length_a, length_b, length_c), direction):
        amplitude = amplitude * np.sinc(q * length * component / (2 * np.pi))
    average = w_t @ amplitude**2 @ w_phi / (np.pi / 2)
    volume = length_a * length_b * length_c
    return 1 / volume * (3.0 * volume) ** 2 * 1e-4 * average + 0.001  # defaults


@pytest.mark.parametrize(
    "q, lengths",
    list(itertools.product([0.01, 0.05, 0.2, 0.5], [(35.0, 75.0, 400.0), (35.0, 75.0, 500.0)])),
)
def test_matches_brute_force_orientation_average(q, lengths):
    length_a, length_b, length_c = lengths
    expected = brute_force_iq(q, length_a, length_b, length_c)
    actual = parallelepiped_iq(
        [q], length_a=length_a, length_b=length_b, length_c=length_c
    )[0]
    assert actual == pytest.approx(expected, rel=1e-10)


def test_forward_scattering_limit():
    # I(0) = scale * V * (sld - sld_solvent)**2 * 1e-4 + background.
    volume = 35.0 * 75.0 * 400.0
    assert parallelepiped_iq([1e-9], background=0.0)[0] == pytest.approx(
        volume * 9 * 1e-4, rel=1e-14
    )
