"""Data-parallel training: sharded batches, DDP, and fit_distributed on CPU (gloo)."""

import pickle

import numpy as np
import pytest
import torch
import torch.distributed as dist
from skorch.dataset import Dataset

from sciml_estimators import DMSAngleRegressor, SAXSClassifier, fit_distributed
from sciml_estimators.datasets import make_dms, make_saxs_1d
from sciml_estimators._engine import _distributed
from sciml_estimators._engine._distributed import (
    DistributedBatchIterator,
    DistributedDataParallelCallback,
    _free_port,
)
from sciml_estimators._engine._torch_support import torch_seeded
from sciml_estimators._engine._training_settings import training_settings


@pytest.fixture(scope="module")
def saxs_256():
    return make_saxs_1d(256, random_state=0, return_X_y=True)


@pytest.fixture(scope="module")
def single_saxs(saxs_256):
    """The single-process fit that the distributed ones must reproduce."""
    return SAXSClassifier(max_epochs=2, batch_size=32, random_state=0).fit(*saxs_256)


@pytest.fixture
def one_process_group():
    """A real gloo process group of one process (this one), destroyed afterwards."""
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{_free_port()}", rank=0, world_size=1
    )
    try:
        yield
    finally:
        dist.destroy_process_group()


def test_two_processes_train_the_single_process_model(saxs_256, single_saxs):
    X, y = saxs_256
    distributed = fit_distributed(SAXSClassifier(max_epochs=2, batch_size=32, random_state=0),
                                  X, y, n_processes=2)
    single = single_saxs

    assert type(distributed.net_.module_) is type(single.net_.module_)
    expected = single.net_.module_.state_dict()
    got = distributed.net_.module_.state_dict()
    assert got.keys() == expected.keys()
    for name in expected:
        torch.testing.assert_close(got[name], expected[name], rtol=1e-5, atol=1e-6, msg=name)
    np.testing.assert_allclose(distributed.predict_proba(X), single.predict_proba(X),
                               rtol=1e-5, atol=1e-6)
    # The epoch losses are averaged over both processes' samples.
    np.testing.assert_allclose(distributed.net_.history[:, "train_loss"],
                               single.net_.history[:, "train_loss"], rtol=1e-5)
    # Each process took half of every batch of 32.
    assert distributed.net_.history[0, "batches", :, "train_batch_size"] == [16] * 8


def test_cnn_trains_from_disk_under_fit_distributed_and_pickles(tmp_path):
    # The processes get the on-disk arrays (pickled as their path) and read their rows.
    dms = make_dms(41, shape=(32, 32), random_state=0, out=tmp_path / "dms.zarr",
                   chunk_size=16)
    reg = DMSAngleRegressor(max_epochs=1, batch_size=8, random_state=0)
    # 41 = 5 batches of 8 and one of 1: process 1 has no share of the last batch and
    # skips it (DDP's join matches process 0's gradient all-reduce).
    fitted = fit_distributed(reg, dms.data, dms.target, n_processes=2)
    assert fitted.net_.history[-1, "batches", :, "train_batch_size"] == [4] * 5 + [1]
    prediction = fitted.predict(dms.data[:5])
    assert prediction.shape == (5,) and np.all(np.isfinite(prediction))
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(dms.data[:5]), prediction)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("n, batch_size, world_size", [(10, 4, 2), (11, 4, 3), (9, 3, 3),
                                                        (5, 4, 4)])
def test_shares_partition_every_batch(monkeypatch, shuffle, n, batch_size, world_size):
    dataset = Dataset(torch.arange(float(n))[:, None], torch.arange(n))

    def batches(iterator_class, **kwargs):
        with torch_seeded(np.random.RandomState(0)):
            iterator = iterator_class(dataset, batch_size=batch_size, shuffle=shuffle, **kwargs)
            return [y.tolist() for _, y in iterator], len(iterator)

    whole, _ = batches(_distributed.BatchIterator)
    shares = []
    for rank in range(world_size):
        monkeypatch.setattr(_distributed, "_rank_and_world_size", lambda r=rank: (r, world_size))
        rank_batches, length = batches(DistributedBatchIterator)
        assert length == len(rank_batches) and all(rank_batches)  # no empty share
        shares.append(rank_batches)
    for index, batch in enumerate(whole):
        parts = [rank_batches[index] for rank_batches in shares if index < len(rank_batches)]
        assert sorted(sum(parts, [])) == sorted(batch)
        assert [len(part) for part in parts] == [
            len(batch[rank::world_size]) for rank in range(len(parts))
        ]


