"""Training segmentation networks: random crops of scenes, a loss over labelled pixels.

A segmentation estimator trains on label images with unlabelled pixels
(``UNLABELLED``: non-finite channels, padding), on random crops drawn anew
every epoch (:class:`PatchIterator`), with scenes padded to a multiple of the
network's pooling (:func:`pad_to_multiple`) in training and in inference.
"""

import math

import torch
import torch.nn.functional as F
from skorch import NeuralNet

from ._distributed import process_share
from ._torch_support import DirectStepMixin

#: Label of the pixels the loss ignores (non-finite channels, padding).
UNLABELLED = -1


class SegmentationNet(DirectStepMixin, NeuralNet):
    """skorch's plain net, whose targets are label images, with :class:`DirectStepMixin`."""


class MaskedPixelLoss(torch.nn.Module):
    """Cross-entropy averaged over the labelled pixels.

    Logits of shape (n, 1, H, W) take binary cross-entropy with a sigmoid,
    (n, n_classes, H, W) cross-entropy with a softmax; targets are class
    indices of shape (n, H, W), ``UNLABELLED`` (-1) where the loss ignores
    the pixel. 0 for a batch without labelled pixels.
    """

    def forward(self, logits, target):
        labelled = target != UNLABELLED
        index = target.clamp(min=0).long()
        if logits.shape[1] == 1:
            loss = F.binary_cross_entropy_with_logits(
                logits[:, 0], index.to(logits.dtype), reduction="none"
            )
        else:
            loss = F.cross_entropy(logits, index, reduction="none")
        return (loss * labelled).sum() / labelled.sum().clamp(min=1)


class PatchIterator:
    """Training batches of random crops of the scenes, drawn anew on every pass.

    Each pass draws ``patches_per_scene`` crops of ``patch_size`` from every
    scene (at uniformly random positions, from torch's global generator,
    seeded by :func:`torch_seeded` in ``fit``), or takes scenes no larger
    than a patch whole, once; visits them in a random order; and pads each
    batch as inference pads scenes (:func:`pad_to_multiple`, padding
    unlabelled). Crops are gathered by tensor indexing, one gather per batch.
    Used as skorch's ``iterator_train``.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset
        ``X`` the scenes, a tensor (n_scenes, n_channels, height, width);
        ``y`` their labels, a tensor (n_scenes, height, width).
    batch_size : int
        Patches per batch; the last batch may be smaller.
    patch_size : int
        Height and width of the crops (at most the scenes').
    patches_per_scene : int or None
        Crops per scene and pass; None covers the scene's area once on
        average.
    multiple : int
        Batches are padded to a multiple of this many pixels (``2**depth``).

    Notes
    -----
    Under an initialised ``torch.distributed`` process group every process
    draws the same patches and takes patches ``rank::world_size`` of each
    batch; a last batch too small for every process to get its minimum
    joins the one before. ``batch_size`` must give every process at least
    that minimum (two patches where BatchNorm sees one bottleneck pixel).
    """

    #: Each process of a ``torch.distributed`` group trains on its share of a batch.
    shares_batches = True

    def __init__(self, dataset, batch_size, patch_size, patches_per_scene, multiple):
        self.X, self.y = dataset.X, dataset.y
        n_scenes, _, height, width = self.X.shape
        self.patch_shape = (min(patch_size, height), min(patch_size, width))
        if self.patch_shape == (height, width):
            count = 1
        elif patches_per_scene is None:
            count = math.ceil(height * width / math.prod(self.patch_shape))
        else:
            count = patches_per_scene
        self.n_patches = n_scenes * count
        self.multiple = multiple
        # BatchNorm needs two values per channel: with a 1-pixel bottleneck, two patches.
        bottleneck = [-(-size // multiple) for size in self.patch_shape]
        self.batch_size = max(batch_size, 2) if bottleneck == [1, 1] else batch_size
        self.min_batch = 2 if bottleneck == [1, 1] else 1
        self.rank, self.world_size = process_share()
        if self.batch_size < self.world_size * self.min_batch:
            raise ValueError(
                f"batch_size={batch_size} cannot be shared among {self.world_size} processes "
                f"with at least {self.min_batch} patch(es) each; use batch_size >= "
                f"{self.world_size * self.min_batch}."
            )

    def __len__(self):
        return len(self._starts())

    def _starts(self):
        """First patch of every batch; a too small last batch joins the one before."""
        starts = list(range(0, self.n_patches, self.batch_size))
        if len(starts) > 1 and self.n_patches - starts[-1] < self.min_batch * self.world_size:
            starts.pop()
        return starts

    def __iter__(self):
        n_scenes, _, height, width = self.X.shape
        patch_height, patch_width = self.patch_shape
        scenes = torch.arange(n_scenes).repeat(self.n_patches // n_scenes)
        scenes = scenes[torch.randperm(self.n_patches)]
        tops = torch.randint(0, height - patch_height + 1, (self.n_patches,))
        lefts = torch.randint(0, width - patch_width + 1, (self.n_patches,))
        starts = self._starts()
        ends = starts[1:] + [self.n_patches]
        for start, end in zip(starts, ends):
            share = slice(start + self.rank, end, self.world_size)
            index = scenes[share]
            if self.patch_shape == (height, width):
                X, y = self.X[index], self.y[index]
            else:
                rows = (tops[share, None] + torch.arange(patch_height))[:, :, None]
                cols = (lefts[share, None] + torch.arange(patch_width))[:, None, :]
                y = self.y[index[:, None, None], rows, cols]
                X = self.X[index[:, None, None], :, rows, cols].permute(0, 3, 1, 2)
            X, (top, left) = pad_to_multiple(X, self.multiple)
            if X.shape[-2:] != y.shape[-2:]:
                padded = torch.full((len(y), *X.shape[-2:]), UNLABELLED, dtype=y.dtype)
                padded[:, top : top + y.shape[1], left : left + y.shape[2]] = y
                y = padded
            yield X, y


def pad_to_multiple(X, multiple):
    """Pad images (n, C, H, W) on all sides to a multiple of ``multiple`` pixels.

    The padding mirrors the image (``"reflect"``), or repeats its edge
    (``"replicate"``) where the image is too small to mirror.

    Returns
    -------
    padded : torch.Tensor
        The padded images.
    offset : tuple of int
        (top, left): where the original images start in ``padded``.
    """
    height, width = X.shape[-2:]
    pad_height, pad_width = -height % multiple, -width % multiple
    if not (pad_height or pad_width):
        return X, (0, 0)
    top, left = pad_height // 2, pad_width // 2
    mode = "reflect" if pad_height < height and pad_width < width else "replicate"
    padding = (left, pad_width - left, top, pad_height - top)
    return F.pad(X, padding, mode=mode), (top, left)
