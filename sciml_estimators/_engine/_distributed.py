"""Data-parallel training with ``torch.distributed``: sharded batches, DDP, a launcher.

When a ``torch.distributed`` process group is initialised (``torchrun`` and
``init_process_group``, or :func:`fit_distributed`), every estimator's ``fit``
trains data-parallel (see ``training_settings`` in ``_training_settings``):

- every process draws the same shuffle of the samples (all are seeded alike
  from ``random_state``) and takes rows ``rank::world_size`` of each global
  mini-batch (:class:`DistributedBatchIterator`);
- the module is wrapped in :class:`torch.nn.parallel.DistributedDataParallel`
  for the training (:class:`DistributedDataParallelCallback`): rank 0's
  initial weights are broadcast and the gradients are averaged over the
  processes, so every process takes the same optimizer steps; the module is
  unwrapped at the end, and the fitted estimator predicts and pickles as
  usual.

With losses that are means over the batch (all of ours), the averaged
gradient is the single-process one when every process's share of a batch
has the same size: ``batch_size`` divisible by the number of processes, and
the last batch too (``n_samples % batch_size`` divisible, or 0). Otherwise
the processes' mean gradients are averaged with equal weights, a slightly
different (still unbiased) step. A process with an empty share of the last
batch skips it (DDP's ``join`` matches the other processes' gradient
all-reduces; the gradient is then averaged over the processes that have
rows, one each, which again equals the single-process gradient).
"""

import contextlib
import gc
import numbers
import os
import pickle
import socket
import tempfile
import warnings

import torch
import torch.distributed as dist
from skorch.callbacks import Callback

from .._framework import optimizers
from ..exceptions import SciMLEstimatorsWarning
from ._torch_support import BatchIterator, EpochProgress

BACKENDS = ("gloo", "nccl")


def _rank_and_world_size():
    """This process's rank and the number of processes of the default group."""
    return dist.get_rank(), dist.get_world_size()


def process_share():
    """``(rank, world_size)`` of the default process group, or ``(0, 1)`` without one."""
    if dist.is_available() and dist.is_initialized():
        return _rank_and_world_size()
    return 0, 1


def distributed_training_settings(estimator, settings):
    """Turn the single-process net settings into data-parallel ones.

    Called by ``training_settings`` when a process group is initialised.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator being fitted.
    settings : dict
        The net settings of ``training_settings``.

    Returns
    -------
    settings : dict
        A copy with :class:`DistributedBatchIterator` as ``iterator_train`` and
        :class:`DistributedDataParallelCallback` first among the callbacks
        (the progress bar kept on rank 0 only).

    Raises
    ------
    ValueError
        If ``estimator.random_state`` is None, or ``batch_size`` is smaller
        than the number of processes.
    """
    check_distributed_random_state(estimator)
    rank, world_size = _rank_and_world_size()
    if estimator.batch_size < world_size:
        raise ValueError(
            f"{type(estimator).__name__}(batch_size={estimator.batch_size}) cannot be "
            f"trained on {world_size} processes: each batch is shared among the processes, "
            f"so batch_size must be at least {world_size} (ideally a multiple of it)."
        )
    callbacks = [
        callback for callback in settings.get("callbacks") or []
        if rank == 0 or not isinstance(callback, EpochProgress)
    ]
    return dict(
        settings,
        iterator_train=DistributedBatchIterator,
        callbacks=[DistributedDataParallelCallback(), *callbacks],
    )


def check_distributed_random_state(estimator):
    """Raise unless ``estimator.random_state`` makes every process draw alike.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator to be fitted on several processes.

    Raises
    ------
    ValueError
        If ``estimator.random_state`` is None.
    """
    if getattr(estimator, "random_state", None) is None:
        raise ValueError(
            f"Distributed training of {type(estimator).__name__} needs an int random_state: "
            "every process must draw the same initial weights and the same shuffles, and "
            "random_state=None draws differently in each process. Set random_state=0 (or "
            "any int)."
        )


