"""Training and inference of the paper's MLP classifiers, shared by their estimators."""

import numpy as np
import torch

from ..models import MLP
from ._torch_support import BinaryNet, MulticlassNet, torch_seeded, training_settings


def train_mlp_classifier(estimator, features, class_index, n_classes, rng, description):
    """Train ``n_features -> estimator.hidden_units ReLU -> logits`` on class indices.

    One logit and a binary cross-entropy for two classes, ``n_classes`` logits
    and a softmax cross-entropy otherwise; Adam and the batch settings of
    :func:`~._torch_support.training_settings`.

    Parameters
    ----------
    estimator : BaseEstimator
        Supplies ``hidden_units`` and the training settings.
    features : ndarray of shape (n_samples, n_features), float32
        Preprocessed inputs.
    class_index : ndarray of shape (n_samples,)
        Index of each sample's class in ``classes_``.
    n_classes : int
        Number of classes, at least 2.
    rng : numpy.random.RandomState
        Seeds the initialisation and the shuffling.
    description : str
        Title of the progress bar.

    Returns
    -------
    net : skorch net
        The trained net.
    """
    binary = n_classes == 2
    net_class = BinaryNet if binary else MulticlassNet
    target = torch.from_numpy(class_index.astype(np.float32 if binary else np.int64))
    net = net_class(
        MLP,
        module__n_in=features.shape[1],
        module__n_hidden=estimator.hidden_units,
        module__n_out=1 if binary else n_classes,
        criterion=torch.nn.BCEWithLogitsLoss if binary else torch.nn.CrossEntropyLoss,
        callbacks__valid_acc=None,
        **training_settings(estimator, description),
    )
    with torch_seeded(rng):
        net.fit(torch.from_numpy(features), target)
    return net


def mlp_class_probabilities(net, features):
    """Class probabilities of preprocessed ``features``, rows summing to 1 in float64."""
    proba = net.predict_proba(torch.from_numpy(features)).astype(np.float64)
    # The net computes in float32; make each row sum to 1 in float64.
    return proba / proba.sum(axis=1, keepdims=True)
