"""segmentation_scores against scikit-learn's F1 and Jaccard scores of each class."""

import numpy as np
import pytest
from sklearn.metrics import f1_score, jaccard_score

from sciml_estimators.metrics import segmentation_scores


def test_binary_dice_and_iou_are_the_foreground_f1_and_jaccard():
    rng = np.random.default_rng(0)
    y_true = rng.random((3, 20, 20)) < 0.4
    y_pred = y_true ^ (rng.random((3, 20, 20)) < 0.2)
    scores = segmentation_scores(y_true, y_pred, [False, True])
    assert scores["dice"] == pytest.approx(f1_score(y_true.ravel(), y_pred.ravel()), rel=1e-12)
    assert scores["iou"] == pytest.approx(jaccard_score(y_true.ravel(), y_pred.ravel()),
                                          rel=1e-12)


def test_per_class_scores_and_their_means():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 4, size=(2, 16, 16))
    y_pred = np.where(rng.random(y_true.shape) < 0.3, rng.integers(0, 4, y_true.shape), y_true)
    names = ["glass", "a", "b", "c"]
    scores = segmentation_scores(y_true, y_pred, [0, 1, 2, 3], names)
    f1 = f1_score(y_true.ravel(), y_pred.ravel(), average=None, labels=[0, 1, 2, 3])
    iou = jaccard_score(y_true.ravel(), y_pred.ravel(), average=None, labels=[0, 1, 2, 3])
    np.testing.assert_allclose([scores[f"dice_{n}"] for n in names], f1, rtol=1e-12)
    np.testing.assert_allclose([scores[f"iou_{n}"] for n in names], iou, rtol=1e-12)
    assert scores["mean_dice"] == pytest.approx(f1.mean(), rel=1e-12)
    assert scores["mean_iou"] == pytest.approx(iou.mean(), rel=1e-12)


def test_a_class_absent_from_both_scores_one():
    assert segmentation_scores([0, 0], [0, 0], [0, 1, 2])["iou_2"] == 1.0


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="as many labels; got 3 and 2"):
        segmentation_scores([0, 1, 1], [0, 1], [0, 1])
    with pytest.raises(ValueError, match="names must name the 2 classes; got 3"):
        segmentation_scores([0, 1], [0, 1], [0, 1], ["a", "b", "c"])