class DistributedBatchIterator(BatchIterator):
    """This process's share of every mini-batch of a :class:`BatchIterator`.

    Draws the batches of the single-process iterator (the same shuffle on
    every process, as all are seeded alike) and yields rows
    ``rank::world_size`` of each, skipping a share that is empty (when a
    batch has fewer rows than there are processes).

    Parameters
    ----------
    dataset : skorch.dataset.Dataset
        Dataset whose ``X`` (and ``y``, if any) are tensors of equal length.
    batch_size : int
        Samples per global batch, over all processes.
    shuffle : bool, default=False
        Visit the samples in a new random order on every pass.
    rank : int or None, default=None
        This process's index; None takes it from the default process group.
    world_size : int or None, default=None
        Number of processes; None takes it from the default process group.
    """

    #: Each process trains on its share of a batch (see ``DistributedDataParallelCallback``).
    shares_batches = True

    def __init__(self, dataset, batch_size, shuffle=False, rank=None, world_size=None):
        super().__init__(dataset, batch_size, shuffle=shuffle)
        if rank is None or world_size is None:
            group_rank, group_size = _rank_and_world_size()
            rank = group_rank if rank is None else rank
            world_size = group_size if world_size is None else world_size
        if not 0 <= rank < world_size:
            raise ValueError(f"rank must be in [0, {world_size}); got {rank}.")
        self.rank, self.world_size = rank, world_size

    def __len__(self):
        n, size = len(self.X), self.batch_size
        full, last = divmod(n, size)
        share = 1 if self.rank < size else 0
        return full * share + (1 if self.rank < last else 0)

    def batch_rows(self):
        """This process's rows of each global batch: strided slices or index tensors.

        Yields
        ------
        rows : slice or torch.Tensor
            Rows ``rank::world_size`` of the next global batch that has any
            for this process.
        """
        n = len(self.X)
        for rows in super().batch_rows():
            if isinstance(rows, slice):
                share = slice(rows.start + self.rank, min(rows.stop, n), self.world_size)
                empty = share.start >= share.stop
            else:
                share = rows[self.rank :: self.world_size]
                empty = len(share) == 0
            if not empty:
                yield share


