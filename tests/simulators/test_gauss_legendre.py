import importlib.resources
import re

import numpy as np
import pytest

from sciml_estimators.simulators._gauss_legendre import (
    ADAPTIVE_MAX_OUTER,
    RULE_SIZES,
    gauss_legendre_rules,
    rule_index,
)


@pytest.mark.parametrize(
    "qr, outer_n, expected",
    [
        # Outermost loop: the 5000-point stage is capped at 500.
        (9.99, ADAPTIVE_MAX_OUTER, 0),
        (10.0, ADAPTIVE_MAX_OUTER, 1),
        (99.9, ADAPTIVE_MAX_OUTER, 1),
        (100.0, ADAPTIVE_MAX_OUTER, 2),
        (1e4, ADAPTIVE_MAX_OUTER, 2),
        # Behind 20 points, all four stages.
        (749.9, 20, 2),
        (750.0, 20, 3),
        # Behind 76 points, at most 500; behind 500 points, at most 76.
        (1e4, 76, 2),
        (1e4, 500, 1),
        (5.0, 500, 0),
        # Behind more than 100000 / 76 points, always 20.
        (1e4, 1316, 0),
        (1e4, 1315, 1),
    ],
)
def test_rule_index_follows_sasmodels_gauss_weights(qr, outer_n, expected):
    assert rule_index(qr, outer_n) == expected


def test_parallelepiped_inner_loop_never_needs_5000_points():
    # The inner q*r never exceeds the outer one (module notes of _parallelepiped).
    qr = np.geomspace(1e-3, 1e6, 400)
    for qr_outer in qr:
        n_outer = RULE_SIZES[rule_index(qr_outer, ADAPTIVE_MAX_OUTER)]
        assert n_outer <= 500
        for qr_inner in qr[qr <= qr_outer]:
            assert rule_index(qr_inner, n_outer) <= 1


@pytest.mark.parametrize("size", RULE_SIZES[:3])
def test_rules_integrate_polynomials_exactly(size):
    nodes, weights, offsets = gauss_legendre_rules([size])
    assert offsets.tolist() == [0, size]
    assert np.all(np.diff(nodes) > 0)
    for degree in [0, 2, 10, 2 * size - 2]:
        assert np.dot(weights, nodes**degree) == pytest.approx(2 / (degree + 1), rel=1e-13)


def test_rules_are_sasmodels_rules():
    pytest.importorskip("sasmodels", reason="sasmodels (test extra) holds the tables")
    source = (importlib.resources.files("sasmodels") / "models/lib/adaptive.c").read_text()

    def table(name):
        body = re.search(name + r"\[\d+\]\s*=\s*\{(.*?)\}", source, re.S).group(1)
        body = re.sub(r"//[^\n]*", "", body)
        return np.array([float(v) for v in body.split(",") if v.strip()])

    sizes = RULE_SIZES[:3]
    nodes, weights, offsets = gauss_legendre_rules(sizes)
    for k, size in enumerate(sizes):
        rule = slice(offsets[k], offsets[k + 1])
        # sasmodels prints 15-16 digits; some of its weights are off by 4e-11.
        np.testing.assert_allclose(nodes[rule], table(f"Gauss{size}Z"), rtol=0, atol=1e-15)
        np.testing.assert_allclose(weights[rule], table(f"Gauss{size}Wt"), rtol=1e-10)
