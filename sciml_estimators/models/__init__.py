"""Plain PyTorch modules of the reference networks (no scikit-learn here)."""

from ._dms_cnn import DMSCNN
from ._magnon_cnn import MagnonCNN
from ._mlp import MLP
from ._saxs_2d_cnn import SAXS2DCNN
from ._unet import UNet

__all__ = ["DMSCNN", "MLP", "MagnonCNN", "SAXS2DCNN", "UNet"]