class DistributedDataParallelCallback(Callback):
    """Train a skorch net's module wrapped in ``DistributedDataParallel``.

    On ``on_train_begin`` the module is wrapped (rank 0's parameters and
    buffers are broadcast to the other processes; on CUDA with
    ``device_ids=[torch.cuda.current_device()]``), after checking that the
    optimizers step exactly the module's parameters, which DDP keeps; on
    ``on_train_end`` it is unwrapped. When a process has no rows in some
    batch (see :class:`DistributedBatchIterator`), each epoch runs in DDP's
    ``join`` context so that the other processes' gradient all-reduces are
    matched. At the end of each epoch the recorded ``train_loss`` becomes
    the mean over all processes' samples (the per-batch records stay each
    process's own).
    """

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        module = net.module_
        if isinstance(module, torch.nn.parallel.DistributedDataParallel):
            module = module.module  # left wrapped by an interrupted fit
        trained = {id(p) for p in module.parameters() if p.requires_grad}
        stepped = {
            id(p)
            for optimizer in optimizers(net)
            for group in optimizer.param_groups
            for p in group["params"]
        }
        if stepped != trained:
            raise RuntimeError(
                "The optimizer does not step exactly the module's trainable parameters; "
                "DistributedDataParallel would average gradients that are not used."
            )
        _, world_size = _rank_and_world_size()
        if X is not None and len(X) < world_size:
            raise ValueError(
                f"Cannot train on {len(X)} samples with {world_size} processes: every "
                "process needs at least one sample."
            )
        iterator = net.iterator_train
        self.join_ = False
        if isinstance(iterator, type) and issubclass(iterator, DistributedBatchIterator):
            batch_size = getattr(net, "iterator_train__batch_size", net.batch_size)
            remainder = len(X) % batch_size if X is not None else 0
            self.join_ = 0 < remainder < world_size
        elif not getattr(iterator, "shares_batches", False):
            warnings.warn(
                f"{getattr(iterator, '__name__', iterator)} does not share batches among the "
                "processes: each trains on the whole batches, which all draw alike, so the "
                "model is the single-process one but training is not faster.",
                SciMLEstimatorsWarning,
                stacklevel=2,
            )
        on_cuda = any(p.is_cuda for p in module.parameters())
        self.ddp_ = torch.nn.parallel.DistributedDataParallel(
            module, device_ids=[torch.cuda.current_device()] if on_cuda else None
        )
        self.join_context_ = None
        net.module_ = self.ddp_

    def on_epoch_begin(self, net, **kwargs):
        if self.join_:
            self.join_context_ = self.ddp_.join(divide_by_initial_world_size=False)
            self.join_context_.__enter__()

    def on_epoch_end(self, net, **kwargs):
        if self.join_context_ is not None:
            context, self.join_context_ = self.join_context_, None
            context.__exit__(None, None, None)
        batches = net.history[-1, "batches"]
        sizes = [batch.get("train_batch_size", 0) for batch in batches]
        losses = [batch.get("train_loss", 0.0) for batch in batches]
        device = (torch.device("cuda", torch.cuda.current_device())
                  if dist.get_backend() == "nccl" else torch.device("cpu"))
        totals = torch.tensor(
            [sum(s * loss for s, loss in zip(sizes, losses)), sum(sizes)],
            dtype=torch.float64, device=device,
        )
        dist.all_reduce(totals)
        if "train_loss" in net.history[-1]:
            net.history.record("train_loss", (totals[0] / totals[1]).item())

    def on_train_end(self, net, **kwargs):
        if self.join_context_ is not None:
            context, self.join_context_ = self.join_context_, None
            context.__exit__(None, None, None)
        net.module_ = self.ddp_.module
        del self.ddp_


def _free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker(rank, world_size, backend, port, estimator, X, y, folder, use_cuda):
    """Fit ``estimator`` as process ``rank``; rank 0 pickles it to ``folder``."""
    try:
        if use_cuda:
            torch.cuda.set_device(rank % torch.cuda.device_count())
        else:
            torch.set_num_threads(1)
        dist.init_process_group(
            backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size
        )
        try:
            fitted = estimator.fit(X, y)
            # Tear down only once every process is done with its collectives, and
            # with DDP's objects gone: one CI run saw a process abort (SIGABRT,
            # "terminate called without an active exception", gloo work still in
            # flight at teardown) without these.
            gc.collect()
            dist.barrier()
        finally:
            dist.destroy_process_group()
        if rank == 0:
            with open(os.path.join(folder, "estimator.pkl"), "wb") as file:
                pickle.dump(fitted, file)
    except BaseException as error:
        with contextlib.suppress(Exception), \
                open(os.path.join(folder, f"error-{rank}.pkl"), "wb") as file:
            pickle.dump(error, file)
        raise


