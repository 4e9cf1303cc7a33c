"""What every skorch-backed estimator needs: devices, seeds, batches, progress."""

import contextlib

import torch
from skorch.callbacks import Callback
from tqdm.auto import tqdm

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

    def __iter__(self):
        n = len(self.X)
        order = torch.randperm(n) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                rows = slice(start, start + self.batch_size)
            else:
                rows = order[start : start + self.batch_size]
            yield self.X[rows], (None if self.y is None else self.y[rows])


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
