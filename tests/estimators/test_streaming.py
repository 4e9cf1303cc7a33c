"""Training from on-disk arrays: the same model as from memory, read in batches."""

import numpy as np
import pytest
import torch

from sciml_estimators.datasets import make_dms, make_magnons, make_saxs_1d, make_saxs_2d
from sciml_estimators.estimators import (
    DMSAngleRegressor,
    MagnonCouplingRegressor,
    SAXS2DClassifier,
    SAXSClassifier,
    SAXSRegressor,
)
from sciml_estimators._engine import _streaming
from sciml_estimators.preprocessing import _blocks
from sciml_estimators.preprocessing._blocks import (
    FeatureRows,
    feature_moments,
    read_rows,
    strided_values,
)

h5py = pytest.importorskip("h5py", reason="the on-disk arrays of these tests are HDF5 (h5py)")


class CountingArray:
    """An on-disk array that records how many rows each read returns."""

    on_disk = True

    def __init__(self, dataset):
        self.dataset = dataset
        self.shape, self.dtype, self.ndim = dataset.shape, dataset.dtype, dataset.ndim
        self.largest_read = 0

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, index):
        rows = self.dataset[index]
        self.largest_read = max(self.largest_read, len(rows))
        return rows


@pytest.fixture
def on_disk(tmp_path):
    """Write an array to an HDF5 file and return the lazy, counting view of it."""
    files = []

    def write(array):
        path = tmp_path / f"x{len(files)}.h5"
        file = h5py.File(path, "w")
        file["x"] = array
        file.close()
        files.append(h5py.File(path, "r"))
        return CountingArray(files[-1]["x"])

    yield write
    for file in files:
        file.close()


@pytest.fixture
def small_blocks(monkeypatch):
    """Statistics blocks of a few rows, so that both paths merge many blocks."""
    monkeypatch.setattr(_blocks, "_BLOCK_VALUES", 3000)


def _saxs_1d():
    return make_saxs_1d(160, random_state=0, return_X_y=True)


def _saxs_radius():
    saxs = make_saxs_1d(160, target="radius", random_state=0)
    return saxs.data, saxs.target


def _saxs_2d():
    return make_saxs_2d(96, shape=(16, 16), random_state=0, return_X_y=True)


def _dms():
    dms = make_dms(64, shape=(16, 16), random_state=0)
    return dms.data, dms.target


def _magnons():
    magnons = make_magnons(48, random_state=0)
    return magnons.data, magnons.target


CASES = {
    "SAXSClassifier": (SAXSClassifier, _saxs_1d, {}),
    "SAXSRegressor": (SAXSRegressor, _saxs_radius, {"validation_fraction": 0.2}),
    "SAXS2DClassifier": (SAXS2DClassifier, _saxs_2d, {}),
    "DMSAngleRegressor": (DMSAngleRegressor, _dms, {}),
    "MagnonCouplingRegressor": (MagnonCouplingRegressor, _magnons, {}),
}


def _assert_same_model(a, b):
    for (name, left), right in zip(a.net_.module_.state_dict().items(),
                                   b.net_.module_.state_dict().values()):
        assert torch.equal(left, right), name


@pytest.fixture(params=["whole", "windows"])
def shuffling(request, monkeypatch):
    """Shuffle whole sets, or by windows of 3 blocks of ~4 rows with a 6-block cache."""
    if request.param == "windows":
        monkeypatch.setattr(_blocks, "_WINDOW_BLOCKS", 3)
        monkeypatch.setattr(_blocks, "_SHUFFLE_BLOCK_BYTES", 1)
    return request.param


