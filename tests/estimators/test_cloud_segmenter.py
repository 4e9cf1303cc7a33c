import pickle

import numpy as np
import pytest
import torch
from scipy.ndimage import gaussian_filter, uniform_filter
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from skorch.dataset import Dataset

from sciml_estimators.estimators import CloudMaskSegmenter
from sciml_estimators._engine._segmentation import (
    UNLABELLED,
    MaskedPixelLoss,
    PatchIterator,
    pad_to_multiple,
)
from sciml_estimators.models import UNet

FAST = dict(width=8, depth=1, lr=1e-2, max_epochs=20, batch_size=4, patch_size=32)


def neighbourhood_scenes(n, seed, size=32):
    """Two channels; a pixel is "cloud" where the 5x5 mean of channel 0 is positive.

    Channel 0 is a smooth field plus pixel noise twice as strong, so one
    pixel's own value says little about its label; channel 1 is noise.
    """
    rng = np.random.default_rng(seed)
    smooth = gaussian_filter(rng.normal(size=(n, size, size)), 4, axes=(1, 2))
    smooth *= 0.5 / smooth.std()
    noise = rng.normal(size=(2, n, size, size))
    X = np.stack([smooth + noise[0], noise[1]], axis=1).astype(np.float32)
    y = uniform_filter(X[:, 0], 5, axes=(1, 2)) > 0
    return X, y


def as_rows(scenes):
    return np.moveaxis(scenes, 1, -1).reshape(-1, scenes.shape[1])


@pytest.fixture(scope="module")
def scenes():
    X, y = neighbourhood_scenes(16, 0)
    X_test, y_test = neighbourhood_scenes(8, 1)
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def fitted(scenes):
    X, y, _, _ = scenes
    return CloudMaskSegmenter(random_state=0, **FAST).fit(X, y)


@pytest.mark.parametrize("depth", [1, 3])
@pytest.mark.parametrize("size", [(1, 1), (5, 7), (33, 40)])
def test_unet_output_has_the_input_size(size, depth):
    torch.manual_seed(0)
    net = UNet(9, n_out=3, width=4, depth=depth)
    X = torch.randn(2, 9, *size)
    assert net(X).shape == (2, 3, *size)  # training mode: batch statistics
    assert net.eval()(X[:1]).shape == (1, 3, *size)


def test_learns_the_neighbourhood(scenes, fitted):
    X, y, X_test, y_test = scenes
    assert len(fitted.net_.history) == FAST["max_epochs"]
    losses = fitted.net_.history[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]
    accuracy = fitted.score(X_test, y_test)
    per_pixel = LogisticRegression().fit(as_rows(X), y.ravel())
    per_pixel_accuracy = per_pixel.score(as_rows(X_test), y_test.ravel())
    assert accuracy >= 0.9 and accuracy > per_pixel_accuracy + 0.2, (accuracy, per_pixel_accuracy)
    # Any scene size, odd ones too: padded to a multiple of 2**depth and cropped back.
    part = X_test[:, :, 3:24, 5:30]
    labels = fitted.predict(part)
    assert labels.shape == (8, 21, 25) and not np.ma.getmaskarray(labels).any()
    assert np.mean(labels == y_test[:, 3:24, 5:30]) > 0.85


def test_predictions(scenes, fitted):
    X_test = scenes[2]
    proba = fitted.predict_proba(X_test)
    assert proba.shape == (8, 32, 32, 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(fitted.classes_, [False, True])
    np.testing.assert_array_equal(fitted.predict(X_test).data, proba[..., 1] > 0.5)
    # Batching does not change the answer.
    one_at_a_time = pickle.loads(pickle.dumps(fitted))
    one_at_a_time.predict_batch_size = 1
    np.testing.assert_allclose(one_at_a_time.predict_proba(X_test), proba, atol=1e-6)


def test_same_seed_same_model_clone_and_pickle(scenes, fitted):
    X, y, X_test, _ = scenes
    again = clone(fitted).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X_test), fitted.predict_proba(X_test))
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict_proba(X_test), fitted.predict_proba(X_test))
    other = clone(fitted).set_params(random_state=1, max_epochs=1).fit(X, y)
    assert not np.array_equal(other.predict_proba(X_test), fitted.predict_proba(X_test))


