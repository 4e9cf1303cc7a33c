"""A small CNN for 2-D SAXS patterns: three pooled conv blocks, global pooling, dense head."""

import torch
from torch import nn

#: Filters of the three convolutions.
CONV_CHANNELS = (16, 32, 64)


class SAXS2DCNN(nn.Module):
    """Conv 16, 32, 64 (3x3, ReLU, 2x2 max-pool each), global average pool, dense, logits.

    The convolutions pad by one pixel and the pools round up, as in
    :class:`MagnonCNN`, so any image size works, down to the 1-pixel-high
    rows that scikit-learn's estimator checks feed. The global average pool
    makes the head independent of the image size and of where in the
    pattern a feature sits (streaks, rings and lobes appear at any azimuth
    with random orientations). Weights and activations are channels-last.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` of the input images.
    n_out : int, default=1
        Number of logits: 1 for a binary task, the number of classes otherwise.
    n_hidden : int, default=64
        Width of the dense ReLU layer before the logits.

    Examples
    --------
    >>> import torch
    >>> from sciml_estimators.models import SAXS2DCNN
    >>> SAXS2DCNN((1, 32, 32), n_out=3).eval()(torch.zeros(2, 1, 32, 32)).shape
    torch.Size([2, 3])
    """

    def __init__(self, image_shape, n_out=1, n_hidden=64):
        super().__init__()
        channels = image_shape[0]
        layers = []
        for filters in CONV_CHANNELS:
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(2, ceil_mode=True)]
            channels = filters
        self.features = nn.Sequential(*layers)
        self.hidden = nn.Linear(channels, n_hidden)
        self.output = nn.Linear(n_hidden, n_out)
        self.n_out = n_out
        self.to(memory_format=torch.channels_last)

    def forward(self, X):
        features = self.features(X.contiguous(memory_format=torch.channels_last))
        pooled = features.mean(dim=(2, 3))
        logits = self.output(torch.relu(self.hidden(pooled)))
        return logits.squeeze(-1) if self.n_out == 1 else logits
