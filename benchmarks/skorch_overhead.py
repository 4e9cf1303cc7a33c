"""Per-batch cost of skorch's training loop against a hand-written one.

One epoch of 500 batches of 32 (16,000 x 300 float32, the SAXS MLP, Adam),
torch on one thread, median over repeats, alternating the variants:

- plain: zero_grad / forward / loss / backward / step / loss.item();
- stock skorch: NeuralNetBinaryClassifier's own epoch loop (with our
  BatchIterator, so collation is not what is measured);
- DirectStepMixin: the net SAXSClassifier trains with.

    python benchmarks/skorch_overhead.py [--repeats 6]
"""

import argparse
import time

import numpy as np
import torch
from skorch import NeuralNetBinaryClassifier
from skorch.dataset import Dataset

from sciml_estimators._engine._torch_support import BatchIterator, BinaryNet
from sciml_estimators.models import MLP

BATCH = 32


def _net(net_class):
    torch.manual_seed(0)
    return net_class(
        MLP, module__n_in=300, criterion=torch.nn.BCEWithLogitsLoss,
        optimizer=torch.optim.Adam, lr=1e-3, max_epochs=1, batch_size=BATCH,
        iterator_train=BatchIterator, iterator_train__shuffle=True, train_split=None,
        verbose=0, callbacks__valid_loss=None, callbacks__valid_acc=None,
        callbacks__print_log=None,
    ).initialize()


def _skorch_epoch(net, dataset):
    def epoch():
        net.history.new_epoch()
        net.run_single_epoch(net.get_iterator(dataset, training=True), training=True,
                             prefix="train", step_fn=net.train_step)
    return epoch


def _plain_epoch(dataset):
    torch.manual_seed(0)
    module, loss = MLP(300), torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)

    def epoch():
        module.train()
        total = 0.0
        for X, y in BatchIterator(dataset, BATCH, shuffle=True):
            optimizer.zero_grad()
            batch_loss = loss(module(X), y)
            batch_loss.backward()
            optimizer.step()
            total += batch_loss.item() * len(X)
    return epoch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=6)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(16000, 300, generator=generator)
    dataset = Dataset(X, (torch.rand(16000, generator=generator) > 0.5).float())
    variants = {
        "plain loop": _plain_epoch(dataset),
        "stock skorch loop": _skorch_epoch(_net(NeuralNetBinaryClassifier), dataset),
        "DirectStepMixin": _skorch_epoch(_net(BinaryNet), dataset),
    }
    times = {name: [] for name in variants}
    n_batches = -(-len(X) // BATCH)
    for _ in range(args.repeats):
        for name, epoch in variants.items():
            start = time.perf_counter()
            epoch()
            times[name].append((time.perf_counter() - start) / n_batches * 1e6)
    plain = np.median(times["plain loop"])
    print("| variant | us per batch (median) | ratio to plain |\n|---|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {np.median(values):.0f} | {np.median(values) / plain:.2f} |")


if __name__ == "__main__":
    main()
