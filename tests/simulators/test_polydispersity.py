import inspect

import numpy as np
import pytest

from sciml_estimators.simulators import (
    core_shell_sphere_iq,
    cylinder_iq,
    dispersion_weights,
    ellipsoid_iq,
    parallelepiped_iq,
    polydisperse_iq,
    sphere_iq,
)
from sciml_estimators.simulators._polydispersity import FORM_VOLUMES

Q = np.geomspace(1e-3, 1.0, 100)
KINDS = ["gaussian", "schulz"]
# (model, sasmodels name, distributed parameter, other parameters)
CASES = [
    (sphere_iq, "sphere", "radius", {"radius": 50.0}),
    (sphere_iq, "sphere", "radius", {"radius": 600.0, "sld": 3.0, "scale": 0.1}),
    (cylinder_iq, "cylinder", "radius", {"radius": 20.0, "length": 400.0}),
    (cylinder_iq, "cylinder", "length", {"radius": 20.0, "length": 400.0}),
]
# One case per remaining model, to check each form_volume.
OTHER_CASES = [
    (ellipsoid_iq, "ellipsoid", "radius_polar", {}),
    (parallelepiped_iq, "parallelepiped", "length_a", {}),
    (core_shell_sphere_iq, "core_shell_sphere", "radius", {}),
    (core_shell_sphere_iq, "core_shell_sphere", "thickness", {}),
]


def sasmodels_pd(parameter, pd, kind, npts=35, nsigmas=3.0):
    """sasmodels' polydispersity keywords for one parameter."""
    return {
        f"{parameter}_pd": pd,
        f"{parameter}_pd_type": kind,
        f"{parameter}_pd_n": npts,
        f"{parameter}_pd_nsigma": nsigmas,
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("width", [0.0, 0.05, 0.1, 0.3, 1 / 3, 0.5])
@pytest.mark.parametrize("npts, nsigmas", [(35, 3.0), (80, 8.0), (2, 3.0), (1, 3.0)])
def test_weights_match_sasmodels(kind, width, npts, nsigmas):
    weights = pytest.importorskip(
        "sasmodels.weights", reason="sasmodels (test extra) is the reference simulator"
    )
    for center in [1.0, 3.0, 50.0, 123.4]:
        expected = weights.get_weights(kind, npts, width, nsigmas, center, [0, np.inf], True)
        values, w = dispersion_weights(
            center, width, kind=kind, npts=npts, nsigmas=nsigmas
        )
        np.testing.assert_array_equal(values, expected[0])
        np.testing.assert_array_equal(w, expected[1])


def test_gaussian_truncated_at_zero():
    values, weights = dispersion_weights(3.0, 1 / 3)
    assert values[0] == 0.0 and weights.size == 35
    values, _ = dispersion_weights(10.0, 0.5)
    assert values.min() >= 0 and values.size < 35


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pd", [0.05, 0.3])
@pytest.mark.parametrize("model_iq, name, parameter, params", CASES)
def test_matches_sasmodels(sasmodels_iq, model_iq, name, parameter, params, pd, kind):
    expected = sasmodels_iq(name, Q, **params, **sasmodels_pd(parameter, pd, kind))
    got = polydisperse_iq(model_iq, Q, parameter, pd=pd, kind=kind, **params)
    # Required: 1e-6. Measured: below 4e-13 (the monodisperse kernels' agreement).
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


@pytest.mark.parametrize("model_iq, name, parameter, params", OTHER_CASES)
def test_other_models_match_sasmodels(sasmodels_iq, model_iq, name, parameter, params):
    expected = sasmodels_iq(name, Q, **params, **sasmodels_pd(parameter, 0.1, "schulz"))
    got = polydisperse_iq(model_iq, Q, parameter, pd=0.1, kind="schulz", **params)
    # Measured: below 3e-12 (the ellipsoid's monodisperse agreement).
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


def test_zero_and_custom_sampling_match_sasmodels(sasmodels_iq):
    # A Gaussian reaching radius 0, and non-default npts and nsigmas.
    expected = sasmodels_iq("sphere", Q, radius=3.0, **sasmodels_pd("radius", 1 / 3, "gaussian"))
    got = polydisperse_iq(sphere_iq, Q, "radius", pd=1 / 3, radius=3.0)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)
    expected = sasmodels_iq(
        "sphere", Q, radius=80.0, **sasmodels_pd("radius", 0.2, "schulz", 15, 2.5)
    )
    got = polydisperse_iq(
        sphere_iq, Q, "radius", pd=0.2, kind="schulz", npts=15, nsigmas=2.5, radius=80.0
    )
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0)


