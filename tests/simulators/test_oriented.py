import numpy as np
import pytest

from sciml_estimators.simulators import cylinder_iq, oriented_iq
from sciml_estimators.simulators._oriented import SHAPES

# A 48 x 48 detector to |q| = 0.3 /A, pixel centres (none at q = 0), plus
# the axes and the origin, where the formulas meet their removable limits.
_AXIS = (np.arange(48) + 0.5) / 48 * 0.6 - 0.3
QX, QY = np.meshgrid(np.append(_AXIS, 0.0), np.append(_AXIS, 0.0))

#: Two sizes per shape: one small and one large against the detector.
CASES = {
    "sphere": [{"radius": 50.0}, {"radius": 300.0, "sld": 2.0, "background": 0.0}],
    "core_shell_sphere": [{"radius": 60.0, "thickness": 10.0},
                          {"radius": 200.0, "thickness": 40.0, "sld_core": 5.0}],
    "cylinder": [{"radius": 20.0, "length": 400.0}, {"radius": 150.0, "length": 30.0}],
    "ellipsoid": [{"radius_polar": 20.0, "radius_equatorial": 400.0},
                  {"radius_polar": 300.0, "radius_equatorial": 30.0}],
    "parallelepiped": [{"length_a": 35.0, "length_b": 75.0, "length_c": 400.0},
                       {"length_a": 200.0, "length_b": 20.0, "length_c": 60.0}],
}
#: (theta, phi, psi) in degrees: beam-aligned, sasmodels' defaults, in-plane
#: along qx and qy, and generic ones, negative and beyond 180 included.
ANGLES = [(0, 0, 0), (60, 60, 60), (90, 0, 0), (90, 90, 90), (30, -45, 10),
          (135, 200, -70)]


@pytest.fixture(scope="module")
def sasmodels_2d():
    """Return ``iq(shape, params, theta, phi, psi)`` from sasmodels 1.1 on (QX, QY)."""
    core = pytest.importorskip(
        "sasmodels.core", reason="sasmodels (test extra) is the reference simulator"
    )
    from sasmodels.direct_model import call_kernel

    kernels = {}

    def iq(shape, params, theta, phi, psi):
        if shape not in kernels:
            model = core.load_model(shape, dtype="double", platform="dll")
            kernels[shape] = model.make_kernel([QX.ravel(), QY.ravel()])
        angles = dict(zip(("theta", "phi", "psi"), (theta, phi, psi)))
        used = {name: angles[name] for name in SHAPES[shape][1]}
        return call_kernel(kernels[shape], {**params, **used}).reshape(QX.shape)

    return iq


@pytest.mark.parametrize("shape", list(CASES))
def test_matches_sasmodels(shape, sasmodels_2d):
    for params in CASES[shape]:
        for theta, phi, psi in ANGLES:
            expected = sasmodels_2d(shape, params, theta, phi, psi)
            actual = oriented_iq(shape, QX, QY, params, theta=theta, phi=phi, psi=psi)
            np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=0)


def test_batched_matches_sasmodels(sasmodels_2d):
    theta, phi, psi = np.array(ANGLES, dtype=float).T
    params = {"length_a": 35.0, "length_b": [75.0] * 6, "length_c": 400.0}
    actual = oriented_iq("parallelepiped", QX, QY, params, theta=theta, phi=phi, psi=psi)
    assert actual.shape == (6, *QX.shape)
    for i, (t, f, s) in enumerate(ANGLES):
        expected = sasmodels_2d("parallelepiped", {"length_b": 75.0}, t, f, s)
        np.testing.assert_allclose(actual[i], expected, rtol=1e-6, atol=0)


def test_grid_convention_matches_empty_data2d():
    """Rows along qy, columns along qx, as sasmodels' empty_data2D and DirectModel."""
    pytest.importorskip("sasmodels.core")
    from sasmodels.core import load_model
    from sasmodels.data import empty_data2D
    from sasmodels.direct_model import DirectModel

    axis_x, axis_y = _AXIS, _AXIS[::2] * 0.5
    data = empty_data2D(axis_x, axis_y)
    model = DirectModel(data, load_model("cylinder", dtype="double", platform="dll"))
    params = {"radius": 30.0, "length": 200.0}
    expected = model(**params, theta=70.0, phi=25.0).reshape(axis_y.size, axis_x.size)
    actual = oriented_iq("cylinder", axis_x[None, :], axis_y[:, None], params,
                         theta=70.0, phi=25.0)
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=0)


