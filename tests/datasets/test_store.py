"""Tests for write_dataset / load_dataset: chunked, resumable, parallel HDF5 writing."""

import os
import subprocess
import sys
import textwrap
import time
import tracemalloc

import numpy as np
import pytest

from sciml_estimators.datasets import (
    load_dataset,
    make_dms,
    make_saxs_1d,
    make_saxs_2d,
    make_slstr_scenes,
    write_dataset,
)
from sciml_estimators.datasets._store import chunk_seed

h5py = pytest.importorskip("h5py")


def _chunks(make, n_samples, chunk_size, random_state=0, **options):
    return [make(min(chunk_size, n_samples - start), random_state=chunk_seed(random_state, k),
                 **options)
            for k, start in enumerate(range(0, n_samples, chunk_size))]


def _assert_round_trip(path, chunks, per_sample, per_set):
    with load_dataset(path) as stored:
        for name in per_sample:
            expected = np.concatenate([chunk[name] for chunk in chunks])
            got = stored[name][:]
            if expected.dtype.kind == "U":
                got = np.asarray(got, dtype=str)
            np.testing.assert_array_equal(got, expected)
            if expected.dtype.kind != "U":
                assert isinstance(stored[name], h5py.Dataset)
        for key in chunks[0]["parameters"]:
            expected = np.concatenate([chunk["parameters"][key] for chunk in chunks])
            np.testing.assert_array_equal(stored.parameters[key][:], expected)
        for name in per_set:
            value = chunks[0][name]
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(stored[name], value)
                assert stored[name].dtype.kind == value.dtype.kind
            else:
                assert stored[name] == value
    return stored


def _datasets(path):
    """Every dataset of a file, by name, as numpy (strings decoded)."""
    out = {}
    with h5py.File(path, "r") as file:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                is_str = h5py.check_string_dtype(obj.dtype) is not None
                out[name] = obj.asstr()[()] if is_str else obj[()]
        file.visititems(visit)
        attrs = dict(file.attrs)
    return out, attrs


def _assert_same_file(a, b):
    (data_a, attrs_a), (data_b, attrs_b) = _datasets(a), _datasets(b)
    assert sorted(data_a) == sorted(data_b)
    for name in data_a:
        np.testing.assert_array_equal(data_a[name], data_b[name], err_msg=name)
    assert attrs_a.keys() == attrs_b.keys()
    for key in attrs_a:
        assert attrs_a[key] == attrs_b[key], key


def test_saxs_1d_round_trip(tmp_path):
    path = write_dataset(make_saxs_1d, tmp_path / "saxs.h5", 50, chunk_size=16, random_state=3)
    assert path == tmp_path / "saxs.h5" and not (tmp_path / "saxs.h5.partial").exists()
    chunks = _chunks(make_saxs_1d, 50, 16, random_state=3)
    stored = _assert_round_trip(
        path, chunks, ["data", "target", "shape_names", "radius_of_gyration"],
        ["target_names", "feature_names", "q", "DESCR"],
    )
    assert stored.attrs == {
        "generator": "sciml_estimators.datasets._saxs.make_saxs_1d", "version": "0.1.0",
        "options": {}, "random_state": 3, "n_samples": 50, "chunk_size": 16,
    }
    with h5py.File(path, "r") as file:
        assert file["data"].chunks == (16, 300)
        assert file["completed"][()].tolist() == [True] * 4


def test_slstr_round_trip(tmp_path):
    path = write_dataset(make_slstr_scenes, tmp_path / "slstr.hdf5", 3, chunk_size=2, size=16)
    chunks = _chunks(make_slstr_scenes, 3, 2, size=16)
    _assert_round_trip(path, chunks, ["data", "target", "truth", "optical_depth", "clear_sky"],
                       ["channel_names", "wavelengths", "target_names"])


def test_per_set_of_sample_length_is_not_per_sample(tmp_path):
    # make_saxs_2d's four target_names look per-sample in a chunk of four rows.
    path = write_dataset(make_saxs_2d, tmp_path / "s.h5", 8, chunk_size=4, shape=(8, 8))
    chunks = _chunks(make_saxs_2d, 8, 4, shape=(8, 8))
    _assert_round_trip(path, chunks, ["data", "target"], ["target_names", "qx", "qy"])


def test_dms_options_and_json_per_set(tmp_path):
    path = write_dataset(make_dms, tmp_path / "d.h5", 7, chunk_size=3, shape=(8, 8),
                         noise="poisson")
    chunks = _chunks(make_dms, 7, 3, shape=(8, 8), noise="poisson")
    with load_dataset(path) as stored:
        np.testing.assert_array_equal(stored.data[:], np.concatenate([c.data for c in chunks]))
        assert stored.period == 90.0
        assert stored.detector["center_mm"] == list(chunks[0].detector["center_mm"])
        assert stored.attrs["options"] == {"noise": "poisson", "shape": [8, 8]}
    assert not stored.file


