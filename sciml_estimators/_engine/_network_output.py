"""Network outputs that do not depend on the other rows of their batch.

The nets train in float32, and a float32 matrix product rounds a row's dot
products differently depending on where the row falls in the blocks of its
batch: the same profile gave probabilities 1.4e-8 apart when the rows around
it were permuted, and regressor outputs far from zero moved by 1e-6. That is
above scikit-learn's tolerance for a row's answer to be its own (rtol 1e-7),
and it would make an answer depend on what else was predicted with it.

Every estimator's predictions therefore come from :func:`network_output`: an
inference copy of the trained module whose dense (``nn.Linear``) layers
compute in float64, which puts batch-dependent rounding near 1e-16. The
convolutions stay float32: they compute each image on its own, and in float64
a CPU convolution falls back to a path several times slower. Probabilities are
then taken from the float64 outputs (:func:`class_probabilities`). The cost is
measured by ``benchmarks/predict_precision_cost.py`` (``docs/performance.md``).
"""

import copy

import numpy as np
import torch
from scipy.special import expit, softmax
from torch import nn


#: At most this many rows per forward pass: the float64 activations of the pixel MLP's
#: 65,536-row batches (26 MB) spill out of cache; 4,096 rows made its float64 pass 2x
#: faster (277 -> 120 ms for 1.25 million pixels, one thread) and the SAXS MLP's no slower.
_ROWS_PER_PASS = 4096


def _as_float64(module, args):
    return tuple(arg.double() for arg in args)


def inference_module(net):
    """A copy of ``net.module_`` in eval mode whose ``nn.Linear`` layers compute in float64.

    Parameters
    ----------
    net : skorch.NeuralNet
        A trained net.

    Returns
    -------
    module : torch.nn.Module
        The copy; its dense layers take any floating input and return float64.
    """
    module = copy.deepcopy(net.module_).eval()
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            layer.double()
            layer.register_forward_pre_hook(_as_float64)
    return module


def network_output(net, features, batch_size):
    """The trained module's output for prepared ``features``, as float64, in batches.

    Parameters
    ----------
    net : skorch.NeuralNet
        A trained net; the output is computed on its device.
    features : ndarray of shape (n_samples, ...)
        Prepared float32 inputs, at least one row.
    batch_size : int
        Rows per forward pass, at most ``_ROWS_PER_PASS``.

    Returns
    -------
    output : ndarray of shape (n_samples, ...)
        The module's output (logits, or means and log-variances), float64.
    """
    module = inference_module(net)
    inputs = torch.from_numpy(np.ascontiguousarray(features))
    rows = min(batch_size, _ROWS_PER_PASS)
    outputs = []
    with torch.no_grad():
        for start in range(0, len(inputs), rows):
            batch = inputs[start : start + rows].to(net.device)
            outputs.append(module(batch).double().cpu())
    return torch.cat(outputs).numpy()


def class_probabilities(logits, axis=1):
    """Class probabilities (float64, summing to 1) from logits.

    Parameters
    ----------
    logits : ndarray
        One logit per sample for two classes (the class axis absent or of
        length 1), else one per class along ``axis``.
    axis : int, default=1
        The class axis of ``logits``.

    Returns
    -------
    proba : ndarray
        The probabilities, with the classes along the last axis.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim > axis and logits.shape[axis] > 1:
        return np.moveaxis(softmax(logits, axis=axis), axis, -1)
    if logits.ndim > axis:
        logits = np.squeeze(logits, axis=axis)
    positive = expit(logits)
    return np.stack([1 - positive, positive], axis=-1)
