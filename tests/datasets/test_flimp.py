"""make_flimp_images: layout, the suitability rule, determinism, bleaching, EMCCD noise."""

import hashlib

import numpy as np
import pytest
from scipy.optimize import curve_fit
from sklearn.utils._param_validation import InvalidParameterError

from sciml_estimators.datasets import make_flimp_images
from sciml_estimators.datasets._flimp import BLEACH_RATE
from sciml_estimators.datasets._flimp_camera import emccd_adu
from sciml_estimators.datasets._flimp_scenes import (
    BLOB_MAX_FRACTION,
    D_MAX,
    D_MIN,
    DENSITY_WINDOW,
)
from sciml_estimators.simulators._flimp import (
    EM_GAIN,
    OFFSET_ADU,
    QE,
    READ_NOISE_E,
    SENSITIVITY,
    SPURIOUS_CHARGE,
)

SMALL = {"shape": (128, 128), "random_state": 0}


@pytest.fixture(scope="module")
def images():
    return make_flimp_images(4, **SMALL)


def test_bunch_layout(images):
    assert images.data.shape == (4, 128, 128) and images.data.dtype == np.float32
    assert images.target.dtype == bool and images.target is images.suitable
    assert images.target_names == ("unsuitable", "suitable")
    for name, dtype in [("populations", np.int8), ("cells", np.int16), ("density", np.float32),
                        ("blob_fraction", np.float32), ("suitable", bool)]:
        assert images[name].shape == (4, 128, 128) and images[name].dtype == dtype, name
    assert images.pixel_size == 0.16
    assert images.population_names == ("carcinoma", "fibroblast", "lymphocyte")
    assert images.suitable_populations == (1, 2)
    assert len(images.spots) == 4
    for spots in images.spots:
        assert spots.ndim == 2 and spots.shape[1] == 2
        assert spots.min() >= -0.5 and spots.max() <= 127.5
    assert "FLImP" in images.DESCR and "The rule" in images.DESCR
    X, y = make_flimp_images(4, return_X_y=True, **SMALL)
    np.testing.assert_array_equal(X, images.data)
    np.testing.assert_array_equal(y, images.suitable)


def test_population_target(images):
    populations = make_flimp_images(4, target="population", **SMALL)
    assert populations.target.dtype == np.int8
    np.testing.assert_array_equal(populations.target, images.populations)
    np.testing.assert_array_equal(populations.data, images.data)
    assert populations.target_names == ("background", "carcinoma", "fibroblast", "lymphocyte")
    # The populations follow the cells: background exactly off the cells.
    np.testing.assert_array_equal(images.populations == 0, images.cells == 0)


def test_the_rule_holds_on_the_ground_truth(images):
    suitable = (np.isin(images.populations, images.suitable_populations)
                & (images.local_density >= D_MIN) & (images.local_density <= D_MAX)
                & (images.blob_fraction <= BLOB_MAX_FRACTION))
    np.testing.assert_array_equal(images.suitable, suitable)
    assert (D_MIN, D_MAX, BLOB_MAX_FRACTION, DENSITY_WINDOW) == (0.2, 1.0, 0.25, 1.0)
    assert images.suitable.any()


def test_local_density_counts_the_receptors_in_a_gaussian_window(images):
    # The Gaussian sum written out at a few pixels: every spot in a cell (rounded to its
    # pixel), weighted exp(-d^2 / 2 s^2) / (2 pi s^2) per um^2; glass spots do not count.
    rng = np.random.default_rng(0)
    sigma = DENSITY_WINDOW / images.pixel_size
    for spots, cells, local in zip(images.spots, images.cells, images.local_density):
        pixels = np.rint(spots).astype(int)
        receptors = pixels[cells[pixels[:, 0], pixels[:, 1]] > 0]
        for row, col in rng.integers(0, cells.shape, size=(20, 2)):
            d2 = ((receptors - (row, col)) ** 2).sum(axis=1)
            expected = np.exp(-d2 / (2 * sigma**2)).sum() / (2 * np.pi * sigma**2)
            # scipy's kernel is truncated at 4 sigma and normalised on the pixel grid.
            assert local[row, col] == pytest.approx(expected / images.pixel_size**2,
                                                    rel=1e-3, abs=1e-4)


