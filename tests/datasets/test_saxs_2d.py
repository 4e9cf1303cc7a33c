import hashlib
import sys

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sciml_estimators.datasets import make_saxs_2d
from sciml_estimators.datasets._saxs_2d import KNOWN_SHAPES, size_range
from sciml_estimators.simulators import oriented_iq

SMALL = {"shape": (24, 32), "random_state": 0}


def test_bunch_shapes_and_dtypes():
    saxs = make_saxs_2d(10, **SMALL)
    assert saxs.data.shape == (10, 24, 32)
    assert saxs.data.dtype == np.float32
    assert saxs.target.shape == (10,)
    assert saxs.target_names.tolist() == ["sphere", "cylinder", "ellipsoid", "parallelepiped"]
    assert saxs.qx.shape == (32,) and saxs.qy.shape == (24,)
    # Pixel centres, symmetric about 0, half a pixel inside +-q_max.
    np.testing.assert_allclose(saxs.qx, -saxs.qx[::-1], atol=1e-15)
    np.testing.assert_allclose(saxs.qx[-1], 0.3 - 0.3 / 32)
    np.testing.assert_allclose(np.diff(saxs.qy), 0.6 / 24)
    for name in ["theta", "phi", "psi", "radius", "length_c", "sld", "background"]:
        assert saxs.parameters[name].shape == (10,)
    assert np.all(np.isfinite(saxs.data)) and np.all(saxs.data > 0)
    assert "SAXS-2D" in saxs.DESCR and "qac_rotation" in saxs.DESCR


def test_class_balance_and_shuffle():
    shapes = ("sphere", "ellipsoid", "core_shell_sphere")
    saxs = make_saxs_2d(11, shapes=shapes, shape=8, random_state=1)
    assert np.bincount(saxs.target).tolist() == [4, 4, 3]
    assert saxs.target.tolist() != sorted(saxs.target.tolist())
    assert saxs.target_names.tolist() == list(shapes)


def test_deterministic_and_seeded():
    a = make_saxs_2d(6, **SMALL)
    b = make_saxs_2d(6, **SMALL)
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.target, b.target)
    c = make_saxs_2d(6, shape=(24, 32), random_state=1)
    assert not np.array_equal(a.data, c.data)


def test_parameters_describe_each_image():
    saxs = make_saxs_2d(8, shapes=KNOWN_SHAPES, **SMALL)
    qx, qy = saxs.qx[None, :], saxs.qy[:, None]
    for i in range(8):
        shape = saxs.target_names[saxs.target[i]]
        params = {key: values[i] for key, values in saxs.parameters.items()
                  if np.isfinite(values[i]) and key not in ("theta", "phi", "psi")}
        angles = {key: np.nan_to_num(saxs.parameters[key][i]) for key in ("theta", "phi", "psi")}
        expected = oriented_iq(shape, qx, qy, params, **angles)
        np.testing.assert_allclose(saxs.data[i], expected, rtol=1e-6)
        if shape in ("sphere", "core_shell_sphere"):
            assert np.isnan(saxs.parameters["theta"][i])


def test_sizes_and_orientations_in_range():
    saxs = make_saxs_2d(400, shape=8, q_max=0.3, random_state=0)
    low, high = size_range((128, 128), 0.3)
    assert 14 < low < 16 and 330 < high < 340
    low, high = size_range((8, 8), 0.3)
    radius = saxs.parameters["radius"]
    radius = radius[np.isfinite(radius)]
    assert np.all((radius >= low) & (radius <= high))
    theta = saxs.parameters["theta"]
    theta = theta[np.isfinite(theta)]
    assert np.all((theta >= 0) & (theta <= 180))
    # Uniform on the sphere: cos(theta) has mean 0 and variance 1/3.
    assert abs(np.cos(np.radians(theta)).mean()) < 0.1
    assert abs(np.cos(np.radians(theta)).var() - 1 / 3) < 0.05


def test_aligned_orientation():
    saxs = make_saxs_2d(8, orientation="aligned", **SMALL)
    is_cylinder = saxs.target == 1
    assert np.all(saxs.parameters["theta"][is_cylinder] == 90.0)
    assert np.all(saxs.parameters["phi"][is_cylinder] == 0.0)
    assert np.all(np.isnan(saxs.parameters["psi"][is_cylinder]))
    # The c axis lies along qx: every cylinder pattern is mirror symmetric.
    images = saxs.data[is_cylinder]
    np.testing.assert_allclose(images, images[:, ::-1, :], rtol=1e-5)


