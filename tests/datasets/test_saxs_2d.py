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
     ({"noise": "gaussian"}, InvalidParameterError, "noise")],
)
def test_errors(kwargs, error, match):
    kwargs = {"n_samples": 4, "shape": 8, **kwargs}
    with pytest.raises(error, match=match):
        make_saxs_2d(**kwargs)
