"""Verified stores: damage is an error naming its repair, one writer at a time, early checks."""

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from sciml_estimators.datasets import (
    load_dataset,
    make_dms,
    make_saxs_1d,
    repair_dataset,
    write_dataset,
)
from sciml_estimators.exceptions import DamagedStoreError, StoreBusyError

h5py = pytest.importorskip("h5py")
zarr = pytest.importorskip("zarr")

DAMAGES = ["missing", "empty", "truncated", "flipped"]


@pytest.fixture(params=[".zarr", ".h5"])
def suffix(request):
    """The format under test, by the suffix of the path."""
    return request.param


def _per_sample(path):
    """Every per-sample array of a store, read whole, by entry name."""
    with load_dataset(path, verify=True) as stored:
        found = {"data": stored.data[:], "target": stored.target[:]}
        found.update({f"parameters/{key}": value[:]
                      for key, value in stored.parameters.items()})
    return found


def _assert_bit_identical(path, reference):
    got, want = _per_sample(path), _per_sample(reference)
    assert got.keys() == want.keys()
    for name, value in want.items():
        assert got[name].dtype == value.dtype, name
        assert got[name].tobytes() == value.tobytes(), name


def _chunk_bytes(path, k, suffix):
    """Where chunk ``k`` of ``data`` lies: (file, offset, size)."""
    if suffix == ".zarr":
        shard = os.path.join(path, "data", "c", str(k), "0", "0")
        return shard, 0, os.path.getsize(shard)
    with h5py.File(path, "r") as file:
        data = file["data"]
        assert data.chunks[0] == 10  # one HDF5 chunk a generation chunk here
        info = data.id.get_chunk_info_by_coord((k * 10, 0, 0))
    return path, info.byte_offset, info.size


def _damage(path, k, suffix, how):
    """Zarr: the shard file of chunk k; HDF5: chunk k's bytes inside the file.

    missing: the shard deleted, or the HDF5 file cut where the chunk starts;
    empty: the shard emptied, or the chunk's bytes zeroed (a hole);
    truncated: cut in the middle of the chunk; flipped: one bit of its middle byte.
    """
    file, offset, size = _chunk_bytes(path, k, suffix)
    with open(file, "rb") as handle:
        content = bytearray(handle.read())
    middle = offset + size // 2
    if how == "missing":
        content = None if suffix == ".zarr" else content[:offset]
    elif how == "empty":
        content = b"" if suffix == ".zarr" else (content[:offset] + bytes(size)
                                                 + content[offset + size:])
    elif how == "truncated":
        content = content[:middle]
    else:
        content[middle] ^= 0x10
    if content is None:
        os.remove(file)
    else:
        with open(file, "wb") as handle:
            handle.write(content)


def _repair_call(message):
    """The ``repair_dataset(...)`` call at the end of a DamagedStoreError's message."""
    call = message.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"repair_dataset\('.*'(, chunks=\[[0-9, ]+\])?\)", call), call
    return call


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_chunk_is_an_error_and_its_repair_restores_it(tmp_path, suffix, how):
    reference = make_dms(40, shape=(16, 16), chunk_size=10, out=tmp_path / f"ref{suffix}",
                         random_state=0)
    reference.close()
    path = tmp_path / f"d{suffix}"
    copy = shutil.copy2 if suffix == ".h5" else shutil.copytree
    copy(tmp_path / f"ref{suffix}", path)
    _damage(path, 2, suffix, how)
    # Never the rows: an error when opened, or when the damaged rows are read.
    with pytest.raises(DamagedStoreError) as error:
        with load_dataset(path) as stored:
            stored.data[20:30]
    message = str(error.value)
    assert str(path) in message and "repair_dataset" in message
    with pytest.raises(DamagedStoreError) as error:
        load_dataset(path, verify=True)
    message = str(error.value)
    call = _repair_call(message)
    cut = suffix == ".h5" and how in ("missing", "truncated")
    if cut:  # the file itself is cut short: it is written again whole
        assert "truncated" in message and call == f"repair_dataset({str(path)!r})"
    else:
        assert "1 chunk(s) of 4" in message
        assert "chunk 2 (rows 20-29, sciml_estimators.datasets._dms.make_dms(10, " \
               "random_state=" in message and "entry 'data'" in message
        assert call == f"repair_dataset({str(path)!r}, chunks=[2])"
    eval(call, {"repair_dataset": repair_dataset})
    _assert_bit_identical(path, tmp_path / f"ref{suffix}")
    assert sorted(os.listdir(tmp_path)) == [f"d{suffix}", f"ref{suffix}"]


def test_the_defect_1_reproducer_is_an_error(tmp_path):
    path = tmp_path / "d.zarr"
    make_dms(40, shape=(16, 16), chunk_size=10, out=path, random_state=0).close()
    (path / "data" / "c" / "2" / "0" / "0").write_bytes(b"")
    with pytest.raises(DamagedStoreError, match="chunk 2 .* 0 bytes on disk instead of"):
        load_dataset(path).data[20:30]


def test_a_damaged_last_hdf5_chunk_is_repaired(tmp_path):
    # 38 rows in chunks of 10: the last HDF5 chunk is partial, which HDF5 reads before it
    # writes it; repair must not trip over the damage it repairs.
    reference = write_dataset(make_dms, tmp_path / "ref.h5", 38, chunk_size=10, shape=(16, 16))
    path = shutil.copy2(reference, tmp_path / "d.h5")
    _damage(path, 3, ".h5", "flipped")
    with pytest.raises(DamagedStoreError, match=r"chunks=\[3\]"):
        load_dataset(path, verify=True)
    repair_dataset(path)  # finds the damaged chunks itself
    _assert_bit_identical(path, reference)


