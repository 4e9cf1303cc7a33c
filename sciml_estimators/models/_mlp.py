"""Fully connected networks of the paper's baselines."""

import torch
from torch import nn


class MLP(nn.Module):
    """One-hidden-layer perceptron returning logits.

    The paper's SAXS-1D baseline is ``n_in -> 100 ReLU -> 1 sigmoid``; the
    sigmoid (or softmax for several classes) belongs to the loss and to
    ``predict_proba``, so the module returns logits. Two ``Linear`` children
    and a functional ReLU, not an ``nn.Sequential``: with small batches every
    module call and mode switch is a measurable part of a training step.

    Parameters
    ----------
    n_in : int
        Number of input features (q points).
    n_hidden : int, default=100
        Width of the hidden ReLU layer.
    n_out : int, default=1
        Number of logits: 1 for a binary task, the number of classes otherwise.

    Examples
    --------
    >>> import torch
    >>> from sciml_estimators.models import MLP
    >>> MLP(300).eval()(torch.zeros(4, 300)).shape  # one logit per sample
    torch.Size([4])
    >>> MLP(300, n_out=3).eval()(torch.zeros(4, 300)).shape
    torch.Size([4, 3])
    """

    def __init__(self, n_in, n_hidden=100, n_out=1):
        super().__init__()
        self.hidden = nn.Linear(n_in, n_hidden)
        self.output = nn.Linear(n_hidden, n_out)
        self.n_out = n_out

    def forward(self, X):
        logits = self.output(torch.relu(self.hidden(X)))
        return logits.squeeze(-1) if self.n_out == 1 else logits