def test_poisson_noise_and_return_X_y():
    ideal = make_saxs_2d(4, **SMALL)
    X, y = make_saxs_2d(4, noise="poisson", flux=50.0, return_X_y=True, **SMALL)
    assert X.shape == ideal.data.shape and X.dtype == np.float32
    np.testing.assert_array_equal(y, ideal.target)
    counts = X * 50.0
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-3)
    assert not np.array_equal(X, ideal.data)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [({"shapes": ("sphere", "cube")}, ValueError,
      r"Unknown shape\(s\) \['cube'\]; known shapes are \['sphere', 'cylinder'"),
     ({"shapes": ("sphere", "sphere")}, ValueError, "without repeats"),
     ({"shapes": ()}, ValueError, "non-empty"),
     ({"shape": (8, 8, 8)}, ValueError, r"shape must be \(H, W\)"),
     ({"shape": (1, 8)}, ValueError, r"shape must be \(H, W\)"),
     ({"orientation": "flow"}, InvalidParameterError, "orientation"),
     ({"q_max": 0.0}, InvalidParameterError, "q_max"),
     ({"n_samples": 0}, InvalidParameterError, "n_samples"),
     ({"noise": "gaussian"}, InvalidParameterError, "noise"),
     ({"engine": "c"}, InvalidParameterError, "engine")],
)
def test_errors(kwargs, error, match):
    kwargs = {"n_samples": 4, "shape": 8, **kwargs}
    with pytest.raises(error, match=match):
        make_saxs_2d(**kwargs)


def test_default_is_unchanged():
    """The default (Numba) images are bit-identical to those before engine existed."""
    data = make_saxs_2d(8, shape=(16, 16), random_state=0).data
    assert hashlib.sha256(data.tobytes()).hexdigest() == (
        "020fa01b1c71e56ad4ee2bca59852860890296a4ee05c73d434053ac3e613bb4"
    )


@pytest.mark.parametrize("orientation", ["random", "aligned"])
def test_sasmodels_engine_matches_numba(orientation):
    pytest.importorskip("sasmodels.core", reason="sasmodels (test extra) is the reference")
    kwargs = {"shapes": KNOWN_SHAPES, "shape": (12, 20), "orientation": orientation,
              "random_state": 3}
    numba = make_saxs_2d(10, **kwargs)
    sasmodels = make_saxs_2d(10, engine="sasmodels", **kwargs)
    np.testing.assert_array_equal(sasmodels.target, numba.target)
    for key, values in numba.parameters.items():
        np.testing.assert_array_equal(sasmodels.parameters[key], values)
    np.testing.assert_allclose(sasmodels.data, numba.data, rtol=1e-6, atol=0)
    assert "engine: sasmodels" in sasmodels.DESCR and "engine: Numba" in numba.DESCR


def test_sasmodels_engine_takes_any_model_with_a_radius():
    pytest.importorskip("sasmodels.core", reason="sasmodels (test extra) is the reference")
    from sasmodels.core import load_model
    from sasmodels.direct_model import call_kernel

    shapes = ("sphere", "hollow_cylinder", "fuzzy_sphere")
    saxs = make_saxs_2d(6, shapes=shapes, shape=8, engine="sasmodels", random_state=0)
    low, high = size_range((8, 8), 0.3)
    hollow = saxs.target == 1
    radius = saxs.parameters["radius"][hollow]
    assert np.all((radius >= low) & (radius <= high)) and np.unique(radius).size == 2
    length = saxs.parameters["length"][hollow]
    assert np.all((length >= 2 * low) & (length <= 2 * high))
    np.testing.assert_array_equal(saxs.parameters["thickness"][hollow], 10.0)  # default
    np.testing.assert_array_equal(saxs.parameters["sld"][hollow], 6.3)  # default
    assert np.all(np.isfinite(saxs.parameters["theta"][hollow]))
    assert np.all(np.isnan(saxs.parameters["psi"][hollow]))
    fuzzy = saxs.target == 2
    assert np.all(np.isnan(saxs.parameters["theta"][fuzzy]))
    assert "hollow_cylinder (sasmodels)" in saxs.DESCR
    # Each image is sasmodels' pattern at its recorded parameters.
    qx, qy = np.meshgrid(saxs.qx, saxs.qy)
    kernel = load_model("hollow_cylinder", dtype="double", platform="dll").make_kernel(
        [qx.ravel(), qy.ravel()])
    i = np.flatnonzero(hollow)[0]
    params = {key: v[i] for key, v in saxs.parameters.items() if np.isfinite(v[i])}
    expected = call_kernel(kernel, params).reshape(qx.shape)
    kernel.release()
    np.testing.assert_allclose(saxs.data[i], expected, rtol=1e-6)
    # The Numba engine refuses it and lists its shapes.
    with pytest.raises(ValueError, match=r"Unknown shape\(s\) \['hollow_cylinder'\]; known "
                       r"shapes are \['sphere', 'cylinder', 'ellipsoid', 'parallelepiped', "
                       r"'core_shell_sphere'\] \(engine='sasmodels' also takes"):
        make_saxs_2d(4, shapes=shapes[:2], shape=8)
    with pytest.raises(ValueError, match="no 'radius'"):
        make_saxs_2d(4, shapes=["guinier"], shape=8, engine="sasmodels")
    with pytest.raises(ValueError, match="Unknown shape 'cube'"):
        make_saxs_2d(4, shapes=["cube"], shape=8, engine="sasmodels")


def test_sasmodels_engine_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sasmodels", None)
    monkeypatch.setitem(sys.modules, "sasmodels.core", None)
    with pytest.raises(ImportError, match="pip install sasmodels"):
        make_saxs_2d(4, shape=8, engine="sasmodels")