def _ring(q, n=16):
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return q * np.cos(angle), q * np.sin(angle)


@pytest.mark.parametrize(
    "shape, params, theta",
    [("sphere", {"radius": 80.0}, 37.0),
     ("core_shell_sphere", {"radius": 80.0, "thickness": 20.0}, 37.0),
     ("cylinder", {"radius": 40.0, "length": 300.0}, 0.0),
     ("ellipsoid", {"radius_polar": 200.0, "radius_equatorial": 40.0}, 0.0)],
)
def test_isotropic_patterns(shape, params, theta):
    """Spheres, and axisymmetric particles along the beam, give rings."""
    for q in [0.01, 0.07, 0.23]:
        qx, qy = _ring(q)
        iq = oriented_iq(shape, qx, qy, params, theta=theta, phi=33.0)
        np.testing.assert_allclose(iq, iq[0], rtol=1e-12)


def test_tilted_cylinder_is_anisotropic():
    qx, qy = _ring(0.05)
    iq = oriented_iq("cylinder", qx, qy, {"radius": 40.0, "length": 300.0}, theta=90, phi=0)
    # Along the axis (qx) the length's sinc has decayed; across it (qy) it has not.
    assert iq[4] > 10 * iq[0]
    assert np.argmax(iq) in (4, 12)


@pytest.mark.parametrize("shape", list(CASES))
def test_centrosymmetric(shape):
    """I(-q) = I(q) for every orientation (Friedel's law)."""
    rng = np.random.default_rng(0)
    theta, phi, psi = rng.uniform(-180, 360, (3, 5))
    params = {key: [value] for key, value in CASES[shape][1].items()}
    iq = oriented_iq(shape, QX, QY, params, theta=theta, phi=phi, psi=psi)
    mirrored = oriented_iq(shape, -QX, -QY, params, theta=theta, phi=phi, psi=psi)
    np.testing.assert_allclose(mirrored, iq, rtol=1e-12)


def test_orientation_average_is_the_1d_cylinder():
    """Averaging the oriented cylinder over the sphere of axes gives cylinder_iq."""
    x, w = np.polynomial.legendre.leggauss(80)  # cos(theta) in [-1, 1]
    n_phi = 32
    phi = np.arange(n_phi) * 360.0 / n_phi
    theta = np.degrees(np.arccos(x))
    theta_grid, phi_grid = np.meshgrid(theta, phi, indexing="ij")
    q = np.array([0.005, 0.02, 0.05, 0.1])
    params = {"radius": 20.0, "length": 100.0, "background": 0.0}
    iq = oriented_iq("cylinder", q, np.zeros_like(q), params,
                     theta=theta_grid.ravel(), phi=phi_grid.ravel())
    average = (iq.reshape(x.size, n_phi, q.size).mean(axis=1) * w[:, None]).sum(0) / 2
    np.testing.assert_allclose(average, cylinder_iq(q, **params), rtol=1e-9)


def test_shapes_of_outputs():
    assert oriented_iq("sphere", QX, QY).shape == QX.shape
    assert oriented_iq("sphere", _AXIS[None, :], _AXIS[:5, None]).shape == (5, 48)
    assert oriented_iq("cylinder", 0.1, 0.0, theta=[0, 90]).shape == (2,)
    assert oriented_iq("ellipsoid", [0.1, 0.2], 0.0, {"radius_polar": [10.0]}).shape == (1, 2)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [(("cube", 0.1, 0.1), {}, r"Unknown shape 'cube'; known shapes are \[.*'sphere'"),
     (("sphere", 0.1, 0.1, {"length": 3.0}), {}, r"Unknown parameter\(s\) \['length'\]"),
     (("sphere", [0.1, np.nan], 0.1), {}, "finite"),
     (("sphere", [0.1, 0.2], [0.1, 0.2, 0.3]), {}, "broadcast"),
     (("cylinder", 0.1, 0.1, {"radius": -1.0}), {}, "radius must be positive"),
     (("cylinder", 0.1, 0.1), {"theta": [0.0, 1.0], "phi": [1.0, 2.0, 3.0]}, "length"),
     (("cylinder", 0.1, 0.1), {"theta": np.inf}, "theta must be finite")],
)
def test_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        oriented_iq(*args, **kwargs)
