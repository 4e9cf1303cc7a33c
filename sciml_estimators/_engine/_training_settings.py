"""The skorch net settings every estimator trains with, single-process or data-parallel."""

import torch
from skorch.callbacks import LRScheduler

from ._distributed import distributed_training_settings
from ._torch_support import BatchIterator, EpochProgress

#: Learning-rate schedules an estimator may name in its ``lr_schedule``.
LR_SCHEDULES = ("constant", "cosine")


def training_settings(estimator, description):
    """The skorch net settings every estimator shares, from its parameters.

    Adam at ``estimator.lr`` for ``max_epochs`` of ``batch_size``, whole-tensor
    batches (:class:`BatchIterator`, inference at ``predict_batch_size``), no
    validation split and no printing (skorch's default callbacks for those
    would run on every batch), an :class:`EpochProgress` bar titled
    ``description`` when ``estimator.verbose``, on ``estimator.device_``.
    An estimator with ``lr_schedule="cosine"`` anneals the learning rate from
    ``lr`` to 0 along half a cosine over ``max_epochs`` (Loshchilov and
    Hutter, "SGDR", ICLR 2017, without restarts), stepped once per epoch;
    estimators without the parameter keep ``lr`` constant.
    When a ``torch.distributed`` process group is initialised, the settings
    train data-parallel (see :func:`~._distributed.distributed_training_settings`).
    """
    callbacks = [EpochProgress(description)] if estimator.verbose else []
    if getattr(estimator, "lr_schedule", "constant") == "cosine":
        callbacks.append(LRScheduler(policy=torch.optim.lr_scheduler.CosineAnnealingLR,
                                     T_max=estimator.max_epochs))
    settings = dict(
        optimizer=torch.optim.Adam,
        lr=estimator.lr,
        max_epochs=estimator.max_epochs,
        batch_size=estimator.batch_size,
        iterator_train=BatchIterator,
        iterator_train__shuffle=True,
        iterator_valid=BatchIterator,
        iterator_valid__batch_size=estimator.predict_batch_size,
        train_split=None,
        callbacks__valid_loss=None,
        callbacks__print_log=None,
        callbacks=callbacks or None,
        verbose=0,
        device=estimator.device_,
    )
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        settings = distributed_training_settings(estimator, settings)
    return settings
