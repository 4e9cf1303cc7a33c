"""The paper's DMS network: two pooled 3x3 convolutions with dropout, two dense layers."""

import math

import torch
from torch import nn


class DMSCNN(nn.Module):
    """Conv 32 (3x3), pool, dropout 0.2, conv 64 (3x3), pool, dense 32, dense 16, output.

    ReLU after every hidden layer (Hey et al. 2020, "DMS network methods").
    As in :class:`MagnonCNN`, the convolutions pad by one pixel and the pools
    round up, so any image size works, and activations are channels-last.
    The paper gives no dropout for the dense layers; there is none here.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of the input images.
    n_out : int, default=2
        Number of linear outputs (two for an angle on the circle: cos, sin).

    Examples
    --------
    >>> import torch
    >>> from sciml_estimators.models import DMSCNN
    >>> DMSCNN((1, 32, 32)).eval()(torch.zeros(2, 1, 32, 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, image_shape, n_out=2):
        super().__init__()
        channels, height, width = image_shape
        self.features = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Dropout(0.2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
        )
        flat = 64 * math.ceil(math.ceil(height / 2) / 2) * math.ceil(math.ceil(width / 2) / 2)
        self.head = nn.Sequential(nn.Linear(flat, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                                  nn.Linear(16, n_out))
        self.to(memory_format=torch.channels_last)

    def forward(self, X):
        features = self.features(X.contiguous(memory_format=torch.channels_last))
        return self.head(features.contiguous().flatten(1))