def test_random_state_none_is_refused(monkeypatch, saxs_256):
    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    monkeypatch.setattr(_distributed, "_rank_and_world_size", lambda: (0, 2))
    estimator = SAXSClassifier()
    estimator.device_ = "cpu"
    with pytest.raises(ValueError, match="needs an int random_state"):
        training_settings(estimator, "training")
    with pytest.raises(ValueError, match="needs an int random_state"):
        fit_distributed(SAXSClassifier(), *saxs_256)


def test_settings_under_a_process_group(monkeypatch):
    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    monkeypatch.setattr(_distributed, "_rank_and_world_size", lambda: (1, 2))
    estimator = SAXSClassifier(random_state=0, verbose=1)
    estimator.device_ = "cpu"
    settings = training_settings(estimator, "training")
    assert settings["iterator_train"] is DistributedBatchIterator
    # Only rank 0 shows a progress bar.
    assert [type(c) for c in settings["callbacks"]] == [DistributedDataParallelCallback]
    with pytest.raises(ValueError, match="batch_size must be at least 2"):
        training_settings(estimator.set_params(batch_size=1), "training")


def test_one_process_group_trains_like_no_group(saxs_256, single_saxs, one_process_group):
    # The whole in-process path (DDP wrapping, epoch loss all-reduce, unwrapping) on 1 process.
    X, y = saxs_256
    fitted = SAXSClassifier(max_epochs=2, batch_size=32, random_state=0).fit(X, y)
    net = fitted.net_
    assert isinstance(net.module_, torch.nn.Module)
    assert not isinstance(net.module_, torch.nn.parallel.DistributedDataParallel)
    stepped = [p for group in net.optimizer_.param_groups for p in group["params"]]
    assert {id(p) for p in stepped} == {id(p) for p in net.module_.parameters()}
    for a, b in zip(net.module_.parameters(), single_saxs.net_.module_.parameters()):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert net.history[:, "train_loss"] == single_saxs.net_.history[:, "train_loss"]


def test_worker_exception_propagates(saxs_256):
    X, y = saxs_256
    X = X[:64].copy()
    X[3, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit_distributed(SAXSClassifier(max_epochs=1, random_state=0), X, y[:64], n_processes=2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_processes=0), "n_processes must be an int >= 1"),
        (dict(n_processes=1.5), "n_processes must be an int >= 1"),
        (dict(n_processes=True), "n_processes must be an int >= 1"),
        (dict(backend="mpi"), "backend must be 'gloo', 'nccl' or None"),
    ],
)
def test_bad_arguments(saxs_256, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fit_distributed(SAXSClassifier(random_state=0), *saxs_256, **kwargs)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error without CUDA")
def test_nccl_needs_cuda(saxs_256):
    with pytest.raises(ValueError, match="nccl"):
        fit_distributed(SAXSClassifier(random_state=0), *saxs_256, backend="nccl")


def test_segmenter_shares_its_patches():
    from sciml_estimators.datasets import make_slstr_scenes
    from sciml_estimators.estimators import CloudMaskSegmenter

    scenes = make_slstr_scenes(6, size=32, random_state=0)
    segmenter = CloudMaskSegmenter(max_epochs=1, batch_size=4, patch_size=16, random_state=0)
    fitted = fit_distributed(segmenter, scenes.data, scenes.target, n_processes=2)
    # 6 scenes x 4 crops of 16 x 16 = 24 patches: 6 batches of 4, 2 per process.
    assert fitted.net_.history[-1, "batches", :, "train_batch_size"] == [2] * 6
    assert fitted.predict(scenes.data[:1]).shape == (1, 32, 32)


def test_patch_shares_partition_every_batch(monkeypatch):
    from sciml_estimators._engine import _segmentation

    X = torch.arange(7 * 16, dtype=torch.float32).reshape(7, 1, 4, 4)
    y = torch.zeros(7, 4, 4, dtype=torch.int16)

    def batches(rank, world_size):
        monkeypatch.setattr(_segmentation, "process_share", lambda: (rank, world_size))
        torch.manual_seed(0)
        iterator = _segmentation.PatchIterator(Dataset(X, y), batch_size=3, patch_size=4,
                                                  patches_per_scene=None, multiple=1)
        found = [batch[:, 0, 0, 0].tolist() for batch, _ in iterator]
        assert len(found) == len(iterator)
        return found

    whole = batches(0, 1)
    assert [len(batch) for batch in whole] == [3, 3, 1]
    # For two processes the last scene cannot be shared: it joins the batch before.
    global_batches = [whole[0], whole[1] + whole[2]]
    shares = [batches(rank, 2) for rank in range(2)]
    for k, batch in enumerate(global_batches):
        assert sorted(shares[0][k] + shares[1][k]) == sorted(batch)
    with pytest.raises(ValueError, match="cannot be shared among 4 processes"):
        batches(0, 4)
