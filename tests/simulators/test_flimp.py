"""FLImP kernels: spots against the integrated Gaussian, footprints against their areas."""

import math

import numpy as np
import pytest

from sciml_estimators.simulators import (
    cell_footprints,
    flimp_expected_image,
    patch_density,
    render_blobs,
    render_spots,
)
from sciml_estimators.simulators._flimp import PIXEL_SIZE_UM, PSF_SIGMA_UM


def test_default_psf_is_0_21_lambda_over_na_on_0_16_um_pixels():
    # Zhang et al. 2007: sigma = 0.21 lambda / NA; Alexa 647 at 670 nm, NA 1.49; 16 um / 100x.
    assert PSF_SIGMA_UM == pytest.approx(0.0944, abs=1e-4)
    assert PIXEL_SIZE_UM == pytest.approx(0.16)


@pytest.mark.parametrize("sigma", [0.59, 1.3, 2.5])
@pytest.mark.parametrize("y, x", [(20.0, 20.0), (20.37, 19.81), (21.5, 18.02)])
def test_a_spot_holds_its_photons_with_its_centroid_and_pixelated_variance(sigma, y, x):
    image = render_spots((41, 41), [y], [x], [300.0], sigma)
    total = image.sum()
    assert total == pytest.approx(300.0, rel=1e-6)
    rows, cols = np.indices(image.shape)
    mean_y, mean_x = (image * rows).sum() / total, (image * cols).sum() / total
    # Pixel integration adds a uniform pixel's 1/12 to the variance (Sheppard's correction)
    # and leaves the centroid; both up to the Poisson summation's aliasing terms, of order
    # exp(-2 pi^2 sigma^2): 1e-3 px^2 at the default 0.59 px, nothing from 1.3 px on.
    aliasing = 4 * math.exp(-2 * math.pi**2 * sigma**2) + 1e-8  # + the window's cut
    assert mean_y == pytest.approx(y, abs=aliasing) and mean_x == pytest.approx(x, abs=aliasing)
    for coordinate, mean in ((rows, mean_y), (cols, mean_x)):
        variance = (image * (coordinate - mean) ** 2).sum() / total
        assert variance == pytest.approx(sigma**2 + 1 / 12, rel=1e-6, abs=aliasing)


def test_spots_against_the_erf_product_and_cut_at_the_edge():
    sigma, y, x = 0.8, 3.3, 5.6
    image = render_spots((16, 12), [y, 8.0], [x, -0.5], [100.0, 50.0], sigma)

    def fraction(centre, lo, hi):
        return 0.5 * (math.erf((hi - centre) / (math.sqrt(2) * sigma))
                      - math.erf((lo - centre) / (math.sqrt(2) * sigma)))

    expected = np.array([[100 * fraction(y, i - 0.5, i + 0.5) * fraction(x, j - 0.5, j + 0.5)
                          + 50 * fraction(8.0, i - 0.5, i + 0.5) * fraction(-0.5, j - 0.5, j + 0.5)
                          for j in range(12)] for i in range(16)])
    np.testing.assert_allclose(image, expected, rtol=1e-9, atol=1e-12)
    # The second spot sits on the edge: half of it falls outside the image.
    assert image.sum() == pytest.approx(100 + 25, rel=1e-3)


def _area_px(labels):
    return int((labels > 0).sum())


@pytest.mark.parametrize("radius", [5.0, 12.3, 40.0])
def test_a_circle_covers_pi_r_squared_within_its_boundary(radius):
    labels = cell_footprints((128, 128), [[60.4, 63.7]], [radius], [1.0], [0.3],
                             np.zeros((1, 3, 2)))
    # Pixel centres inside the circle: pi r^2 up to the pixels the boundary cuts (~2 pi r).
    assert abs(_area_px(labels) - math.pi * radius**2) < 2 * math.pi * radius * 0.25 + 4


def test_an_ellipse_covers_pi_r_squared_times_its_aspect_along_its_angle():
    labels = cell_footprints((200, 200), [[100.0, 100.0]], [20.0], [3.0], [math.pi / 2],
                             np.zeros((1, 0, 2)))
    assert _area_px(labels) == pytest.approx(math.pi * 20**2 * 3, rel=0.01)
    rows, cols = np.nonzero(labels)
    # The long axis (60 px semi-axis) along the rows at angle pi / 2.
    assert rows.max() - rows.min() == pytest.approx(120, abs=2)
    assert cols.max() - cols.min() == pytest.approx(40, abs=2)


