"""The measured-like DMS kernel: each nuisance against the physics or hardware it stands for."""

import math

import numpy as np
import pytest

from sciml_estimators.simulators import dms_pattern
from sciml_estimators.simulators._dms import DMSSetup, rotation_z, wavelength
from sciml_estimators.simulators._dms_detector import GAP_MM, MODULE_MM, module_gaps
from sciml_estimators.simulators._dms_measured import (
    DEAD,
    HOT,
    miscut_rotation,
    simulate_measured,
)

SHAPE, PIXEL = (64, 64), 1.5
NO_STOP = {"radius_mm": 0.0, "arm_width_mm": 0.0}


def conditions(n, n_pixels, **changes):
    """No nuisance: the nominal detector, no background, unit gain, every pixel live."""
    values = {
        "bandwidth": np.full(n, 1.4e-4), "mosaic_deg": np.zeros(n),
        "distance_mm": np.full(n, 80.0), "center_mm": np.zeros((n, 2)),
        "detector_tilt_deg": np.zeros((n, 2)), "background": np.zeros((n, 3)),
        "exposure": np.ones(n), "flat_field": np.zeros(n), "gain_map": np.zeros(n_pixels),
        "state": np.zeros((n, n_pixels), dtype=np.int8), "gaps": np.zeros(n_pixels, bool),
    }
    values.update(changes)
    return values


def measured(setup, psi, crystal="Si", energy_kev=8.0, beamstop=NO_STOP,
             saturation=np.inf, **changes):
    psi = np.atleast_1d(np.asarray(psi, dtype=float))
    n, n_pixels = psi.size, setup.shape[0] * setup.shape[1]
    out = np.empty((n, n_pixels))
    simulate_measured(setup, crystal, rotation_z(psi), np.full(n, energy_kev),
                      conditions(n, n_pixels, **changes), out, beamstop=beamstop,
                      saturation=saturation)
    return out.reshape((n,) + setup.shape)


@pytest.fixture(scope="module")
def setup():
    return DMSSetup(shape=SHAPE, detector={"pixel_mm": PIXEL})


def test_without_nuisances_the_ideal_pattern(setup):
    ideal = dms_pattern([10.0, 37.0], shape=SHAPE, detector={"pixel_mm": PIXEL})
    np.testing.assert_allclose(measured(setup, [10.0, 37.0]), ideal, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1])
def test_a_beam_centre_error_moves_the_pattern_by_its_pixels(setup, axis):
    shift = np.zeros((1, 2))
    shift[0, axis] = 3 * PIXEL  # the detector moves +3 pixels along x (axis 0) or y
    still, moved = measured(setup, 21.0)[0], measured(setup, 21.0, center_mm=shift)[0]
    image_axis = 1 - axis  # columns run along x, rows along y
    np.testing.assert_allclose(np.take(moved, range(0, 61), axis=image_axis),
                               np.take(still, range(3, 64), axis=image_axis), atol=1e-12)
    assert np.abs(moved - still).max() > 0.5


def test_module_gaps_are_the_pilatus_layout():
    # At the Pilatus's own 172 um pixels the gaps are 7 and 17 pixels wide and the
    # modules 487 and 195 pixels, as on the detector.
    gaps = module_gaps((601, 1201), 0.172)  # centres off the module edges
    columns, rows = gaps.all(axis=0), gaps.all(axis=1)
    runs = lambda mask: np.diff(np.flatnonzero(np.diff(np.r_[0, mask, 0])))  # noqa: E731
    assert set(runs(columns)[::2]) == {7} and 487 in runs(~columns)
    assert set(runs(rows)[::2]) == {17} and 195 in runs(~rows)
    assert MODULE_MM == pytest.approx((83.764, 33.54)) and GAP_MM == pytest.approx((1.204, 2.924))


def test_gap_dead_hot_and_shadowed_pixels(setup):
    n_pixels = SHAPE[0] * SHAPE[1]
    rng = np.random.default_rng(0)
    gaps = module_gaps(SHAPE, PIXEL).ravel()
    state = np.zeros((1, n_pixels), dtype=np.int8)
    dead, hot = rng.choice(n_pixels, 40, replace=False).reshape(2, 20)
    state[0, dead], state[0, hot] = DEAD, HOT
    stop = {"radius_mm": 4.0, "arm_width_mm": 2.0, "arm_angle_deg": 0.0}
    centre = np.array([[3.0, -2.0]])  # the beam meets the detector at (-3, 2) mm from its centre
    image = measured(setup, 5.0, beamstop=stop, saturation=50.0, center_mm=centre, gaps=gaps,
                     state=state, background=np.array([[0.1, 0.1, 0.0]]))[0].ravel()
    rows, cols = np.divmod(np.arange(n_pixels), SHAPE[1])
    x = (cols - (SHAPE[1] - 1) / 2) * PIXEL + 3.0  # laboratory x, y of the pixel centres
    y = (rows - (SHAPE[0] - 1) / 2) * PIXEL - 2.0
    disc = np.hypot(x, y) < 4.0
    arm = (x > 0) & (np.abs(y) < 1.0)
    blank = gaps | disc | arm
    blank[dead] = True
    assert np.all(image[blank & ~np.isin(np.arange(n_pixels), hot)] == 0)
    hot_live = hot[~(gaps | disc | arm)[hot]]
    np.testing.assert_array_equal(image[hot_live], 50.0)
    others = ~blank & ~np.isin(np.arange(n_pixels), hot)
    assert np.all((image[others] > 0) & (image[others] <= 50.0))
    assert disc.sum() > 10 and arm.sum() > 20 and gaps.sum() > 100


