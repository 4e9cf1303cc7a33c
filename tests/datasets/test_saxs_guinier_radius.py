"""The z-average radius of gyration against sasmodels' polydisperse low-q slope."""

import numpy as np
import pytest

from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.datasets._saxs_shapes import PD_KIND, PD_NPTS, PD_NSIGMAS, get_shape

SHAPES = ("sphere", "cylinder", "ellipsoid", "parallelepiped", "core_shell_sphere")


def _sasmodels_guinier_rg(name, params, pd):
    """Rg from the slope of ln I against q^2 at q Rg < 0.2 (quadratic in q^2) of sasmodels."""
    core = pytest.importorskip("sasmodels.core", reason="needs sasmodels for the reference")
    from sasmodels.direct_model import call_kernel

    shape = get_shape(name, "numba")
    rg0 = shape.rg(params)
    q = np.linspace(0.01, 0.2, 40) / rg0
    model = core.load_model(name, dtype="double", platform="dll")
    kernel = model.make_kernel([q])
    try:
        iq = call_kernel(kernel, {
            **params, "background": 0.0, f"{shape.dispersed}_pd": pd,
            f"{shape.dispersed}_pd_type": PD_KIND, f"{shape.dispersed}_pd_n": PD_NPTS,
            f"{shape.dispersed}_pd_nsigma": PD_NSIGMAS,
        })
    finally:
        kernel.release()
    slope = np.polyfit(q**2, np.log(iq), 2)[1]
    return np.sqrt(-3 * slope)


@pytest.mark.parametrize("name", SHAPES)
def test_z_average_matches_sasmodels_low_q_slope(name):
    saxs = make_saxs_1d(5, shapes=(name,), polydispersity=0.2, q=[1e-3, 1e-2],
                        random_state=3)
    for i in range(2):
        params = {key: value[i] for key, value in saxs.parameters.items()
                  if not np.isnan(value[i])}
        params.update(get_shape(name, "numba").contrast)
        expected = _sasmodels_guinier_rg(name, params, 0.2)
        # Exact formula against a quadratic fit in q^2 of the reference: 1e-5 relative.
        assert saxs.guinier_radius_of_gyration[i] == pytest.approx(expected, rel=1e-5)
        assert saxs.guinier_radius_of_gyration[i] > saxs.radius_of_gyration[i]


def test_monodisperse_equals_radius_of_gyration_and_target():
    saxs = make_saxs_1d(10, shapes=SHAPES, target="guinier_radius", random_state=0)
    np.testing.assert_array_equal(saxs.guinier_radius_of_gyration, saxs.radius_of_gyration)
    np.testing.assert_array_equal(saxs.target, saxs.guinier_radius_of_gyration)
    assert list(saxs.target_names) == ["guinier_radius_of_gyration"]
    assert "z-average radius of gyration" in saxs.DESCR


def test_sasmodels_only_shapes_are_refused():
    pytest.importorskip("sasmodels.core", reason="needs sasmodels for a sasmodels-only shape")
    with pytest.raises(ValueError, match="target='guinier_radius' .* known only"):
        make_saxs_1d(4, shapes=("hollow_cylinder",), engine="sasmodels",
                     target="guinier_radius")