@pytest.mark.parametrize("name", list(CASES))
def test_on_disk_training_gives_the_in_memory_model(name, on_disk, small_blocks, shuffling):
    estimator, data, params = CASES[name]
    X, y = data()
    settings = dict(max_epochs=2, batch_size=16, random_state=0, **params)
    in_memory = estimator(**settings).fit(X, y)
    disk = on_disk(X)
    streamed = estimator(**settings).fit(disk, y)

    # Reads are statistics blocks, shuffling blocks (a small set is one block) and
    # the held-out rows of the regressors that calibrate on them.
    row_values = int(np.prod(X.shape[1:]))
    held_out = int(round(getattr(streamed, "validation_fraction", 0.0) * len(X)))
    assert disk.largest_read <= max(_blocks._BLOCK_VALUES // row_values,
                                    _blocks.shuffle_block_rows(X.shape), held_out)
    if shuffling == "windows":
        assert disk.largest_read < len(X) // 2
    _assert_same_model(in_memory, streamed)
    for attribute in ("intensity_scale_", "feature_mean_", "feature_scale_", "channel_mean_",
                      "channel_scale_", "uncertainty_calibration_"):
        if hasattr(in_memory, attribute):
            np.testing.assert_array_equal(getattr(streamed, attribute),
                                          getattr(in_memory, attribute))
    assert streamed.n_features_in_ == in_memory.n_features_in_
    # Prediction on the file runs in blocks and equals prediction in memory.
    np.testing.assert_array_equal(streamed.predict(disk), in_memory.predict(X))
    assert disk.largest_read <= streamed.predict_batch_size


