"""Segmentation overlap: Dice and intersection over union, per class and on average."""

import numpy as np


def segmentation_scores(y_true, y_pred, classes, names=None):
    """Dice coefficient and IoU of a label image (or of many), per class.

    For a class with true pixels :math:`T` and predicted pixels :math:`P`,
    Dice is :math:`2|T \\cap P| / (|T| + |P|)` (the F1 score of that class's
    pixels) and IoU, the Jaccard index, :math:`|T \\cap P| / |T \\cup P|`;
    both are 1 where a class is neither true nor predicted anywhere.

    Parameters
    ----------
    y_true : array-like
        True labels, any shape (e.g. (n_images, height, width)).
    y_pred : array-like
        Predicted labels, the shape of ``y_true``.
    classes : array-like of shape (n_classes,)
        The labels, in order.
    names : sequence of str, default=None
        A name per class for the keys; the labels themselves by default.

    Returns
    -------
    scores : dict
        Binary tasks (two classes): ``dice`` and ``iou`` of the second
        class (the foreground, as :func:`classification_scores`' F1).
        More classes: ``dice_<name>`` and ``iou_<name>`` per class, and
        their means over the classes, ``mean_dice`` and ``mean_iou``.

    Examples
    --------
    >>> from sciml_estimators.metrics import segmentation_scores
    >>> segmentation_scores([[0, 1, 1, 1]], [[0, 1, 1, 0]], [0, 1])
    {'dice': 0.8, 'iou': 0.6666666666666666}
    >>> scores = segmentation_scores([0, 1, 2, 2], [0, 1, 1, 2], [0, 1, 2], ["glass", "a", "b"])
    >>> scores["iou_a"], scores["mean_dice"]
    (0.5, 0.7777777777777777)
    """
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must hold as many labels; got {y_true.size} and {y_pred.size}."
        )
    classes = np.asarray(classes)
    names = [str(label) for label in classes] if names is None else [str(n) for n in names]
    if len(names) != classes.size:
        raise ValueError(f"names must name the {classes.size} classes; got {len(names)} names.")
    dice, iou = {}, {}
    for label, name in zip(classes, names):
        true, pred = y_true == label, y_pred == label
        both = int(np.count_nonzero(true & pred))
        n_true, n_pred = int(np.count_nonzero(true)), int(np.count_nonzero(pred))
        total = n_true + n_pred
        dice[name] = 2 * both / total if total else 1.0
        iou[name] = both / (total - both) if total else 1.0
    if classes.size == 2:
        return {"dice": dice[names[1]], "iou": iou[names[1]]}
    scores = {}
    for name in names:
        scores[f"dice_{name}"], scores[f"iou_{name}"] = dice[name], iou[name]
    scores["mean_dice"] = float(np.mean(list(dice.values())))
    scores["mean_iou"] = float(np.mean(list(iou.values())))
    return scores