def fit_distributed(estimator, X, y, *, n_processes=2, backend=None):
    """Fit a clone of ``estimator`` data-parallel on ``n_processes`` local processes.

    Spawns ``n_processes`` processes (``torch.multiprocessing``, spawn start
    method) that join a process group over ``tcp://127.0.0.1`` and each fit
    a clone of ``estimator`` on ``X, y``: every global mini-batch is shared
    among them and their gradients are averaged by ``DistributedDataParallel``,
    so the fitted model is the single-process one (up to float rounding) when
    ``batch_size`` and the last batch's size are multiples of
    ``n_processes``. With the ``"gloo"`` backend each process trains with one
    torch thread (``torch.set_num_threads(1)``); with ``"nccl"`` process
    ``r`` trains on ``cuda:r``. On several nodes, launch your script with
    ``torchrun`` and call ``fit`` after ``init_process_group`` instead.

    Parameters
    ----------
    estimator : BaseEstimator
        One of this package's torch estimators, with an int ``random_state``
        (every process must draw the same weights and shuffles).
    X : array-like
        Training inputs, pickled to every process. For large data pass an
        on-disk dataset (``sciml_estimators.datasets.load_dataset``'s data,
        which pickles as a reference to its file) rather than an in-memory
        array.
    y : array-like
        Training targets, pickled to every process likewise.
    n_processes : int, default=2
        Number of processes (at most the number of CUDA devices with
        ``"nccl"``).
    backend : {"gloo", "nccl"} or None, default=None
        The ``torch.distributed`` backend; None picks ``"nccl"`` when
        ``estimator.device`` is ``"cuda"`` or ``"auto"`` and CUDA is
        available, ``"gloo"`` otherwise.

    Returns
    -------
    fitted : BaseEstimator
        The fitted clone, from process 0 (the processes hold the same model).

    Raises
    ------
    ValueError
        For invalid arguments, ``estimator.random_state=None``, or more
        ``"nccl"`` processes than CUDA devices. An exception raised in a
        process (e.g. by ``fit``'s input validation) is re-raised here.

    Examples
    --------
    >>> from sciml_estimators import SAXSClassifier, fit_distributed
    >>> from sciml_estimators.datasets import make_saxs_1d
    >>> X, y = make_saxs_1d(256, random_state=0, return_X_y=True)
    >>> clf = SAXSClassifier(max_epochs=1, batch_size=32, random_state=0)
    >>> clf = fit_distributed(clf, X, y, n_processes=2)  # doctest: +SKIP
    """
    from sklearn.base import clone

    if (not isinstance(n_processes, numbers.Integral) or isinstance(n_processes, bool)
            or n_processes < 1):
        raise ValueError(f"n_processes must be an int >= 1; got {n_processes!r}.")
    n_processes = int(n_processes)
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"backend must be 'gloo', 'nccl' or None; got {backend!r}.")
    if not dist.is_available():
        raise ValueError("This torch build has no torch.distributed support.")
    check_distributed_random_state(estimator)
    device = getattr(estimator, "device", "cpu")
    use_cuda = device in ("cuda", "auto") and torch.cuda.is_available()
    if backend is None:
        backend = "nccl" if use_cuda else "gloo"
    if backend == "nccl":
        if not use_cuda:
            raise ValueError(
                "backend='nccl' needs CUDA, which torch does not see, and an estimator "
                f"with device='cuda' or 'auto'; got device={device!r}."
            )
        if n_processes > torch.cuda.device_count():
            raise ValueError(
                f"backend='nccl' runs one process per CUDA device; n_processes={n_processes} "
                f"exceeds the {torch.cuda.device_count()} device(s) torch sees."
            )
    estimator = clone(estimator)
    with tempfile.TemporaryDirectory(prefix="sciml-ddp-") as folder:
        args = (n_processes, backend, _free_port(), estimator, X, y, folder, use_cuda)
        try:
            torch.multiprocessing.spawn(
                _worker, args=args, nprocs=n_processes, join=True, start_method="spawn"
            )
        except Exception as spawn_error:
            index = getattr(spawn_error, "error_index", None)
            candidates = [index] if index is not None else []
            candidates += [rank for rank in range(n_processes) if rank != index]
            for rank in candidates:
                path = os.path.join(folder, f"error-{rank}.pkl")
                if os.path.exists(path):
                    try:
                        with open(path, "rb") as file:
                            error = pickle.load(file)
                    except Exception:
                        continue
                    if isinstance(error, Exception):
                        raise error from spawn_error
            raise
        with open(os.path.join(folder, "estimator.pkl"), "rb") as file:
            return pickle.load(file)