def test_harmonics_against_the_polar_definition():
    rng = np.random.default_rng(0)
    harmonics = np.stack([0.08 * rng.standard_normal((2, 4)), rng.uniform(0, 6.3, (2, 4))], -1)
    centres, radii = np.array([[30.0, 35.0], [50.0, 40.0]]), np.array([15.0, 9.0])
    aspects, angles = np.array([1.4, 2.5]), np.array([0.4, 2.0])
    labels = cell_footprints((80, 90), centres, radii, aspects, angles, harmonics)
    expected = np.zeros((80, 90), dtype=np.int16)
    rows, cols = np.indices(expected.shape)
    for k in range(2):
        dy, dx = rows - centres[k, 0], cols - centres[k, 1]
        u = (dx * np.cos(angles[k]) + dy * np.sin(angles[k])) / aspects[k]
        v = -dx * np.sin(angles[k]) + dy * np.cos(angles[k])
        phi = np.arctan2(v, u)
        edge = 1 + sum(a * np.cos((m + 1) * phi + p) for m, (a, p) in enumerate(harmonics[k]))
        expected[np.hypot(u, v) <= radii[k] * edge] = k + 1  # later cells on top
    # Rounding may flip a pixel centre lying on the edge to 1e-12.
    assert (labels != expected).sum() <= 2
    assert set(np.unique(labels)) == {0, 1, 2}


def test_bad_footprint_arrays_are_refused():
    with pytest.raises(ValueError, match="cell_footprints needs"):
        cell_footprints((8, 8), [[1.0, 1.0]], [1.0, 2.0], [1.0], [0.0], np.zeros((1, 0, 2)))
    with pytest.raises(ValueError, match="aspects > 0"):
        cell_footprints((8, 8), [[1.0, 1.0]], [1.0], [0.0], [0.0], np.zeros((1, 0, 2)))


def test_blobs_against_numpy():
    y, x, sigma, amplitude = [10.0, 20.3], [5.5, 25.0], [2.0, 3.5], [7.0, 2.0]
    image = render_blobs((32, 40), y, x, sigma, amplitude)
    rows, cols = np.indices(image.shape)
    expected = sum(a * np.exp(-((rows - cy) ** 2 + (cols - cx) ** 2) / (2 * s**2))
                   * (np.maximum(np.abs(rows - round(cy)), np.abs(cols - round(cx)))
                      <= math.ceil(5 * s))
                   for cy, cx, s, a in zip(y, x, sigma, amplitude))
    np.testing.assert_allclose(image, expected, rtol=1e-12, atol=1e-12)


def test_patch_density_is_the_nearest_seed_of_the_cell():
    rng = np.random.default_rng(1)
    cells = np.zeros((30, 30), dtype=np.int16)
    cells[:, :15], cells[:, 15:] = 1, 2
    cells[:5] = 0
    seeds = rng.uniform(0, 30, (5, 2))
    multipliers = rng.uniform(0.5, 2.0, 5)
    glass = np.full((30, 30), 0.03)
    density = patch_density(cells, [0.5, 2.0], seeds, multipliers, [0, 3, 5], glass)
    rows, cols = np.indices(cells.shape)
    distance = (rows[..., None] - seeds[:, 0]) ** 2 + (cols[..., None] - seeds[:, 1]) ** 2
    nearest_1 = np.argmin(distance[..., :3], -1)
    nearest_2 = 3 + np.argmin(distance[..., 3:], -1)
    expected = np.where(cells == 1, 0.5 * multipliers[nearest_1],
                        np.where(cells == 2, 2.0 * multipliers[nearest_2], 0.03))
    np.testing.assert_allclose(density, expected, rtol=1e-6)
    assert density.dtype == np.float32
    with pytest.raises(ValueError, match="one seed per cell"):
        patch_density(cells, [0.5, 2.0], seeds, multipliers, [0, 0, 5], glass)


def test_expected_image_is_the_levels_under_a_gaussian_beam():
    cells = np.zeros((20, 30), dtype=np.int16)
    cells[5:10, 5:10], cells[12:, 20:] = 1, 2
    blobs, spots = np.full((20, 30), 2.0), np.zeros((20, 30))
    spots[7, 7] = 100.0
    image = flimp_expected_image(cells, [10.0, 20.0], 15.0, blobs, spots, (8.0, 12.0), 25.0)
    rows, cols = np.indices(cells.shape)
    beam = np.exp(-2 * ((rows - 8.0) ** 2 + (cols - 12.0) ** 2) / 25.0**2)
    levels = 15.0 + 2.0 + np.array([0.0, 10.0, 20.0])[cells] + spots
    np.testing.assert_allclose(image, levels * beam, rtol=1e-12)
    with pytest.raises(ValueError, match="beam_waist > 0"):
        flimp_expected_image(cells, [10.0, 20.0], 15.0, blobs, spots, (8.0, 12.0), 0.0)