def test_batch_matches_single_profiles():
    params = {
        "radius": np.array([20.0, 5.0, 90.0]),
        "length": np.array([400.0, 40.0, 30.0]),
        "sld": 2.0,
        "scale": np.array([1.0, 0.01, 0.3]),
        "background": np.array([0.001, 0.0, 0.5]),
    }
    batch = polydisperse_iq(cylinder_iq, Q, "length", pd=0.2, kind="schulz", **params)
    assert batch.shape == (3, Q.size)
    for i in range(3):
        single = {k: v if np.ndim(v) == 0 else v[i] for k, v in params.items()}
        expected = polydisperse_iq(cylinder_iq, Q, "length", pd=0.2, kind="schulz", **single)
        np.testing.assert_allclose(batch[i], expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("model_iq", list(FORM_VOLUMES))
def test_zero_width_is_monodisperse(model_iq):
    parameter = next(iter(inspect.signature(FORM_VOLUMES[model_iq]).parameters))
    got = polydisperse_iq(model_iq, Q, parameter, pd=0.0)
    np.testing.assert_allclose(got, model_iq(Q), rtol=1e-14, atol=0)


def test_form_volumes():
    volumes = {fn.__name__: vol for fn, vol in FORM_VOLUMES.items()}
    assert volumes["sphere_iq"](2.0) == pytest.approx(4 / 3 * np.pi * 8)
    assert volumes["core_shell_sphere_iq"](1.0, 1.0) == pytest.approx(4 / 3 * np.pi * 8)
    assert volumes["cylinder_iq"](2.0, 3.0) == pytest.approx(np.pi * 12)
    assert volumes["ellipsoid_iq"](2.0, 3.0) == pytest.approx(4 / 3 * np.pi * 18)
    assert volumes["parallelepiped_iq"](2.0, 3.0, 5.0) == 30.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kind": "lognormal"}, "kind must be one of 'gaussian', 'schulz'; got 'lognormal'"),
        ({"width": -0.1}, "width .pd. must be finite and non-negative; got -0.1"),
        ({"width": np.nan}, "width .pd. must be finite"),
        ({"npts": 0}, "npts must be an integer of at least 1; got 0"),
        ({"npts": 2.5}, "npts must be an integer"),
        ({"nsigmas": 0.0}, "nsigmas must be finite and positive"),
        ({"center": 0.0}, "center must be finite and positive"),
    ],
)
def test_dispersion_weights_bad_input(kwargs, match):
    args = {"center": 50.0, "width": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        dispersion_weights(args.pop("center"), args.pop("width"), **args)


@pytest.mark.parametrize(
    "model_iq, parameter, kwargs, match",
    [
        (sphere_iq, "radius", {"pd": -0.1}, "width .pd. must be finite and non-negative"),
        (sphere_iq, "radius", {"pd": 0.1, "kind": "boltzmann"},
         "kind must be one of 'gaussian', 'schulz'"),
        (sphere_iq, "radius", {"pd": 0.1, "npts": 0}, "npts must be an integer of at least 1"),
        (sphere_iq, "radius", {"pd": 0.1, "radius": -1.0}, "radius must be positive"),
        (sphere_iq, "sld", {"pd": 0.1}, "parameter must be a size parameter of sphere_iq"),
        (cylinder_iq, "thickness", {"pd": 0.1}, "one of radius, length; got 'thickness'"),
        (np.sin, "radius", {"pd": 0.1}, "model_iq must be one of core_shell_sphere_iq, "),
    ],
)
def test_polydisperse_iq_bad_input(model_iq, parameter, kwargs, match):
    with pytest.raises(ValueError, match=match):
        polydisperse_iq(model_iq, Q, parameter, **kwargs)


def test_polydisperse_iq_unknown_keyword():
    with pytest.raises(TypeError, match="unexpected keyword arguments .'length'."):
        polydisperse_iq(sphere_iq, Q, "radius", pd=0.1, length=3.0)
