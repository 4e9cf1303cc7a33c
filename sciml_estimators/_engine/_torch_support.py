"""What every skorch-backed estimator needs: devices, seeds, batches, progress."""

import contextlib

import torch
from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier, NeuralNetRegressor
from skorch.callbacks import Callback
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator
from tqdm.auto import tqdm

from .._framework import optimizers, set_training, zero_grad
from ..preprocessing._blocks import shuffle_block_rows
from ._streaming import shuffled_order

DEVICES = ("cpu", "cuda", "auto")


def resolve_device(device):
    """Map ``"cpu"``, ``"cuda"`` or ``"auto"`` to a torch device string.

    Raises
    ------
    ValueError
        If ``device="cuda"`` and torch sees no CUDA device.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            "device='cuda' was requested but torch sees no CUDA device "
            f"(torch {torch.__version__}, built for CUDA {torch.version.cuda}); "
            "use device='cpu' or device='auto'."
        )
    return device


@contextlib.contextmanager
def torch_seeded(rng):
    """Seed torch from ``rng`` without touching the caller's global RNG state."""
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(rng.randint(2**31 - 1))
        yield


class BatchIterator:
    """Mini-batches sliced from whole tensors, without per-sample collation.

    skorch's default ``DataLoader`` indexes and collates one sample at a time,
    which costs more than the forward pass of a small network; slicing the
    stored tensors costs one gather per batch. Used as skorch's
    ``iterator_train`` and ``iterator_valid``.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset
        Dataset whose ``X`` (and ``y``, if any) are tensors of equal length.
    batch_size : int
        Samples per batch; the last batch may be smaller.
    shuffle : bool, default=False
        Visit the samples in a new random order on every pass, drawn from
        torch's global generator (seeded by :func:`torch_seeded` in ``fit``).
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.X, self.y = dataset.X, dataset.y
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def batch_rows(self):
        """The rows of each batch: slices in order, or index tensors when shuffling.

        The shuffle is :func:`~._streaming.shuffled_order`'s: ``torch.randperm``
        for sets up to 256 MB of features, windows of blocks beyond, whether
        the rows are in memory or on disk.
        """
        n = len(self.X)
        order = (shuffled_order(n, shuffle_block_rows(self.X.shape)) if self.shuffle
                 else None)
        for start in range(0, n, self.batch_size):
            if order is None:
                yield slice(start, start + self.batch_size)
            else:
                yield order[start : start + self.batch_size]

    def __iter__(self):
        for rows in self.batch_rows():
            yield _as_tensor(self.X, rows), (None if self.y is None else self.y[rows])


def _as_tensor(X, rows):
    """Rows ``rows`` of a tensor, or of a :class:`~..preprocessing._blocks.FeatureRows`."""
    if isinstance(X, torch.Tensor):
        return X[rows]
    return torch.from_numpy(X[rows.numpy() if isinstance(rows, torch.Tensor) else rows])


class EpochProgress(Callback):
    """A progress bar over training epochs showing the latest training loss.

    One update per epoch, so the per-batch cost of training is unchanged.
    """

    def __init__(self, description="training"):
        self.description = description

    def on_train_begin(self, net, **kwargs):
        self.bar_ = tqdm(total=net.max_epochs, desc=self.description, unit="epoch", leave=False)

    def on_epoch_end(self, net, **kwargs):
        self.bar_.set_postfix(loss=f"{net.history[-1, 'train_loss']:.4g}")
        self.bar_.update()

    def on_train_end(self, net, **kwargs):
        self.bar_.close()
        del self.bar_


class DirectStepMixin:
    """skorch's training loop without the work a hand-written loop skips.

    Measured on the SAXS MLP (batch 32, one CPU thread, ~570 us a step by
    hand), each layer of skorch's per-batch Python costs 10-25 us, and
    together they made fit 1.16x slower than a plain loop. This mixin keeps
    skorch's loop, callbacks and history, and drops what our nets do not need:

    - the optimizer closure (only LBFGS-like optimizers need one): Adam is
      stepped directly;
    - train mode reset before every batch: set once per training epoch, as
      no callback of ours switches modes mid-epoch;
    - skorch's input conversions in ``infer`` and ``get_loss``: batches are
      tensors (see :class:`BatchIterator`), moved to the device as they are,
      and criteria take the module's logits as they are;
    - the generic batch-length lookup of the epoch loop: ``len(X)``.

    Training is bit-identical to skorch's own loop (tested), history included.
    """

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        if iterator is None:
            return
        if training:
            set_training(self, True)
        batch_count = 0
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            self.history.record_batch(prefix + "_loss", step["loss"].item())
            self.history.record_batch(prefix + "_batch_size", len(batch[0]))
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        self.history.record(prefix + "_batch_count", batch_count)

    def infer(self, x, **fit_params):
        return self.module_(x.to(self.device), **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return self.criterion_(y_pred, y_true.to(self.device))

    def train_step_single(self, batch, **fit_params):
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def train_step(self, batch, **fit_params):
        zero_grad(self)
        step = self.train_step_single(batch, **fit_params)
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(self.get_all_learnable_params()),
            batch=batch,
            training=True,
        )
        for optimizer in optimizers(self):
            optimizer.step()
        return step


class BinaryNet(DirectStepMixin, NeuralNetBinaryClassifier):
    """skorch's binary classifier net with :class:`DirectStepMixin`."""


class MulticlassNet(DirectStepMixin, NeuralNetClassifier):
    """skorch's multi-class classifier net with :class:`DirectStepMixin`."""


class RegressionNet(DirectStepMixin, NeuralNetRegressor):
    """skorch's regressor net with :class:`DirectStepMixin`."""
