import hashlib

import numpy as np
import pytest

from sciml_estimators.datasets import make_slstr_scenes
from sciml_estimators.datasets import _slstr as slstr_module
from sciml_estimators.simulators import slstr_channels

SMALL = {"size": 32, "random_state": 0}


def test_bunch_layout():
    scenes = make_slstr_scenes(4, **SMALL)
    assert scenes.data.shape == (4, 9, 32, 32) and scenes.data.dtype == np.float32
    assert scenes.clear_sky.shape == (4, 9, 32, 32) and scenes.clear_sky.dtype == np.float32
    assert scenes.truth.shape == (4, 32, 32) and scenes.truth.dtype == np.uint8
    assert scenes.optical_depth.shape == (4, 32, 32)
    assert scenes.optical_depth.dtype == np.float32
    assert scenes.channel_names == [f"S{k}" for k in range(1, 10)]
    assert scenes.target.shape == (4, 32, 32) and scenes.target.dtype == np.uint8
    assert scenes.target_names == ["clear", "cloud"]
    np.testing.assert_allclose(scenes.wavelengths[[0, 7]], [0.555, 10.85])
    assert "SLSTR" in scenes.DESCR and ".. math::" in scenes.DESCR
    np.testing.assert_array_equal(scenes.truth, scenes.optical_depth > 0.1)
    assert set(np.unique(scenes.truth)) <= {0, 1}
    X, y = make_slstr_scenes(4, return_X_y=True, **SMALL)
    np.testing.assert_array_equal(X, scenes.data)
    np.testing.assert_array_equal(y, scenes.target)


def test_bayesian_labels_agree_with_the_truth_except_at_thin_cloud():
    scenes = make_slstr_scenes(8, size=64, random_state=0)
    wrong = scenes.target != scenes.truth
    assert 0.95 < 1 - wrong.mean() < 1.0
    # The screening errs where cloud is thin (or absent), not under thick cloud.
    thick = scenes.optical_depth > 5
    assert wrong[thick].mean() < 0.01 < wrong[(scenes.optical_depth > 0)
                                              & (scenes.optical_depth < 1)].mean()
    clear_sky = make_slstr_scenes(4, size=64, cloud_fraction=0.0, random_state=1)
    assert clear_sky.target.mean() < 0.02


@pytest.mark.parametrize("kwargs, digest", [
    ({}, "bd81aad240751cd8"),
    ({"daytime": False}, "51201622f04fa876"),
    ({"noise": None}, "b9af37a6a3a76bd9"),
])
def test_scenes_and_labels_are_those_of_the_paper_defaults(kwargs, digest):
    """The digests of 0d8a9f2, before the screening's core moved below the datasets."""
    scenes = make_slstr_scenes(4, size=48, random_state=3, **kwargs)
    data = np.ascontiguousarray(scenes.target).tobytes()
    data += np.ascontiguousarray(scenes.data).tobytes()
    assert hashlib.sha256(data).hexdigest()[:16] == digest


def test_same_seed_same_data_other_seed_other_data():
    first = make_slstr_scenes(3, **SMALL)
    second = make_slstr_scenes(3, **SMALL)
    for key in ("data", "target", "truth", "optical_depth", "clear_sky"):
        np.testing.assert_array_equal(first[key], second[key])
    other = make_slstr_scenes(3, size=32, random_state=1)
    assert not np.array_equal(first.data, other.data)
    assert not np.array_equal(first.optical_depth, other.optical_depth)


def test_batches_do_not_change_the_data(monkeypatch):
    whole = make_slstr_scenes(5, **SMALL)
    monkeypatch.setattr(slstr_module, "_BATCH", 2)
    batched = make_slstr_scenes(5, **SMALL)
    np.testing.assert_array_equal(batched.data, whole.data)
    np.testing.assert_array_equal(batched.clear_sky, whole.clear_sky)
    np.testing.assert_array_equal(batched.target, whole.target)


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_truth_tracks_cloud_fraction(fraction):
    scenes = make_slstr_scenes(12, size=32, cloud_fraction=fraction, random_state=0)
    # Thin edges (optical depth <= 0.1) count as clear: slightly under the fraction.
    assert fraction - 0.08 < scenes.truth.mean() <= fraction + 0.02
    np.testing.assert_array_equal(scenes.parameters["cloud_fraction"], fraction)


