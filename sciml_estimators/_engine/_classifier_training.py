"""Training and inference of the classifier networks, shared by their estimators."""

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets

from ._streaming import as_net_input
from ._torch_support import BinaryNet, MulticlassNet, torch_seeded
from ._training_settings import training_settings


def class_index(estimator, labels, samples="samples"):
    """The classes in ``labels`` and each label's index among them.

    Parameters
    ----------
    estimator : BaseEstimator
        Named in the error.
    labels : ndarray of shape (n_samples,)
        Validated labels.
    samples : str, default="samples"
        What the labels label, for the error ("samples", "pixels").

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The sorted classes (the estimator's ``classes_``).
    index : ndarray of shape (n_samples,)
        Index of each label in ``classes``.

    Raises
    ------
    ValueError
        For targets that are not class labels, or a single class.
    """
    check_classification_targets(labels)
    classes, index = np.unique(labels, return_inverse=True)
    if classes.size < 2:
        raise ValueError(
            f"{type(estimator).__name__} needs {samples} of at least 2 classes; got 1 class "
            f"({classes[0]!r})."
        )
    return classes, index


def train_classifier(estimator, module, features, class_index, n_classes, rng, description,
                     **module_params):
    """Train ``module`` on class indices: one logit and BCE for 2 classes, softmax otherwise.

    One logit and a binary cross-entropy for two classes, ``n_classes`` logits
    (``module__n_out``) and a softmax cross-entropy otherwise; Adam and the
    batch settings of :func:`~._training_settings.training_settings`.

    Parameters
    ----------
    estimator : BaseEstimator
        Supplies the training settings.
    module : type of torch.nn.Module
        The network; it takes ``n_out`` and ``module_params``.
    features : ndarray of shape (n_samples, ...), float32, or FeatureRows
        Preprocessed inputs, or rows that compute them batch by batch.
    class_index : ndarray of shape (n_samples,)
        Index of each sample's class in ``classes_``.
    n_classes : int
        Number of classes, at least 2.
    rng : numpy.random.RandomState
        Seeds the initialisation and the shuffling.
    description : str
        Title of the progress bar.
    **module_params
        The network's other constructor arguments.

    Returns
    -------
    net : skorch net
        The trained net.
    """
    binary = n_classes == 2
    net_class = BinaryNet if binary else MulticlassNet
    target = torch.from_numpy(class_index.astype(np.float32 if binary else np.int64))
    net = net_class(
        module,
        module__n_out=1 if binary else n_classes,
        **{f"module__{name}": value for name, value in module_params.items()},
        criterion=torch.nn.BCEWithLogitsLoss if binary else torch.nn.CrossEntropyLoss,
        callbacks__valid_acc=None,
        **training_settings(estimator, description),
    )
    with torch_seeded(rng):
        net.fit(as_net_input(features), target)
    return net