def test_shuffled_order_by_windows(monkeypatch):
    torch.manual_seed(0)
    expected = torch.randperm(50)
    torch.manual_seed(0)
    assert torch.equal(_streaming.shuffled_order(50, 10), expected)  # one window
    monkeypatch.setattr(_blocks, "_WINDOW_BLOCKS", 2)
    order = _streaming.shuffled_order(53, 5).numpy()
    np.testing.assert_array_equal(np.sort(order), np.arange(53))
    # The first window (2 blocks of 5 rows, or 5 and the last 3) holds 2 blocks.
    assert np.unique(order[:8] // 5).size == 2


def test_block_statistics_match_numpy(small_blocks):
    rng = np.random.default_rng(0)
    features = rng.normal(3.0, 2.0, (500, 7)).astype(np.float32)
    features[:, 2] = 5.0
    mean, scale = feature_moments(block for _, block in _blocks.row_blocks(features))
    np.testing.assert_allclose(mean, features.astype(np.float64).mean(axis=0), rtol=1e-12)
    expected = features.astype(np.float64).std(axis=0)
    expected[2] = 1.0
    np.testing.assert_allclose(scale, expected, rtol=1e-10)


def test_strided_values_of_a_file_are_those_of_the_array(on_disk, small_blocks):
    X = np.arange(997 * 13, dtype=np.float64).reshape(997, 13)
    for n_values in (10, 500, 10**6):
        np.testing.assert_array_equal(strided_values(on_disk(X), n_values),
                                      X.ravel()[:: max(1, X.size // n_values)])


def test_rows_in_any_order(on_disk):
    X = np.arange(40.0).reshape(20, 2)
    disk = on_disk(X)
    for index in ([5, 1, 1, 19], [0, 3, 4], slice(2, 9)):
        np.testing.assert_array_equal(read_rows(disk, index), X[index])
    rows = FeatureRows(disk, prepare=lambda rows: 2 * rows, rows=np.array([7, 3, 11]))
    np.testing.assert_array_equal(rows.take(np.array([2, 0])).read(slice(None)),
                                  2 * X[[11, 7]])
    assert rows.shape == (3, 2) and rows[np.array([1])].dtype == np.float64


def test_bad_row_is_named_by_its_row_in_the_file(on_disk, small_blocks):
    X, y = _saxs_1d()
    X = X.copy()
    X[133, 40] = np.nan
    with pytest.raises(ValueError, match="row 133 is the first bad row"):
        SAXSClassifier(max_epochs=1).fit(on_disk(X), y)
    images, psi = _dms()
    images = images.copy()
    images[50, 3, 3] = np.inf
    with pytest.raises(ValueError, match="image 50 is the first bad one"):
        DMSAngleRegressor(max_epochs=1).fit(on_disk(images), psi)


def test_on_disk_input_errors(on_disk):
    X, y = _saxs_1d()
    with pytest.raises(ValueError, match="expects on-disk X with 2 dimensions"):
        SAXSClassifier().fit(on_disk(X[:, :, None]), y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        SAXSClassifier().fit(on_disk(X), y[:-1])
    with pytest.raises(ValueError, match="expects numbers in X"):
        SAXSClassifier().fit(on_disk(np.full((4, 3), b"a")), y[:4])


@pytest.mark.parametrize("suffix", [".zarr", ".h5"])
def test_training_from_a_written_store(tmp_path, suffix):
    pytest.importorskip("zarr", reason="stores are written with zarr")
    saxs = make_saxs_1d(120, random_state=0, out=tmp_path / f"saxs{suffix}", chunk_size=50)
    settings = dict(max_epochs=2, batch_size=16, random_state=0)
    streamed = SAXSClassifier(**settings).fit(saxs.data, saxs.target)
    in_memory = SAXSClassifier(**settings).fit(np.asarray(saxs.data), np.asarray(saxs.target))
    _assert_same_model(in_memory, streamed)
    np.testing.assert_array_equal(streamed.predict_proba(saxs.data),
                                  in_memory.predict_proba(np.asarray(saxs.data)))


def test_dask_arrays_train_like_memory():
    da = pytest.importorskip("dask.array", reason="needs dask")
    X, y = _saxs_1d()
    settings = dict(max_epochs=2, batch_size=16, random_state=0)
    lazy = da.from_array(X, chunks=(50, -1))
    _assert_same_model(SAXSClassifier(**settings).fit(X, y),
                       SAXSClassifier(**settings).fit(lazy, y))


def test_cloud_masks_predict_scenes_on_disk_block_by_block(tmp_path, monkeypatch):
    pytest.importorskip("zarr", reason="stores are written with zarr")
    from sciml_estimators.datasets import make_slstr_scenes
    from sciml_estimators.estimators import (
        BayesianCloudMask,
        CloudMaskClassifier,
        CloudMaskSegmenter,
    )

    scenes = make_slstr_scenes(5, size=24, random_state=0, out=tmp_path / "s.zarr",
                               chunk_size=5)
    X, y = np.asarray(scenes.data), np.asarray(scenes.target)
    X[1, 4, 3:6, 2] = np.nan  # an unmeasured pixel stays masked
    disk = CountingArray(_on_disk_copy(tmp_path, X))
    # Two scenes a block (5 blocks' worth of values would be one).
    monkeypatch.setattr(_streaming, "_PREDICT_BLOCK_VALUES", 2 * X[0].size)
    for estimator in (CloudMaskClassifier(max_epochs=1, random_state=0),
                      CloudMaskSegmenter(max_epochs=1, random_state=0), BayesianCloudMask()):
        estimator.fit(X, y)
        expected = estimator.predict(X)
        predicted = estimator.predict(disk)
        np.testing.assert_array_equal(np.ma.getmaskarray(predicted), np.ma.getmaskarray(expected))
        np.testing.assert_array_equal(predicted.filled(0), expected.filled(0))
        # Other batch sizes round the float32 networks' sums differently.
        np.testing.assert_allclose(estimator.predict_proba(disk), estimator.predict_proba(X),
                                   rtol=1e-6, atol=1e-7)
        assert estimator.score(disk, y) == estimator.score(X, y)
    assert disk.largest_read == 2


def _on_disk_copy(folder, array):
    path = folder / "copy.h5"
    with h5py.File(path, "w") as file:
        file["x"] = array
    return h5py.File(path, "r")["x"]


def test_training_on_a_subset_of_a_store(tmp_path):
    pytest.importorskip("zarr", reason="stores are written with zarr")
    dms = make_dms(60, shape=(16, 16), random_state=0, out=tmp_path / "d.zarr", chunk_size=25)
    train = np.sort(np.random.default_rng(0).permutation(60)[:45])
    X, psi = np.asarray(dms.data), np.asarray(dms.target)
    settings = dict(max_epochs=2, batch_size=8, random_state=0)
    streamed = DMSAngleRegressor(**settings).fit(dms.data.subset(train), psi[train])
    in_memory = DMSAngleRegressor(**settings).fit(X[train], psi[train])
    _assert_same_model(in_memory, streamed)
    test = np.setdiff1d(np.arange(60), train)
    np.testing.assert_array_equal(streamed.predict(dms.data.subset(test)),
                                  in_memory.predict(X[test]))
