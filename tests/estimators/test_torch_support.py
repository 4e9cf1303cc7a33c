import numpy as np
import pytest
import torch
from skorch import NeuralNetBinaryClassifier, NeuralNetClassifier
from skorch.dataset import Dataset

from sciml_estimators._engine._torch_support import (
    BatchIterator,
    BinaryNet,
    MulticlassNet,
    resolve_device,
    torch_seeded,
)
from sciml_estimators.models import MLP


def _train(net_class, X, y, n_out=1):
    torch.manual_seed(0)
    net = net_class(
        MLP,
        module__n_in=X.shape[1],
        module__n_out=n_out,
        criterion=torch.nn.BCEWithLogitsLoss if n_out == 1 else torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-2,
        max_epochs=3,
        batch_size=16,
        iterator_train=BatchIterator,
        iterator_train__shuffle=True,
        iterator_valid=BatchIterator,
        train_split=None,
        verbose=0,
    )
    return net.fit(X, y)


@pytest.mark.parametrize(
    "stock_class, direct_class, n_out",
    [(NeuralNetBinaryClassifier, BinaryNet, 1), (NeuralNetClassifier, MulticlassNet, 3)],
)
def test_direct_step_trains_exactly_like_skorchs_loop(stock_class, direct_class, n_out):
    generator = torch.Generator().manual_seed(1)
    X = torch.randn(200, 12, generator=generator)
    if n_out == 1:
        y = (X[:, 0] > 0).float()
    else:
        y = torch.bucketize(X[:, 0].contiguous(), torch.tensor([-0.5, 0.5]))
    stock = _train(stock_class, X, y, n_out)
    direct = _train(direct_class, X, y, n_out)
    for a, b in zip(stock.module_.parameters(), direct.module_.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    for key in ("train_loss", "train_batch_count"):
        assert stock.history[:, key] == direct.history[:, key]
    assert stock.history[:, "batches", :, "train_batch_size"] == direct.history[
        :, "batches", :, "train_batch_size"
    ]
    torch.testing.assert_close(
        torch.as_tensor(stock.predict_proba(X)), torch.as_tensor(direct.predict_proba(X)),
        rtol=0, atol=0,
    )


def test_batch_iterator_visits_every_sample_once_per_pass():
    dataset = Dataset(torch.arange(10.0)[:, None], torch.arange(10))
    batches = list(BatchIterator(dataset, batch_size=4))
    assert [len(X) for X, _ in batches] == [4, 4, 2]
    assert len(BatchIterator(dataset, batch_size=4)) == 3
    with torch_seeded(np.random.RandomState(0)):
        first = torch.cat([y for _, y in BatchIterator(dataset, batch_size=3, shuffle=True)])
        second = torch.cat([y for _, y in BatchIterator(dataset, batch_size=3, shuffle=True)])
    assert sorted(first.tolist()) == list(range(10)) and first.tolist() != second.tolist()
    with torch_seeded(np.random.RandomState(0)):
        again = torch.cat([y for _, y in BatchIterator(dataset, batch_size=3, shuffle=True)])
    assert again.tolist() == first.tolist()


def test_resolve_device():
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="use device='cpu' or device='auto'"):
            resolve_device("cuda")
