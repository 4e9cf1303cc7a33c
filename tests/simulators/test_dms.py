import inspect
import math

import numpy as np
import pytest

from sciml_estimators.simulators import dms_pattern, dms_symmetry_period
from sciml_estimators.simulators._crystals import CRYSTALS, reflections
from sciml_estimators.simulators._dms import (
    PARAMETERS,
    REFERENCE,
    DMSSetup,
    pixel_directions,
    rotation_z,
    tilt_rotation,
    wavelength,
)

SMALL = (40, 40)
CUT = 5.0


def numpy_patterns(setup, rotations, energy_kev):
    """Plain NumPy version of the kernel: every line on every pixel, no tiles."""
    kf = setup.directions  # (3, P), image order
    out = []
    for rot, energy in zip(rotations, energy_kev):
        g = setup.g_hat @ rot.T
        cos_cone = setup.g_norm * wavelength(energy) / (4 * np.pi)
        seen = cos_cone < 1
        g, cos_cone, weight = g[seen], cos_cone[seen], setup.weight[seen]
        sigma = np.sqrt((cos_cone * setup.bandwidth) ** 2
                        + (1 - cos_cone**2) * setup.angular_var)
        t = (g @ kf - cos_cone[:, None]) / sigma[:, None]
        lines = np.where(t**2 < CUT**2, weight[:, None] * np.exp(-0.5 * t**2), 0.0)
        total = lines.sum(axis=0)
        out.append(total + 0.5 * setup.crossing * (total**2 - (lines**2).sum(axis=0)))
    return np.array(out).reshape((-1,) + setup.shape)


def cone_offsets(setup, psi, energy_kev=8.0):
    """(reflections, pixels) array of (k_f . G - cos alpha) / sigma at psi."""
    g = setup.g_hat @ rotation_z(psi).T
    cos_cone = setup.g_norm * wavelength(energy_kev) / (4 * np.pi)
    sigma = np.sqrt((cos_cone * setup.bandwidth) ** 2 + (1 - cos_cone**2) * setup.angular_var)
    return (g @ setup.directions - cos_cone[:, None]) / sigma[:, None]


def test_parameter_table_matches_signature():
    signature = inspect.signature(dms_pattern).parameters
    for name, _, default, _, _ in PARAMETERS:
        assert signature[name].default == default


@pytest.mark.parametrize("crystal, hkl, energy_kev, two_theta, source", REFERENCE)
def test_bragg_angles(crystal, hkl, energy_kev, two_theta, source):
    indices, g, _ = reflections(crystal, 8.0)
    (row,) = np.flatnonzero((indices == hkl).all(axis=1))
    sin_theta = np.linalg.norm(g[row]) * wavelength(energy_kev) / (4 * np.pi)
    assert 2 * math.degrees(math.asin(sin_theta)) == pytest.approx(two_theta, abs=0.01), source


def test_diamond_reflection_conditions():
    hkl, _, f2 = reflections("Si", 4 * np.pi / wavelength(8.0))
    odd = np.all(hkl % 2 == 1, axis=1)
    even = np.all(hkl % 2 == 0, axis=1) & (hkl.sum(axis=1) % 4 == 0)
    assert np.all(odd | even)
    assert len(hkl) == 246  # the 246 cones of SCIENCE.md section 3
    np.testing.assert_allclose(f2[even] / f2[odd].max(), 2.0)  # |F|^2: 64 Z^2 vs 32 Z^2


def test_default_detector_sees_many_cones():
    setup = DMSSetup()
    offsets = cone_offsets(setup, 0.0)
    seen = np.any(np.abs(offsets) < 1, axis=1)
    assert 80 <= seen.sum() <= 140


def test_line_pixels_satisfy_cone_condition():
    setup = DMSSetup(shape=SMALL)
    image = dms_pattern(17.0, shape=SMALL).ravel()
    nearest = np.abs(cone_offsets(setup, 17.0)).min(axis=0)
    assert np.all(nearest[image > 0.3] < 2.5)  # bright pixels lie on a cone
    assert np.all(image[nearest > CUT] == 0)  # and nothing lies off them
    assert np.all(image[nearest < 0.2] > 0.45)  # every cone is drawn (weights 0.5 or 1)


