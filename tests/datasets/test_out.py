"""``make_*(..., out=path)``: the set written by write_dataset, returned lazily."""

import numpy as np
import pytest

from sciml_estimators.datasets import (
    OnDiskArray,
    load_dataset,
    make_dms,
    make_magnons,
    make_saxs_1d,
    make_saxs_2d,
    make_saxs_domain_shift,
    make_slstr_scenes,
    write_dataset,
)

pytest.importorskip("h5py")
pytest.importorskip("zarr")

# (make, n_samples, chunk_size, options): tiny sets whose chunks differ in size.
CASES = [
    (make_saxs_1d, 8, 3, {"noise": "poisson"}),
    (make_saxs_2d, 6, 4, {"shapes": ["sphere", "cylinder"], "shape": [16, 16]}),
    (make_saxs_domain_shift, 9, 5, {"shifted_fraction": 0.5}),
    (make_magnons, 5, 2, {"noise": "poisson"}),
    (make_dms, 5, 2, {"shape": (16, 16)}),
    (make_slstr_scenes, 3, 2, {"size": 16}),
]
IDS = [case[0].__name__ for case in CASES]


def _values(bunch):
    """Every entry of a loaded store, read into memory, by name."""
    found = {}
    for name, value in bunch.items():
        if isinstance(value, dict) and all(isinstance(v, OnDiskArray) for v in value.values()):
            found.update({f"{name}/{key}": v[:] for key, v in value.items()})
        else:
            found[name] = value[:] if isinstance(value, OnDiskArray) else value
    return found


def _assert_same_values(a, b, attrs=True):
    with load_dataset(a) as got, load_dataset(b) as want:
        got, want = _values(got), _values(want)
    if not attrs:  # make_* stores all its arguments, write_dataset the ones passed
        del got["attrs"]["options"], want["attrs"]["options"]
    assert got.keys() == want.keys()
    for name, value in want.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(got[name], value, err_msg=name)
        else:
            assert got[name] == value, name


@pytest.mark.parametrize("suffix", [".zarr", ".h5", ""])
@pytest.mark.parametrize("make, n_samples, chunk_size, options", CASES, ids=IDS)
def test_out_is_write_dataset_then_load_dataset(tmp_path, make, n_samples, chunk_size, options,
                                                suffix):
    expected_path = write_dataset(make, tmp_path / f"expected{suffix or '.zarr'}", n_samples,
                                  chunk_size=chunk_size, random_state=0, **options)
    path = tmp_path / f"x{suffix}"
    with make(n_samples, out=path, chunk_size=chunk_size, random_state=0, **options) as got:
        assert isinstance(got.data, OnDiskArray)
        assert got.data.shape[0] == n_samples
        assert got.attrs["chunk_size"] == chunk_size
        assert got.attrs["random_state"] == 0
    assert path.is_dir() == (suffix != ".h5")
    assert not (tmp_path / f"x{suffix}.partial").exists()
    _assert_same_values(path, expected_path, attrs=False)


def test_zarr_n_jobs_gives_identical_values(tmp_path):
    for make, n_samples, chunk_size, options in CASES[:1] + CASES[4:]:
        one = make(n_samples, out=tmp_path / "one.zarr", chunk_size=chunk_size, random_state=0,
                   n_jobs=1, overwrite=True, **options)
        two = make(n_samples, out=tmp_path / "two.zarr", chunk_size=chunk_size, random_state=0,
                   n_jobs=2, overwrite=True, **options)
        one.close(), two.close()
        _assert_same_values(tmp_path / "one.zarr", tmp_path / "two.zarr")


def test_out_passes_resume_and_overwrite(tmp_path):
    path = tmp_path / "x.zarr"
    make_dms(3, out=path, chunk_size=2, random_state=1, shape=(8, 8)).close()
    with pytest.raises(FileExistsError, match="random_state=1"):
        make_dms(3, out=path, chunk_size=2, random_state=1, shape=(8, 8))
    with make_dms(3, out=str(path), chunk_size=2, random_state=2, shape=(8, 8),
                  overwrite=True, n_jobs=1) as dms:
        assert dms.attrs["random_state"] == 2


@pytest.mark.parametrize("make, n_samples, chunk_size, options", CASES, ids=IDS)
@pytest.mark.parametrize("random_state", [None, np.random.RandomState(0)],
                         ids=["None", "RandomState"])
def test_out_needs_an_int_random_state(tmp_path, make, n_samples, chunk_size, options,
                                       random_state):
    with pytest.raises(ValueError, match="int random_state"):
        make(n_samples, out=tmp_path / "x.zarr", random_state=random_state, **options)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("make, n_samples, chunk_size, options",
                         [case for case in CASES if case[0] is not make_saxs_domain_shift],
                         ids=[name for name in IDS if name != "make_saxs_domain_shift"])
def test_out_refuses_return_X_y(tmp_path, make, n_samples, chunk_size, options):
    with pytest.raises(ValueError, match="return_X_y"):
        make(n_samples, out=tmp_path / "x.zarr", random_state=0, return_X_y=True, **options)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("make", [case[0] for case in CASES], ids=IDS)
def test_new_parameters_are_validated(tmp_path, make):
    with pytest.raises(ValueError, match="chunk_size"):
        make(4, out=tmp_path / "x.zarr", random_state=0, chunk_size=0)
    with pytest.raises(ValueError, match="out"):
        make(4, out=3, random_state=0)