def test_exposure_and_gain_scale_the_reading(setup):
    unit_gains = np.random.default_rng(1).standard_normal(SHAPE[0] * SHAPE[1])
    base = measured(setup, 8.0, background=np.array([[0.1, 0.2, 0.0]]))
    scaled = measured(setup, 8.0, background=np.array([[0.1, 0.2, 0.0]]),
                      exposure=np.array([1.7]), flat_field=np.array([0.03]),
                      gain_map=unit_gains)
    gain = 1 + 0.03 * unit_gains.reshape(base.shape)
    np.testing.assert_allclose(scaled, 1.7 * gain * base, rtol=1e-12)


def single_004(shape, distance, pixel):
    """A setup whose only reflection is Si (004), about the surface normal."""
    setup = DMSSetup(detector={"distance_mm": distance, "pixel_mm": pixel}, shape=shape,
                     divergence_deg=0.0, bandwidth=0.0)
    setup.g_hat, setup.g_norm, setup.weight = (np.array([[0.0, 0.0, 1.0]]),
                                               np.array([4 * 2 * np.pi / 5.431]),
                                               np.array([1.0]))
    return setup


@pytest.mark.parametrize("mosaic_deg", [0.1, 0.3])
def test_mosaic_widens_the_lines_by_sin_alpha_eta(mosaic_deg):
    # The (004) cone at 8 keV is a circle; its profile in k_f . G is Gaussian with
    # sigma^2 = sin^2(alpha) (eta^2 + (p / 2D)^2) (no divergence, no bandwidth term).
    size, distance, pixel = 257, 20.0, 0.25
    setup = single_004((size, size), distance, pixel)
    kz = setup.directions[2]
    cos_alpha = wavelength(8.0) / (2 * 5.431 / 4)
    sin2 = 1 - cos_alpha**2
    widths = []
    for eta in (0.0, mosaic_deg):
        image = measured(setup, 0.0, energy_kev=8.0, divergence_deg=0.0,
                         bandwidth=np.zeros(1), mosaic_deg=np.array([eta]),
                         distance_mm=np.array([distance])).ravel()
        t = kz - cos_alpha
        widths.append(np.sum(image * t**2) / np.sum(image))
    expected = sin2 * math.radians(mosaic_deg) ** 2
    assert widths[1] - widths[0] == pytest.approx(expected, rel=0.03)


def test_fluorescence_only_above_the_edge_and_counted_above_threshold():
    # Ge: K edge 11.103 keV, K-alpha-1 9.886 keV, above half the beam energy.
    setup = DMSSetup("Ge", energy_kev=11.0, shape=(16, 16), max_energy_kev=11.3)
    setup.weight = np.zeros_like(setup.weight)  # the background alone
    glow = np.array([[0.0, 0.0, 2.0]])
    below = measured(setup, 0.0, crystal="Ge", energy_kev=11.05, background=glow)
    above = measured(setup, 0.0, crystal="Ge", energy_kev=11.15, background=glow)
    assert np.all(below == 0)
    # Isotropic: the pixel's solid angle relative to the foot point, (D / r)^3.
    kz = setup.directions[2].reshape(16, 16)
    np.testing.assert_allclose(above[0], 2.0 * kz**3, rtol=1e-12)
    # Si's K-alpha (1.74 keV) is below the threshold at 8 keV: never counted.
    silicon = DMSSetup(shape=(16, 16))
    silicon.weight = np.zeros_like(silicon.weight)
    assert np.all(measured(silicon, 0.0, background=glow) == 0)


def test_compton_and_thermal_diffuse_grow_with_the_scattering_angle():
    setup = DMSSetup(shape=(32, 32), detector={"distance_mm": 30.0})
    setup.weight = np.zeros_like(setup.weight)
    kz = setup.directions[2]
    order = np.argsort(kz)  # from the image's rim (2 theta smallest) to its centre
    for background in ([[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]]):
        per_solid_angle = measured(setup, 0.0, background=np.array(background),
                                   distance_mm=np.array([30.0])).ravel() / kz**3
        assert np.all(np.diff(per_solid_angle[order]) >= -1e-12)
        assert per_solid_angle.max() > 1.01 * per_solid_angle.min()


def test_miscut_tilts_the_lattice_normal_by_the_miscut():
    rotations = miscut_rotation([0.5, 2.0], [30.0, 200.0])
    normal = rotations @ np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(np.degrees(np.arccos(normal[:, 2])), [0.5, 2.0], rtol=1e-12)
    # A right-handed turn about the in-plane axis at the azimuth leans it to azimuth - 90.
    np.testing.assert_allclose(np.degrees(np.arctan2(normal[:, 1], normal[:, 0])) % 360,
                               [300.0, 110.0], atol=1e-9)