def test_zeroed_hdf5_rows_are_checked_against_their_record(tmp_path):
    # A zeroed HDF5 chunk passes Fletcher-32 (that of zeros is zero); single rows too.
    path = write_dataset(make_dms, tmp_path / "d.h5", 40, chunk_size=10, shape=(16, 16))
    _damage(path, 1, ".h5", "empty")
    with load_dataset(path) as stored:
        np.testing.assert_array_equal(stored.data[0], stored.data[:10][0])
        with pytest.raises(DamagedStoreError, match=r"chunks=\[1\]"):
            stored.data[[3, 12]]


def test_repair_refuses_a_generator_that_changed(tmp_path):
    path = write_dataset(make_dms, tmp_path / "d.zarr", 20, chunk_size=10, shape=(8, 8))
    _damage(path, 1, ".zarr", "missing")

    def other(n_samples, *, random_state=None, **options):
        return make_dms(n_samples, random_state=random_state + 1, **options)

    with pytest.raises(ValueError, match="chunk 1 generated again differs"):
        repair_dataset(path, chunks=[1], make_dataset=other)
    with pytest.raises(ValueError, match="chunks must be ints from 0 to 1"):
        repair_dataset(path, chunks=[2])
    assert not (path / "data" / "c" / "1" / "0" / "0").exists()


def test_bad_n_jobs_is_refused_before_any_write(tmp_path):
    with pytest.raises(ValueError, match="'n_jobs' parameter .* Got 0"):
        make_saxs_1d(40, out=tmp_path / "x.zarr", n_jobs=0, random_state=0)
    with pytest.raises(ValueError, match="'n_jobs' parameter"):
        write_dataset(make_saxs_1d, tmp_path / "x.h5", 40, n_jobs=0)
    assert not list(tmp_path.iterdir())


SLOW = """
import time
from sciml_estimators.datasets import make_dms

def make_slow(n_samples, *, random_state=None, delay=0.0):
    time.sleep(delay)
    return make_dms(n_samples, shape=(8, 8), random_state=random_state)
"""


def _writer(tmp_path, path, prelude=""):
    (tmp_path / "slow_image_generator.py").write_text(SLOW)
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(tmp_path)!r})
        from slow_image_generator import make_slow
        from sciml_estimators.datasets import write_dataset
    """) + textwrap.dedent(prelude) + (
        f"write_dataset(make_slow, {str(path)!r}, 24, chunk_size=4, delay=0.3)\n")
    return subprocess.Popen([sys.executable, "-c", script])


def _wait_for(condition, process):
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None or condition(), "the writer ended early"
        assert time.monotonic() < deadline, "the writer made no progress in time"
        time.sleep(0.05)


def test_a_second_writer_is_refused_and_leaves_nothing(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"d{suffix}"
    process = _writer(tmp_path, path)
    try:
        _wait_for(lambda: os.path.exists(f"{path}.partial"), process)
        before = sorted(os.listdir(tmp_path))
        monkeypatch.syspath_prepend(str(tmp_path))
        from slow_image_generator import make_slow
        for resume in (False, True):
            with pytest.raises(StoreBusyError, match="being written by another process"):
                write_dataset(make_slow, path, 24, chunk_size=4, delay=0.3, resume=resume)
        assert sorted(os.listdir(tmp_path)) == before
    finally:
        process.kill()  # SIGKILL: the lock goes with the process
        process.wait()
    with pytest.raises(ValueError, match="its options"):  # it is the killed call's store
        write_dataset(make_slow, path, 24, chunk_size=4, delay=0.0, resume=True)
    write_dataset(make_slow, path, 24, chunk_size=4, delay=0.3, resume=True)
    assert set(os.listdir(tmp_path)) - {"__pycache__"} == {"slow_image_generator.py", f"d{suffix}"}
    load_dataset(path, verify=True).close()


KILL_MID_CHUNK = """
import os, signal
from sciml_estimators.storage._hdf5 import Hdf5Store
from sciml_estimators.storage._zarr import ZarrStore

def dying(real):
    def write_rows(self, name, start, array):
        if start == 8:  # chunk 2: half its rows, on disk, then killed
            real(self, name, start, array[:len(array) // 2])
            if isinstance(self, Hdf5Store):
                self.file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        real(self, name, start, array)
    return write_rows

for store in (Hdf5Store, ZarrStore):
    store.write_rows = dying(store.write_rows)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_mid_chunk_resumes_to_identical_data(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"d{suffix}"
    process = _writer(tmp_path, path, prelude=KILL_MID_CHUNK)
    assert process.wait(timeout=120) == -signal.SIGKILL
    partial = f"{path}.partial"
    assert os.path.exists(partial) and not path.exists()
    # A write torn inside chunk 2 (the kill could have come mid-byte-range): damage it.
    if suffix == ".h5":
        with h5py.File(partial, "r") as file:
            info = file["data"].id.get_chunk_info_by_coord((8, 0, 0))
        with open(partial, "r+b") as handle:
            handle.seek(info.byte_offset + info.size // 2)
            handle.write(b"\xff\x00\xff")
    monkeypatch.syspath_prepend(str(tmp_path))
    from slow_image_generator import make_slow
    write_dataset(make_slow, path, 24, chunk_size=4, delay=0.3, resume=True)
    reference = write_dataset(make_slow, tmp_path / f"ref{suffix}", 24, chunk_size=4,
                              delay=0.3)
    _assert_bit_identical(path, reference)
    assert not os.path.exists(f"{path}.lock") and not os.path.exists(partial)
