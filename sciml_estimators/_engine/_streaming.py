"""Training from on-disk datasets without loading them whole.

An on-disk array (what :func:`~sciml_estimators.datasets.load_dataset`
returns, or an h5py, Zarr or Dask array) is read in blocks of rows to learn the
preprocessing, then in mini-batches whose features are computed as they are
read. In-memory arrays go through the same block-wise statistics, and the
features are element-wise, so a model trained from a file is the one trained
from the same array in memory with the same seed (tested).

Shuffling: a set of at most one window (256 MB of float32 features) is
shuffled whole (``torch.randperm``). A larger one is cut into blocks of
about 4 MB of consecutive rows; every pass visits the blocks in a random
order, 64 at a time (one window), and the rows of each window in a random
order (:func:`shuffled_order`). Every batch then mixes rows from 64 places
of the set, and a file is read one block (one slice) at a time, each block
once per pass (:class:`FeatureRows` keeps two windows). Memory and file
share the order, so the equivalence above holds at any size.
"""

import functools

import numpy as np
import torch
from sklearn.utils.validation import check_consistent_length

from .._framework import check_y
from ..preprocessing import _blocks
from ..preprocessing._blocks import _row_values, is_on_disk, read_rows

#: Values per block of inference on an on-disk X (~32 MB of float32).
_PREDICT_BLOCK_VALUES = 2**23


def shuffled_order(n, block_rows):
    """A random order of ``n`` rows, from torch's generator: whole, or by windows of blocks.

    At most ``_blocks._WINDOW_BLOCKS`` blocks of ``block_rows`` rows: ``torch.randperm(n)``.
    More: the blocks (consecutive rows) in a random order, and within each
    window of ``_blocks._WINDOW_BLOCKS`` of them the rows in a random order.

    Parameters
    ----------
    n : int
        Number of rows.
    block_rows : int
        Rows per block (see :func:`shuffle_block_rows`).

    Returns
    -------
    order : torch.Tensor of int64, shape (n,)
    """
    if n <= block_rows * _blocks._WINDOW_BLOCKS:
        return torch.randperm(n)
    blocks = torch.randperm(-(-n // block_rows))
    offsets = torch.arange(block_rows)
    parts = []
    for first in range(0, len(blocks), _blocks._WINDOW_BLOCKS):
        rows = (blocks[first : first + _blocks._WINDOW_BLOCKS, None] * block_rows + offsets).ravel()
        rows = rows[rows < n]
        parts.append(rows[torch.randperm(len(rows))])
    return torch.cat(parts)


def as_net_input(features):
    """What the skorch net trains on: a tensor of in-memory features, or the rows object."""
    return torch.from_numpy(features) if isinstance(features, np.ndarray) else features


def check_on_disk(estimator, X, y, *, allow_nd=False, multi_output=False, y_numeric=False):
    """``validate_data`` for an on-disk ``X``: check its shape and dtype and load ``y``.

    Sets ``n_features_in_`` and returns ``y`` validated in memory (targets
    are small); ``X`` stays on disk.

    Raises
    ------
    ValueError
        If ``X`` has the wrong number of dimensions, a non-numeric dtype, no
        rows, or another length than ``y``.
    """
    name = type(estimator).__name__
    if len(X.shape) < 2 or (not allow_nd and len(X.shape) != 2):
        expected = "2 or more" if allow_nd else "2"
        raise ValueError(f"{name} expects on-disk X with {expected} dimensions; got shape "
                         f"{tuple(X.shape)}.")
    if np.dtype(X.dtype).kind not in "biuf":
        raise ValueError(f"{name} expects numbers in X; the on-disk array holds "
                         f"{np.dtype(X.dtype)}.")
    if len(X) == 0:
        raise ValueError(f"{name} needs at least one sample; the on-disk X is empty.")
    y = check_y(np.asarray(y), multi_output=multi_output, y_numeric=y_numeric,
                 estimator=estimator)
    check_consistent_length(X, y)
    estimator.n_features_in_ = X.shape[1]
    return y


def blockwise_on_disk(method):
    """Run an inference method block by block when ``X`` is on disk.

    The method sees in-memory blocks of at most ``predict_batch_size`` rows
    (if the estimator has one) and ~8 million values (and validates them as
    usual); keyword arrays of ``X``'s shape are cut into the same blocks. Array outputs (masked ones
    included), or tuples of them, are concatenated.
    """

    @functools.wraps(method)
    def wrapper(self, X, *args, **kwargs):
        if not is_on_disk(X):
            return method(self, X, *args, **kwargs)
        batch = getattr(self, "predict_batch_size", None) or len(X)
        size = max(1, min(batch, _PREDICT_BLOCK_VALUES // _row_values(X.shape)))
        shape = tuple(X.shape)
        parts = []
        for start in range(0, len(X), size):
            rows = slice(start, start + size)
            block_kwargs = {
                key: read_rows(value, rows) if tuple(np.shape(value)) == shape else value
                for key, value in kwargs.items()
            }
            parts.append(method(self, read_rows(X, rows), *args, **block_kwargs))
        if isinstance(parts[0], tuple):
            return tuple(_concatenate(column) for column in zip(*parts))
        return _concatenate(parts)

    return wrapper


def _concatenate(parts):
    masked = any(isinstance(part, np.ma.MaskedArray) for part in parts)
    return np.ma.concatenate(parts) if masked else np.concatenate(parts)
