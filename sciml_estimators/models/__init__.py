"""Plain PyTorch modules of the reference networks (no scikit-learn here)."""

from ._mlp import MLP

__all__ = ["MLP"]
