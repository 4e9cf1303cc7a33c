"""The paper's classification metrics: accuracy, log loss and F1."""

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, log_loss


def classification_scores(y_true, y_pred, proba, classes):
    """Accuracy, log loss and F1 of one set of predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities, columns in the order of ``classes``.
    classes : array-like of shape (n_classes,)
        The labels of the columns of ``proba``.

    Returns
    -------
    scores : dict
        ``accuracy``, ``log_loss`` (natural log, per sample) and ``f1``: F1 of
        the second class for binary tasks (the paper's), macro-averaged F1
        over the classes otherwise.

    Examples
    --------
    >>> from sciml_estimators.metrics import classification_scores
    >>> scores = classification_scores([0, 1, 1], [0, 1, 0],
    ...                                [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [0, 1])
    >>> {name: round(value, 3) for name, value in scores.items()}
    {'accuracy': 0.667, 'log_loss': 0.415, 'f1': 0.667}
    """
    classes = np.asarray(classes)
    binary = classes.size == 2
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "log_loss": float(log_loss(y_true, proba, labels=classes)),
        "f1": float(
            f1_score(
                y_true,
                y_pred,
                labels=classes,
                pos_label=classes[-1] if binary else 1,
                average="binary" if binary else "macro",
            )
        ),
    }
