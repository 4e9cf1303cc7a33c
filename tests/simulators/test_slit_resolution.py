import numpy as np
import pytest

from sciml_estimators.simulators import cylinder_iq, slit_smear, slit_weights, sphere_iq

# NIST BT5 USANS: slit half-length 0.117 1/A (sasdata's example_data/1d_data/
# 1umSlitSmearSphere.ABS: 149 points from 1e-4 to 1e-2 1/A; test/sasdataloader/data/
# sam14_cor.ABS: 95 points from 3e-5 to 2.7e-3 1/A). A Kratky-camera-like SAXS slit
# (sasdata's cansas1d_slit.xml: dQl 0.005, dQw 0.001 1/A). Per-point lengths and widths,
# and points without resolution.
USANS = np.geomspace(1e-4, 1e-2, 149)
SLITS = [
    (USANS, 0.117, 0.0),
    (np.geomspace(3e-5, 2.7e-3, 95), 0.117, 1e-4),
    (np.linspace(0.02, 0.3, 50), 0.005, 0.001),
    (np.geomspace(1e-3, 0.1, 40), np.linspace(0.01, 0.05, 40), np.linspace(0.0, 0.01, 40)),
    (np.geomspace(1e-3, 0.1, 40), np.r_[0.0, np.full(39, 0.02)], 0.0),
    (np.array([0.02, 0.01, 0.05, 0.03, 0.04]), 0.01, 0.0),
]
IDS = ["usans", "usans-width", "kratky", "per-point", "with-ideal-point", "unsorted"]


@pytest.fixture(scope="module")
def sasmodels_slit():
    """Return ``iq(name, q, dql, dqw, **params)``: DirectModel on a Data1D with dxl and dxw."""
    core = pytest.importorskip(
        "sasmodels.core", reason="sasmodels (test extra) is the reference simulator"
    )
    from sasmodels.data import Data1D
    from sasmodels.direct_model import DirectModel

    models = {}

    def iq(name, q, dql, dqw, **params):
        if name not in models:
            models[name] = core.load_model(name, dtype="double", platform="dll")
        data = Data1D(x=q, y=np.ones_like(q), dy=np.ones_like(q))
        data.dxl, data.dxw = np.full_like(q, dql), np.full_like(q, dqw)
        return DirectModel(data, models[name])(**params)

    return iq


@pytest.mark.parametrize("q, length, width", SLITS, ids=IDS)
def test_weights_match_slit1d(q, length, width):
    resolution = pytest.importorskip(
        "sasmodels.resolution", reason="sasmodels (test extra) is the reference simulator"
    )
    expected = resolution.Slit1D(q, q_length=length, q_width=width)
    q_calc, weights = slit_weights(q, length, width)
    np.testing.assert_array_equal(q_calc, expected.q_calc)
    # Required: 1e-12. Measured: 2.4e-15 (the width average is summed in another order).
    np.testing.assert_allclose(weights, expected.weight_matrix, rtol=0, atol=1e-12)


@pytest.mark.parametrize("q, length, width", SLITS[:3], ids=IDS[:3])
@pytest.mark.parametrize(
    "model_iq, name, params",
    [
        (sphere_iq, "sphere", {"radius": 5000.0}),
        (sphere_iq, "sphere", {"radius": 300.0, "background": 0.1}),
        (cylinder_iq, "cylinder", {"radius": 200.0, "length": 3000.0}),
    ],
)
def test_matches_sasmodels(sasmodels_slit, q, length, width, model_iq, name, params):
    expected = sasmodels_slit(name, q, length, width, **params)
    got = slit_smear(model_iq, q, length, width, **params)
    # Required: 1e-10. Measured: below 6e-13 (the kernels' own agreement).
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


def test_batch_and_flat_profile():
    radius = np.array([500.0, 5000.0])
    batch = slit_smear(sphere_iq, USANS, 0.117, radius=radius)
    for i in range(2):
        np.testing.assert_allclose(
            batch[i], slit_smear(sphere_iq, USANS, 0.117, radius=radius[i]), rtol=1e-14, atol=0
        )
    # Columns sum to one: a flat profile stays flat.
    _, weights = slit_weights(USANS, 0.117)
    np.testing.assert_allclose(weights.sum(axis=0), 1.0, rtol=0, atol=1e-14)


@pytest.mark.parametrize(
    "length, width, match",
    [
        (-0.1, 0.0, "slit_length must be finite and non-negative; got -0.1"),
        (np.nan, 0.0, "slit_length must be finite and non-negative"),
        (0.1, -1e-3, "slit_width must be finite and non-negative"),
        (np.full(3, 0.1), 0.0, r"slit_length must be a scalar or have the shape of q \(149,\)"),
        (0.0, 1e-3, "slit_width needs a positive slit_length .* at index 0"),
    ],
)
def test_bad_input(length, width, match):
    with pytest.raises(ValueError, match=match):
        slit_weights(USANS, length, width)
    with pytest.raises(ValueError, match=match):
        slit_smear(sphere_iq, USANS, length, width)


def test_needs_two_distinct_q():
    with pytest.raises(ValueError, match="q must hold at least two distinct values"):
        slit_weights([0.01, 0.01], 0.1)