def test_non_finite_pixels(scenes):
    X, y, X_test, y_test = scenes
    X, y = X[:4].copy(), y[:4].astype(int)
    X[0, 1, :5, :7] = np.nan
    X[2, 0, 10, 20] = np.inf
    y[0, :5, :7] = 7  # labels under non-finite pixels are ignored
    seg = CloudMaskSegmenter(random_state=0, **{**FAST, "max_epochs": 2}).fit(X, y)
    np.testing.assert_array_equal(seg.classes_, [0, 1])
    finite = np.isfinite(X).all(axis=1)
    np.testing.assert_allclose(seg.channel_mean_, [X[:, c][finite].mean() for c in range(2)],
                               rtol=1e-6)
    assert np.isfinite(seg.net_.history[:, "train_loss"]).all()
    proba = seg.predict_proba(X)
    bad = ~np.isfinite(X).all(axis=1)
    assert np.isnan(proba[bad]).all() and np.isfinite(proba[~bad]).all()
    labels = seg.predict(X)
    np.testing.assert_array_equal(np.ma.getmaskarray(labels), bad)
    assert 0 <= seg.score(X, y) <= 1
    # Finite pixels next to the bad ones still get answers from their neighbours.
    assert np.isfinite(proba[0, 5, :7]).all()


def test_pixel_rows(scenes):
    X, y, X_test, _ = scenes
    rows, labels = as_rows(X[:2]), y[:2].ravel()
    seg = CloudMaskSegmenter(random_state=0, max_epochs=2, width=4, depth=1).fit(rows, labels)
    assert seg.n_features_in_ == 2
    proba = seg.predict_proba(as_rows(X_test[:1]))
    assert proba.shape == (1024, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # A row is a 1 x 1 scene.
    np.testing.assert_allclose(
        seg.predict_proba(as_rows(X_test[:1])[:, :, None, None]).reshape(-1, 2), proba, atol=1e-6
    )
    assert seg.predict(as_rows(X_test[:1])).shape == (1024,)


def test_more_than_two_classes(scenes):
    X, y, _, _ = scenes
    labels = np.where(y, "cloud", np.where(X[:, 1] > 0, "clear", "shadow"))
    seg = CloudMaskSegmenter(random_state=0, **{**FAST, "max_epochs": 2}).fit(X[:4], labels[:4])
    np.testing.assert_array_equal(seg.classes_, ["clear", "cloud", "shadow"])
    proba = seg.predict_proba(X[:2])
    assert proba.shape == (2, 32, 32, 3)
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0)
    assert set(np.unique(seg.predict(X[:2]).data)) <= set(seg.classes_)


def test_errors(scenes, fitted):
    X, y, _, _ = scenes
    with pytest.raises(ValueError, match=r"X has 3 channels .* fitted on 2 channels"):
        fitted.predict(np.concatenate([X[:1], X[:1, :1]], axis=1))
    with pytest.raises(ValueError, match="X has 3 features, but CloudMaskSegmenter is expecting 2"):
        fitted.predict(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"\(4, 32, 32\).*\(4, 2, 32, 32\).*\(4, 32, 31\)"):
        CloudMaskSegmenter().fit(X[:4], y[:4, :, :31])
    with pytest.raises(ValueError, match="3 dimensions"):
        fitted.predict(X[:, 0])
    with pytest.raises(ValueError, match="at least 2 classes; got 1 class"):
        CloudMaskSegmenter().fit(X[:2], np.ones((2, 32, 32)))
    with pytest.raises(ValueError, match="no pixel whose channels are all finite"):
        CloudMaskSegmenter().fit(np.full((1, 2, 3, 3), np.nan), np.ones((1, 3, 3)))
    with pytest.raises(TypeError, match="no keyword arrays"):
        fitted.predict(X[:1], clear_sky=X[:1])
    # depth 9 was taken (about 2e9 parameters at width 16) and failed in torch, if at all.
    with pytest.raises(ValueError, match=r"depth=9 .* at most log2\(patch_size\) = 6"):
        CloudMaskSegmenter(depth=9).fit(X[:2], y[:2])
    with pytest.raises(ValueError, match=r"at most log2\(patch_size\) = 3"):
        CloudMaskSegmenter(depth=4, patch_size=15).fit(X[:2], y[:2])