def test_n_jobs_gives_identical_files(tmp_path):
    one = write_dataset(make_saxs_1d, tmp_path / "one.h5", 50, chunk_size=16, n_jobs=1)
    two = write_dataset(make_saxs_1d, tmp_path / "two.h5", 50, chunk_size=16, n_jobs=2)
    _assert_same_file(one, two)


SLOW = """
import time
from sciml_estimators.datasets import make_saxs_1d

def make_slow(n_samples, *, random_state=None, delay=0.0):
    time.sleep(delay)
    return make_saxs_1d(n_samples, random_state=random_state)
"""


def test_interrupted_write_resumes_to_identical_file(tmp_path, monkeypatch):
    (tmp_path / "slow_generator.py").write_text(SLOW)
    monkeypatch.syspath_prepend(str(tmp_path))
    from slow_generator import make_slow

    path = tmp_path / "big.h5"
    partial = tmp_path / "big.h5.partial"
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(tmp_path)!r})
        from slow_generator import make_slow
        from sciml_estimators.datasets import write_dataset
        write_dataset(make_slow, {str(path)!r}, 48, chunk_size=4, delay=0.15)
    """)
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        done = 0
        while done < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
            if partial.exists():
                try:
                    with h5py.File(partial, "r", locking=False) as file:
                        done = int(file["completed"][()].sum())
                except (OSError, KeyError):
                    pass
        assert done >= 1, "the writer made no chunk in time"
    finally:
        process.kill()
        process.wait()
    assert partial.exists() and not path.exists()
    with pytest.raises(FileExistsError, match="resume=True"):
        write_dataset(make_slow, path, 48, chunk_size=4, delay=0.15)
    with pytest.raises(ValueError, match="its options"):
        write_dataset(make_slow, path, 48, chunk_size=4, delay=0.0, resume=True)
    with pytest.raises(ValueError, match="its n_samples is 48"):
        write_dataset(make_slow, path, 40, chunk_size=4, delay=0.15, resume=True)
    with pytest.raises(ValueError, match="incomplete"):
        load_dataset(partial)

    write_dataset(make_slow, path, 48, chunk_size=4, delay=0.15, resume=True)
    assert not partial.exists()
    reference = write_dataset(make_slow, tmp_path / "ref.h5", 48, chunk_size=4, delay=0.15)
    _assert_same_file(path, reference)


def test_existing_path_and_overwrite(tmp_path):
    path = write_dataset(make_dms, tmp_path / "d.h5", 4, chunk_size=2, shape=(8, 8))
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_dataset(make_dms, path, 4, chunk_size=2, shape=(8, 8))
    write_dataset(make_dms, path, 6, chunk_size=2, shape=(8, 8), overwrite=True)
    with load_dataset(path) as stored:
        assert stored.data.shape == (6, 8, 8)


def test_path_errors(tmp_path):
    with pytest.raises(ValueError, match="only HDF5 is supported for now.*Zarr"):
        write_dataset(make_dms, tmp_path / "d.zarr", 4)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_dataset(make_dms, tmp_path / "missing" / "d.h5", 4)
    with pytest.raises(TypeError, match="option\\(s\\) surface are not JSON"):
        write_dataset(make_dms, tmp_path / "d.h5", 4, surface=np.array([0, 0, 1]))
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a POSIX user for whom chmod makes a folder read-only")
def test_unwritable_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match="not writable"):
            write_dataset(make_dms, folder / "d.h5", 4)
    finally:
        folder.chmod(0o700)


def test_unwritable_folder_is_checked_first(tmp_path, monkeypatch):
    calls = []

    def make(n_samples, *, random_state=None):
        calls.append(n_samples)
        return make_dms(n_samples, shape=(8, 8), random_state=random_state)

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if os.fspath(p) == str(tmp_path)
                        else real_access(p, mode))
    with pytest.raises(PermissionError, match="not writable"):
        write_dataset(make, tmp_path / "d.h5", 4)
    assert calls == []


def test_load_refuses_foreign_files(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as file:
        file["data"] = np.zeros(3)
    with pytest.raises(ValueError, match="not a file written by write_dataset"):
        load_dataset(tmp_path / "other.h5")
    (tmp_path / "text.h5").write_text("not hdf5")
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        load_dataset(tmp_path / "text.h5")


def _lean(n_samples, *, random_state=None, n_features=2000):
    """A generator that allocates little beyond its output."""
    rng = np.random.RandomState(random_state)
    return {"data": rng.standard_normal((n_samples, n_features)),
            "target": rng.randint(2, size=n_samples), "DESCR": "lean"}


@pytest.mark.parametrize("make", [_lean, make_dms], ids=["lean", "dms"])
def test_memory_is_bounded_by_a_few_chunks(tmp_path, make):
    chunk_size = 200
    options = {} if make is _lean else {"shape": (32, 32)}
    one = make(chunk_size, random_state=0, **options)
    chunk_bytes = sum(v.nbytes for v in one.values() if isinstance(v, np.ndarray))
    del one
    tracemalloc.start()
    try:
        write_dataset(make, tmp_path / "m.h5", 10 * chunk_size, chunk_size=chunk_size,
                      **options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * chunk_bytes, f"peak {peak / chunk_bytes:.2f} chunks"