def test_analytic_004_cone_is_a_circle():
    # The (004) cone is about the surface normal: a circle of radius D tan(alpha)
    # on the detector, whatever psi, with cos(alpha) = lambda / (2 d_004).
    distance, pixel, size = 20.0, 0.25, 257
    setup = DMSSetup(detector={"distance_mm": distance, "pixel_mm": pixel},
                     shape=(size, size), divergence_deg=0.0, bandwidth=0.0)
    g004 = 4 * 2 * np.pi / 5.431
    setup.g_hat, setup.g_norm, setup.weight = np.array([[0.0, 0.0, 1.0]]), np.array([g004]), \
        np.array([1.0])
    out = np.empty((2, size * size))
    setup.simulate(rotation_z([0.0, 33.0]), np.array([8.0, 8.0]), out)
    cos_alpha = wavelength(8.0) / (2 * 5.431 / 4)
    radius = distance * math.tan(math.acos(cos_alpha)) / pixel  # in pixels
    np.testing.assert_allclose(out[0], out[1])
    row = out[0].reshape(size, size)[size // 2]
    right = row[size // 2:]
    peak = np.argmax(right)
    # Sub-pixel peak from a parabola through the three highest samples.
    a, b, c = right[peak - 1: peak + 2]
    assert peak + 0.5 * (a - c) / (a - 2 * b + c) == pytest.approx(radius, abs=0.05)


@pytest.mark.parametrize(
    "crystal, surface, period",
    [("Si", (0, 0, 1), 90.0), ("Si", (1, 1, 1), 120.0), ("Si", (1, 1, 0), 180.0),
     ("TiO2", (0, 0, 1), 90.0), ("TiO2", (1, 0, 0), 180.0), ("Mg", (0, 0, 1), 60.0)],
)
def test_patterns_repeat_with_the_symmetry_period(crystal, surface, period):
    assert dms_symmetry_period(crystal, surface) == period
    psi = 11.0 + period * np.array([0.0, 1.0, -2.0, 0.25, 0.5, 0.75])
    kwargs = {"crystal": crystal, "surface": surface, "shape": (32, 32),
              "detector": {"distance_mm": 40.0, "center_mm": (3.0, -2.0)}}
    images = dms_pattern(psi, tilt_deg=(0.3, -0.2), **kwargs)
    np.testing.assert_allclose(images[1], images[0], atol=1e-9)
    np.testing.assert_allclose(images[2], images[0], atol=1e-9)
    scale = np.abs(images[0]).mean()
    for within in images[3:]:
        assert np.abs(within - images[0]).mean() > 0.1 * scale


def test_mirror_symmetry_of_si_001():
    # (010) is a mirror of Si: psi -> -psi flips the centred image in y.
    images = dms_pattern([23.0, -23.0], shape=SMALL)
    np.testing.assert_allclose(images[1], images[0][::-1, :], atol=1e-9)


def test_kernel_matches_plain_numpy():
    shape = (30, 37)  # partial tiles, non-square
    detector = {"distance_mm": 60.0, "pixel_mm": 1.1, "center_mm": (4.0, -7.0)}
    psi = np.array([0.0, 12.5, 71.0])
    tilt = np.array([[0.0, 0.0], [0.4, -0.3], [-1.0, 0.2]])
    energy = np.array([8.0, 8.03, 7.95])
    kwargs = {"detector": detector, "shape": shape, "divergence_deg": 0.05,
              "bandwidth": 1e-3, "mosaic_deg": 0.02, "crossing": 0.7}
    actual = dms_pattern(psi, tilt_deg=tilt, energy_kev=energy, **kwargs)
    setup = DMSSetup(energy_kev=7.95, max_energy_kev=8.03, **kwargs)
    expected = numpy_patterns(setup, tilt_rotation(tilt) @ rotation_z(psi), energy)
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12)


def test_batch_equals_single_and_crystals_differ():
    batch = dms_pattern([5.0, 40.0], shape=SMALL)
    np.testing.assert_array_equal(batch[1], dms_pattern(40.0, shape=SMALL))
    ge = dms_pattern(5.0, crystal="Ge", shape=SMALL)
    assert not np.allclose(ge, batch[0])


def test_pixel_directions_layout():
    directions = pixel_directions({"distance_mm": 10.0, "pixel_mm": 1.0,
                                   "center_mm": (0.5, 0.0)}, (2, 3))
    xyz = directions.T.reshape(2, 3, 3)
    np.testing.assert_allclose(np.linalg.norm(xyz, axis=-1), 1.0)
    assert xyz[0, 0, 0] < 0 < xyz[0, 2, 0]  # columns run along +x
    assert xyz[0, 1, 1] < 0 < xyz[1, 1, 1]  # rows run along +y
    assert xyz[0, 1, 0] == pytest.approx(0.5 / math.sqrt(0.5**2 + 0.25 + 100))


def test_unknown_crystal_lists_the_known_ones():
    with pytest.raises(ValueError, match="Unknown crystal 'Xx'.*" + ", ".join(sorted(CRYSTALS))):
        dms_pattern(0.0, crystal="Xx")
    with pytest.raises(ValueError, match="known crystals"):
        dms_symmetry_period("diamond")


def test_detector_without_reflections_says_so():
    with pytest.raises(ValueError, match="has no reflection at 1 keV"):
        dms_pattern(0.0, energy_kev=1.0)
    with pytest.raises(ValueError, match="detector sees no reflection of Si at 2.5 keV"):
        dms_pattern(0.0, energy_kev=2.5, detector={"distance_mm": 200.0, "pixel_mm": 0.5},
                    shape=(64, 64))


@pytest.mark.parametrize(
    "kwargs, message",
    [({"psi": np.nan}, "psi must be finite"),
     ({"psi": np.zeros((2, 2))}, "psi must be a scalar or a 1-D array"),
     ({"psi": [1.0, 2.0], "energy_kev": [8.0, 8.0, 8.0]}, "energy_kev must be a scalar"),
     ({"psi": 0.0, "energy_kev": -8.0}, "energy_kev must be positive"),
     ({"psi": 0.0, "shape": (128,)}, "shape must be 2 positive integers"),
     ({"psi": 0.0, "shape": (0, 5)}, "shape must be 2 positive integers"),
     ({"psi": 0.0, "detector": {"distance": 5.0}}, "Unknown detector keys"),
     ({"psi": 0.0, "detector": {"pixel_mm": np.nan}}, "pixel_mm must be a finite positive"),
     ({"psi": 0.0, "detector": {"distance_mm": "80"}}, "distance_mm must be a finite positive"),
     ({"psi": 0.0, "shape": 128}, "shape must be 2 positive integers"),
     ({"psi": 0.0, "detector": {"center_mm": (1.0,)}}, "center_mm must be 2 finite"),
     ({"psi": [0.0, 1.0], "tilt_deg": np.zeros((3, 2))}, "tilt_deg must be"),
     ({"psi": 0.0, "surface": (0, 0, 0)}, "surface must be a non-zero"),
     ({"psi": 0.0, "divergence_deg": -1.0}, "divergence_deg must be a finite number >= 0")],
)
def test_bad_input_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dms_pattern(**kwargs)