def test_spots_follow_the_density():
    # Spots are a Poisson process of the density: the counts on the cells and on the glass
    # of each image match their expectations (density x pixel area) within 5 sigmas.
    images = make_flimp_images(6, shape=(128, 128), random_state=3)
    area = images.pixel_size**2
    for spots, density, cells in zip(images.spots, images.density, images.cells):
        rows, cols = np.floor(spots + 0.5).astype(int).T
        on_cell = cells[rows, cols] > 0
        for where, count in ((cells > 0, on_cell.sum()), (cells == 0, (~on_cell).sum())):
            expected = density[where].sum(dtype=np.float64) * area
            assert abs(count - expected) < 5 * np.sqrt(expected) + 1


def test_cell_mask_alone_is_a_poor_answer():
    # The statistic the benchmark needs: many cell pixels unsuitable, so that a cell mask
    # scores a low Dice. Seeds 0-9 of this call gave unsuitable fractions 0.592-0.735 and
    # Dice 0.418-0.580 (seed 0: 0.735 and 0.418; 50 images of 512 x 512: 0.644 and 0.525).
    images = make_flimp_images(24, shape=(256, 256), random_state=0)
    cell, suitable = images.cells > 0, images.suitable
    unsuitable = 1 - suitable[cell].mean()
    dice = 2 * suitable.sum() / (cell.sum() + suitable.sum())
    assert unsuitable > 0.47  # the issue asks >= 0.30; Dice < 0.7 needs >= 0.46
    assert dice < 0.65
    # All three populations appear, and lymphocytes are never suitable.
    assert set(np.unique(images.populations)) == {0, 1, 2, 3}
    assert not suitable[images.populations == 3].any()
    # Every clause bites: of the pixels of suitable populations, 61 % have a density out of
    # range and 27 % blobs above the limit here (seeds 0-9: 49-61 % and 16-30 %).
    in_population = np.isin(images.populations, (1, 2))
    density = images.local_density[in_population]
    assert 0.3 < ((density < D_MIN) | (density > D_MAX)).mean() < 0.7
    assert 0.1 < (images.blob_fraction[in_population] > BLOB_MAX_FRACTION).mean() < 0.35


#: Mean ADU, two pixels' ADU, mean density, the first two spots' coordinates summed.
REFERENCE = [844.6643741915624, 1340.2225341796875, 245.02316284179688, 0.36542780354235826,
             108.02944729895636]


def test_defaults_give_these_images():
    """The ground truth's digest and reference values of the data (any CPU: to 1e-5)."""
    images = make_flimp_images(2, shape=(96, 80), random_state=7)
    truth = b"".join(np.ascontiguousarray(images[name]).tobytes()
                     for name in ("cells", "populations", "suitable"))
    assert hashlib.sha256(truth).hexdigest()[:16] == "e3db584a9bccb54f"
    np.testing.assert_allclose(
        [images.data.mean(dtype=np.float64), images.data[0, 40, 40], images.data[1, 10, 70],
         images.density.mean(), images.spots[0][:2].sum()],
        REFERENCE, rtol=1e-5)



def test_same_seed_same_images_other_seed_other_images(images):
    again = make_flimp_images(4, **SMALL)
    for name in ("data", "suitable", "populations", "cells", "density", "local_density",
                 "blob_fraction"):
        np.testing.assert_array_equal(again[name], images[name])
    for first, second in zip(again.spots, images.spots):
        np.testing.assert_array_equal(first, second)
    other = make_flimp_images(4, shape=(128, 128), random_state=1)
    assert not np.array_equal(other.data, images.data)
    assert not np.array_equal(other.cells, images.cells)