def test_cloud_fraction_zero_and_ranges():
    clear = make_slstr_scenes(3, cloud_fraction=0.0, noise=None, **SMALL)
    assert not clear.truth.any() and not clear.optical_depth.any()
    # Clear sky of the background fields differs from the scene by the background errors.
    difference = clear.data[:, 7] - clear.clear_sky[:, 7]
    assert 0.01 < difference.std() < 1.0
    drawn = make_slstr_scenes(40, size=8, cloud_fraction=(0.2, 0.4), random_state=0)
    fractions = drawn.parameters["cloud_fraction"]
    assert fractions.min() >= 0.2 and fractions.max() <= 0.4 and fractions.std() > 0.03


def test_cloud_is_cold_and_bright():
    scenes = make_slstr_scenes(6, cloud_fraction=0.5, noise=None, **SMALL)
    cloud, clear = scenes.optical_depth > 3, scenes.truth == 0
    depression = scenes.clear_sky[:, 7] - scenes.data[:, 7]
    assert depression[cloud].mean() > depression[clear].mean() + 2.0
    assert scenes.data[:, 1][cloud].mean() > 3 * scenes.data[:, 1][clear].mean()


def test_noise_free_data_is_the_kernel_output(monkeypatch):
    calls = []
    kernel = slstr_module.slstr_kernel

    def recording(*args):
        calls.append([np.array(a) if isinstance(a, np.ndarray) else a for a in args[:-1]])
        return kernel(*args)

    monkeypatch.setattr(slstr_module, "slstr_kernel", recording)
    monkeypatch.setattr(slstr_module, "_BATCH", 2)
    for daytime in (True, False):
        calls.clear()
        scenes = make_slstr_scenes(3, daytime=daytime, noise=None, cloud_fraction=0.6, **SMALL)
        # The first calls simulate the screening's calibration scenes.
        scene_calls = calls[-(-slstr_module.CALIBRATION_SCENES // 2):]  # batches of 2
        assert sum(len(args[0]) for args in scene_calls) == 3
        expected = np.concatenate([slstr_channels(*args[:-1], daytime=args[-1])
                                   for args in scene_calls])
        np.testing.assert_array_equal(scenes.data, expected)
        if not daytime:
            assert not scenes.data[:, :6].any()


def test_gaussian_noise_statistics():
    ideal = make_slstr_scenes(4, noise=None, **SMALL)
    noisy = make_slstr_scenes(4, **SMALL)
    np.testing.assert_array_equal(noisy.truth, ideal.truth)
    np.testing.assert_array_equal(noisy.clear_sky, ideal.clear_sky)
    noise = noisy.data.astype(float) - ideal.data
    for channel, nedt in ((6, 0.08), (7, 0.05), (8, 0.05)):
        assert noise[:, channel].std() == pytest.approx(nedt, rel=0.05)
    sigma = np.sqrt(0.002**2 + (0.01 * ideal.data[:, :6].astype(float)) ** 2)
    assert (noise[:, :6] / sigma).std() == pytest.approx(1.0, rel=0.05)
    night = make_slstr_scenes(2, daytime=False, **SMALL)
    assert not night.data[:, :6].any() and night.data[:, 7].std() > 0


@pytest.mark.parametrize(
    "kwargs, message",
    [({"size": 0}, "'size' parameter"),
     ({"cloud_fraction": 1.5}, "'cloud_fraction' parameter"),
     ({"cloud_fraction": (0.6, 0.2)}, r"0 <= low <= high <= 1; got \(0.6, 0.2\)"),
     ({"cloud_fraction": (0.1, 0.2, 0.3)}, "cloud_fraction must be a number in"),
     ({"noise": "x"}, "'noise' parameter"),
     ({"n_scenes": 0}, "'n_scenes' parameter")],
)
def test_bad_input_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_slstr_scenes(**{"n_scenes": 2, "size": 8, **kwargs})
