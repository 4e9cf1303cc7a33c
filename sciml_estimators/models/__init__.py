"""Plain PyTorch modules of the reference networks (no scikit-learn here)."""

from ._magnon_cnn import MagnonCNN
from ._mlp import MLP

__all__ = ["MLP", "MagnonCNN"]
