"""Tests of the chunk dispatcher: joblib, an embedded Dask cluster, a client."""

import os
import time

import numpy as np
import pytest
from joblib import parallel_config

from sciml_estimators.datasets import make_dms
from sciml_estimators.storage import _chunk_workers
from sciml_estimators.storage._chunk_workers import generate_unordered

distributed = pytest.importorskip("distributed", reason="needs distributed (dask extra)")


def _square(k, delay=0.0):
    """Module level, so that workers can unpickle it."""
    time.sleep(delay)
    return k, k * k, os.getpid()


def _fail_on_three(k):
    if k == 3:
        raise ValueError(f"chunk {k} is cursed")
    return k


def _dms_chunk(k, seed):
    return k, make_dms(4, random_state=seed, shape=(16, 16))


EXPECTED = {k: k * k for k in range(8)}
ARGS = [(k,) for k in range(8)]


def _as_dict(results):
    return {k: value for k, value, _ in results}


def _nothing_left(client, timeout=5.0):
    """Whether the cluster forgets every task within ``timeout`` (release is async)."""
    deadline = time.monotonic() + timeout
    while client.who_has() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not client.who_has()


@pytest.fixture(scope="module", autouse=True)
def fresh_loky_workers():
    """Start these tests on new loky workers.

    After the whole suite (torch estimators, gloo process groups, grid searches
    on the same reusable executor) a fresh-clone CI run hung twice here, in
    test_joblib_two_jobs: one worker blocked on the call queue's lock, the
    executor's manager thread gone. Not reproduced in smaller orders; the tests
    below are about dispatching, so they start from a clean executor.
    """
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True, kill_workers=True)


@pytest.fixture(scope="module")
def client():
    """One two-worker cluster for the module; startup costs seconds."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        with distributed.Client(cluster, set_as_default=False) as dask_client:
            yield dask_client


def test_sequential_runs_in_process():
    results = list(generate_unordered(_square, ARGS))
    assert _as_dict(results) == EXPECTED
    assert {pid for _, _, pid in results} == {os.getpid()}


def test_joblib_two_jobs():
    results = list(generate_unordered(_square, ARGS, n_jobs=2))
    assert _as_dict(results) == EXPECTED
    assert os.getpid() not in {pid for _, _, pid in results}


def test_existing_client_is_left_open(client):
    results = list(generate_unordered(_square, ARGS, client=client))
    assert _as_dict(results) == EXPECTED
    assert client.status == "running"
    assert _nothing_left(client)


def test_joblib_dask_backend(client):
    # n_jobs=1 would run in process with any other backend.
    with parallel_config(backend="dask", client=client):
        results = list(generate_unordered(_square, ARGS, n_jobs=1))
    assert _as_dict(results) == EXPECTED
    assert os.getpid() not in {pid for _, _, pid in results}
    assert client.status == "running"


def test_local_cluster_and_real_dataset(client):
    """Every path gives the same arrays; the embedded cluster is closed after."""
    seeds = [(k, 1000 + k) for k in range(3)]
    reference = dict(generate_unordered(_dms_chunk, seeds))
    runs = {
        "joblib": dict(generate_unordered(_dms_chunk, seeds, n_jobs=2)),
        "local": dict(generate_unordered(_dms_chunk, seeds, n_jobs=2, client="local")),
        "client": dict(generate_unordered(_dms_chunk, seeds, client=client)),
    }
    for name, run in runs.items():
        assert run.keys() == reference.keys(), name
        for k, bunch in reference.items():
            np.testing.assert_array_equal(run[k].data, bunch.data, err_msg=name)
            np.testing.assert_array_equal(run[k].target, bunch.target, err_msg=name)


@pytest.mark.parametrize("where", ["sequential", "joblib", "client"])
def test_task_exception_propagates(where, client):
    kwargs = {"sequential": {}, "joblib": {"n_jobs": 2}, "client": {"client": client}}[where]
    with pytest.raises(ValueError, match="chunk 3 is cursed"):
        list(generate_unordered(_fail_on_three, [(k,) for k in range(6)], **kwargs))
    if where == "client":
        assert _nothing_left(client)


def test_unreachable_address(monkeypatch):
    monkeypatch.setattr(_chunk_workers, "CONNECT_TIMEOUT", 0.5)
    address = "tcp://127.0.0.1:9"
    with pytest.raises(ConnectionError, match="tcp://127.0.0.1:9") as info:
        next(generate_unordered(_square, ARGS, client=address))
    assert "dask scheduler" in str(info.value) and 'client="local"' in str(info.value)


@pytest.mark.parametrize("bad, error", [(3, TypeError), (object(), TypeError), ("", ValueError)])
def test_bad_client(bad, error):
    with pytest.raises(error, match="client"):
        generate_unordered(_square, ARGS, client=bad)


def test_in_flight_is_bounded(client):
    """A slow consumer keeps at most the window (2 threads) plus 1 tasks out."""
    pulled = []

    def arguments():
        for k in range(20):
            pulled.append(k)
            yield (k, 0.05)

    results = generate_unordered(_square, arguments(), client=client)
    next(results)
    time.sleep(1.0)  # long enough for every task, were they all submitted
    assert len(pulled) <= 3
    assert len(list(results)) == 19
    assert len(pulled) == 20


def test_early_close_cancels(client):
    results = generate_unordered(_square, [(k, 0.2) for k in range(20)], client=client)
    next(results)
    results.close()
    assert client.status == "running"
    assert _nothing_left(client)