def test_frames_bleach_exponentially():
    images = make_flimp_images(6, shape=(96, 96), n_frames=40, random_state=2)
    assert images.data.shape == (6, 40, 96, 96)
    # The background stays; spots go dark at exponential times, so the mean signal is
    # a + b exp(-k t). The fitted k: 0.0497 here (k = 0.05); within 10 %.
    signal = images.data.mean(axis=(0, 2, 3), dtype=np.float64)
    t = np.arange(40)
    (a, b, k), _ = curve_fit(lambda t, a, b, k: a + b * np.exp(-k * t), t, signal,
                             p0=(signal[-1], signal[0] - signal[-1], 0.1))
    assert k == pytest.approx(BLEACH_RATE, rel=0.1)
    assert b > 0
    # The series has the single frame's ground truth and spots (noise is drawn per frame).
    single = make_flimp_images(6, shape=(96, 96), random_state=2)
    np.testing.assert_array_equal(single.suitable, images.suitable)
    for first, second in zip(single.spots, images.spots):
        np.testing.assert_array_equal(first, second)


def test_emccd_noise_has_the_excess_noise_factor_two():
    # Gamma(n, g) electrons out of n in: mean g n, variance 2 g^2 n for Poisson n (excess
    # noise factor F^2 = 2, Hirsch et al. 2013). Over 512 x 512 pixels the mean is known
    # to 0.1 % and the variance to 0.5 % (r.m.s. 0.3 % and 0.28 %, measured).
    photons = np.full((512, 512), 40.0)
    out = np.empty((512, 512), dtype=np.float32)
    emccd_adu(photons, np.random.Generator(np.random.SFC64(0)), out)
    electrons = QE * 40.0 + SPURIOUS_CHARGE
    assert out.mean() == pytest.approx(EM_GAIN * electrons / SENSITIVITY + OFFSET_ADU, rel=1e-3)
    variance = (2 * EM_GAIN**2 * electrons + READ_NOISE_E**2) / SENSITIVITY**2
    assert out.var(dtype=np.float64) == pytest.approx(variance, rel=0.01)
    # Dark pixels: no electron in, no gain; read noise about the offset alone.
    emccd_adu(np.zeros((512, 512)), np.random.Generator(np.random.SFC64(1)), out)
    dark = out[np.abs(out - OFFSET_ADU) < 5 * READ_NOISE_E / SENSITIVITY]
    assert dark.size > 0.99 * out.size
    assert dark.std() == pytest.approx(READ_NOISE_E / SENSITIVITY, rel=0.01)


@pytest.mark.parametrize("shape", [(4, 128), (128,), (128, 128, 1), (128.0, 128), (True, 128)])
def test_a_bad_shape_is_named(shape):
    with pytest.raises(ValueError, match=r"shape must be a tuple of two ints >= 8"):
        make_flimp_images(1, shape=shape)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_images": 0}, "n_images"), ({"n_images": True}, "n_images"),
    ({"n_frames": 0}, "n_frames"), ({"target": "cells"}, "target"),
    ({"shape": [64, 64]}, "shape"),
])
def test_bad_arguments_are_named(kwargs, name):
    kwargs = {"n_images": 1, **kwargs}
    with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter of make_flimp_images"):
        make_flimp_images(**kwargs)


def test_a_zarr_store_keeps_chunks_without_a_suitable_pixel(tmp_path):
    # Zarr skips shards of fill values only; a chunk of empty masks must be written all
    # the same, since the checksums and resume read every chunk's shard file.
    from sciml_estimators.datasets import load_dataset

    written = make_flimp_images(6, shape=(64, 64), out=tmp_path / "f.zarr", chunk_size=1,
                                random_state=0)
    target = np.asarray(load_dataset(tmp_path / "f.zarr").target[:])
    assert not target.reshape(6, -1).any(axis=1).all()  # the case arises
    np.testing.assert_array_equal(target, np.asarray(written.target[:]))