def test_patch_iterator_draws_crops_of_the_scenes():
    torch.manual_seed(0)
    X = torch.arange(3 * 2 * 10 * 12, dtype=torch.float32).reshape(3, 2, 10, 12)
    y = torch.arange(3 * 10 * 12, dtype=torch.int16).reshape(3, 10, 12) % 2
    iterator = PatchIterator(Dataset(X, y), batch_size=4, patch_size=4, patches_per_scene=None,
                             multiple=4)
    assert iterator.n_patches == 3 * 8 and len(iterator) == 6  # ceil(120 / 16) per scene
    batches = list(iterator)
    assert [len(b[0]) for b in batches] == [4] * 6
    for patches, labels in batches:
        assert patches.shape == (4, 2, 4, 4) and labels.shape == (4, 4, 4)
        for patch, label in zip(patches, labels):
            scene, row, col = np.unravel_index(int(patch[0, 0, 0]), (3 * 2, 10, 12))
            scene //= 2  # the flat index counts channels too
            np.testing.assert_array_equal(patch, X[scene, :, row : row + 4, col : col + 4])
            np.testing.assert_array_equal(label, y[scene, row : row + 4, col : col + 4])
    # Scenes smaller than a patch: whole, once, padded like inference with unlabelled pixels.
    whole = PatchIterator(Dataset(X, y), batch_size=2, patch_size=64, patches_per_scene=5,
                          multiple=8)
    batches = list(whole)
    assert whole.n_patches == 3 and [len(b[0]) for b in batches] == [2, 1]
    patches, labels = batches[0]
    assert patches.shape == (2, 2, 16, 16) and labels.shape == (2, 16, 16)
    assert (labels == UNLABELLED).sum() == 2 * (256 - 120)
    np.testing.assert_array_equal(labels[:, 3:13, 2:14] == UNLABELLED, False)


def test_patch_iterator_keeps_two_per_batch_for_a_one_pixel_bottleneck():
    X, y = torch.zeros(5, 2, 1, 1), torch.zeros(5, 1, 1, dtype=torch.int16)
    iterator = PatchIterator(Dataset(X, y), batch_size=1, patch_size=64, patches_per_scene=None,
                             multiple=2)
    assert [len(b[0]) for b in iterator] == [2, 3]


def test_masked_pixel_loss():
    torch.manual_seed(0)
    logits = torch.randn(2, 1, 3, 4)
    target = torch.randint(0, 2, (2, 3, 4))
    target[0, 0] = UNLABELLED
    keep = target != UNLABELLED
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        logits[:, 0][keep], target[keep].float()
    )
    torch.testing.assert_close(MaskedPixelLoss()(logits, target), expected)
    logits = torch.randn(2, 3, 3, 4)
    expected = torch.nn.functional.cross_entropy(logits, target, ignore_index=UNLABELLED)
    torch.testing.assert_close(MaskedPixelLoss()(logits, target), expected)
    assert MaskedPixelLoss()(logits, torch.full_like(target, UNLABELLED)) == 0


@pytest.mark.parametrize("size, expected", [((8, 8), (8, 8)), ((5, 7), (8, 8)), ((1, 1), (4, 4)),
                                            ((13, 2), (16, 4))])
def test_pad_to_multiple(size, expected):
    X = torch.randn(2, 3, *size)
    padded, (top, left) = pad_to_multiple(X, 4)
    assert padded.shape == (2, 3, *expected)
    torch.testing.assert_close(padded[..., top : top + size[0], left : left + size[1]], X)
