import numpy as np
import pytest

from sciml_estimators.simulators import (
    cylinder_iq,
    pinhole_smear,
    pinhole_weights,
    polydisperse_iq,
    sphere_iq,
)

Q = np.geomspace(1e-3, 0.5, 150)
# Log and linear spacing, an unsorted q, and dq/q as an array.
Q_SETS = [Q, np.linspace(0.005, 0.3, 100), np.array([0.02, 0.01, 0.05, 0.03, 0.04])]
# 0 takes sasmodels' 1e-8 floor; 0.5 and 0.8 extend q_calc below zero.
DQ_OVER_Q = [0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.8]


@pytest.fixture(scope="module")
def sasmodels_direct():
    """Return ``iq(name, q, dq, **params)``: sasmodels' DirectModel on a Data1D with dx."""
    core = pytest.importorskip(
        "sasmodels.core", reason="sasmodels (test extra) is the reference simulator"
    )
    from sasmodels.data import Data1D
    from sasmodels.direct_model import DirectModel

    models = {}

    def iq(name, q, dq, **params):
        if name not in models:
            models[name] = core.load_model(name, dtype="double", platform="dll")
        data = Data1D(x=q, y=np.ones_like(q), dx=dq, dy=np.ones_like(q))
        return DirectModel(data, models[name])(**params)

    return iq


@pytest.mark.parametrize("dq_over_q", DQ_OVER_Q)
@pytest.mark.parametrize("q", Q_SETS, ids=["geomspace", "linspace", "unsorted"])
def test_weights_match_pinhole1d(q, dq_over_q):
    resolution = pytest.importorskip(
        "sasmodels.resolution", reason="sasmodels (test extra) is the reference simulator"
    )
    expected = resolution.Pinhole1D(q, dq_over_q * q)
    q_calc, weights = pinhole_weights(q, dq_over_q)
    np.testing.assert_array_equal(q_calc, expected.q_calc)
    np.testing.assert_array_equal(weights, expected.weight_matrix)


def test_weights_match_pinhole1d_with_varying_resolution():
    resolution = pytest.importorskip(
        "sasmodels.resolution", reason="sasmodels (test extra) is the reference simulator"
    )
    dq_over_q = np.linspace(0.02, 0.2, Q.size)
    expected = resolution.Pinhole1D(Q, dq_over_q * Q)
    q_calc, weights = pinhole_weights(Q, dq_over_q)
    np.testing.assert_array_equal(q_calc, expected.q_calc)
    np.testing.assert_array_equal(weights, expected.weight_matrix)


#: Per-point absolute dq: a rising dq, a constant one (dq/q falling), and one with zeros.
DQ_SETS = [np.linspace(1e-4, 0.02, Q.size), np.full(Q.size, 2e-3), np.r_[0.0, np.full(149, 1e-3)]]


@pytest.mark.parametrize("dq", DQ_SETS, ids=["rising", "constant", "with-zero"])
def test_weights_match_pinhole1d_with_absolute_dq(dq):
    resolution = pytest.importorskip(
        "sasmodels.resolution", reason="sasmodels (test extra) is the reference simulator"
    )
    expected = resolution.Pinhole1D(Q, dq)
    q_calc, weights = pinhole_weights(Q, dq=dq)
    np.testing.assert_array_equal(q_calc, expected.q_calc)
    np.testing.assert_array_equal(weights, expected.weight_matrix)
    # A scalar dq is the same constant array.
    if np.ptp(dq) == 0:
        np.testing.assert_array_equal(pinhole_weights(Q, dq=dq[0])[1], weights)


@pytest.mark.parametrize(
    "model_iq, name, params",
    [
        (sphere_iq, "sphere", {"radius": 120.0}),
        (cylinder_iq, "cylinder", {"radius": 20.0, "length": 400.0, "background": 0.1}),
    ],
)
def test_absolute_dq_matches_sasmodels(sasmodels_direct, model_iq, name, params):
    dq = DQ_SETS[0]
    expected = sasmodels_direct(name, Q, dq, **params)
    got = pinhole_smear(model_iq, Q, dq=dq, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


@pytest.mark.parametrize("dq_over_q", [0.01, 0.05, 0.1, 0.3, 0.5])
@pytest.mark.parametrize(
    "model_iq, name, params",
    [
        (sphere_iq, "sphere", {"radius": 120.0}),
        (cylinder_iq, "cylinder", {"radius": 20.0, "length": 400.0, "background": 0.1}),
    ],
)
def test_matches_sasmodels(sasmodels_direct, model_iq, name, params, dq_over_q):
    expected = sasmodels_direct(name, Q, dq_over_q * Q, **params)
    got = pinhole_smear(model_iq, Q, dq_over_q, **params)
    # Required: 1e-6. Measured: below 4e-13 (the monodisperse kernels' agreement).
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


def test_polydisperse_smeared_matches_sasmodels(sasmodels_direct):
    expected = sasmodels_direct(
        "sphere", Q, 0.1 * Q, radius=80.0, radius_pd=0.2, radius_pd_type="schulz",
        radius_pd_n=35, radius_pd_nsigma=3.0,
    )

    def iq(q, **params):
        return polydisperse_iq(sphere_iq, q, "radius", pd=0.2, kind="schulz", **params)

    got = pinhole_smear(iq, Q, 0.1, radius=80.0)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


def test_batch_and_background():
    radius = np.array([20.0, 50.0, 300.0])
    batch = pinhole_smear(sphere_iq, Q, 0.05, radius=radius, background=0.0)
    assert batch.shape == (3, Q.size)
    for i in range(3):
        single = pinhole_smear(sphere_iq, Q, 0.05, radius=radius[i], background=0.0)
        np.testing.assert_allclose(batch[i], single, rtol=1e-14, atol=0)
    # Columns sum to one: a flat background comes through unchanged.
    with_background = pinhole_smear(sphere_iq, Q, 0.05, radius=radius, background=0.5)
    np.testing.assert_allclose(with_background, batch + 0.5, rtol=1e-13, atol=0)


@pytest.mark.parametrize(
    "q, dq_over_q, match",
    [
        (Q, -0.1, "dq_over_q must be finite and non-negative; got -0.1"),
        (Q, np.nan, "dq_over_q must be finite and non-negative"),
        (Q, np.full(3, 0.1), r"dq_over_q must be a scalar or have the shape of q \(150,\)"),
        ([0.1], 0.1, "q must hold at least two distinct values"),
        ([0.1, -0.2], 0.1, "q must be finite and positive"),
    ],
)
def test_bad_input(q, dq_over_q, match):
    with pytest.raises(ValueError, match=match):
        pinhole_weights(q, dq_over_q)
    with pytest.raises(ValueError, match=match):
        pinhole_smear(sphere_iq, q, dq_over_q)
    absolute = match.replace("dq_over_q", "dq")
    with pytest.raises(ValueError, match=absolute):
        pinhole_weights(q, dq=dq_over_q)


@pytest.mark.parametrize(
    "given, match", [({}, "neither"), ({"dq_over_q": 0.1, "dq": 0.01}, "both")]
)
def test_exactly_one_of_relative_and_absolute(given, match):
    with pytest.raises(ValueError, match=f"Give exactly one of dq_over_q .* and dq .*got {match}"):
        pinhole_weights(Q, **given)
