"""Every ``make_*`` takes, documents and forwards the on-disk options in the same way."""

import inspect
import re
import subprocess
import sys

import pytest
from sklearn import config_context

from sciml_estimators import datasets
from sciml_estimators.datasets import make_dms, write_dataset
from sciml_estimators.storage import _stored_generator
from sciml_estimators.storage._stored_generator import STORAGE_OPTIONS

GENERATORS = [getattr(datasets, name) for name in datasets.__all__ if name.startswith("make_")]
IDS = [make.__name__ for make in GENERATORS]

#: Arguments that are not the generator's options: they go to write_dataset itself.
NOT_OPTIONS = {"random_state", "progress", "return_X_y"}


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_options_are_in_the_signature_with_the_same_defaults(make):
    parameters = inspect.signature(make).parameters
    assert list(parameters)[-len(STORAGE_OPTIONS):] == list(STORAGE_OPTIONS)
    for name, default in STORAGE_OPTIONS.items():
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert parameters[name].default == default, name


def test_option_defaults_are_write_datasets():
    parameters = inspect.signature(write_dataset).parameters
    for name, default in STORAGE_OPTIONS.items():
        if name != "out":
            assert parameters[name].default == default, name


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_options_are_documented(make):
    for name, default in STORAGE_OPTIONS.items():
        assert re.search(rf"^ *{name} : .*, default={default}\n", make.__doc__, re.MULTILINE), name


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_every_argument_is_forwarded_to_write_dataset(make, monkeypatch):
    calls = []
    monkeypatch.setattr(_stored_generator, "write_dataset",
                        lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setattr(_stored_generator, "load_dataset", lambda path: ("loaded", path))
    parameters = list(inspect.signature(make).parameters)
    n_samples_name = parameters[0]
    # A distinct value for every parameter; validation is off so that any value passes.
    own = {name: object() for name in parameters[1:]
           if name not in STORAGE_OPTIONS and name not in NOT_OPTIONS}
    storage = {"out": "set.zarr", "chunk_size": 7, "n_jobs": 3, "client": object(),
               "resume": True, "overwrite": True}
    assert storage.keys() == STORAGE_OPTIONS.keys()
    special = {"random_state": 12345, "progress": True}
    if "return_X_y" in parameters:
        special["return_X_y"] = False
    assert len(own) + len(special) + len(storage) + 1 == len(parameters)
    with config_context(skip_parameter_validation=True):
        got = make(**{n_samples_name: 11}, **own, **special, **storage)
    assert got == ("loaded", "set.zarr")
    [(args, kwargs)] = calls
    assert args == (make, "set.zarr", 11)
    options = {name: value for name, value in storage.items() if name != "out"}
    assert kwargs == {**options, "random_state": 12345, "progress": True, **own}


def test_a_written_store_records_every_argument(tmp_path):
    # The call as stores record it, defaults included: resume compares it.
    with make_dms(3, out=tmp_path / "dms.zarr", chunk_size=2, random_state=1,
                  shape=(8, 8)) as dms:
        assert dms.attrs == {
            "generator": "sciml_estimators.datasets._dms.make_dms", "version": "0.1.0",
            "options": {"crystal": "Si", "detector": None, "energy_jitter": 0.001,
                        "energy_kev": 8.0, "flux": 100.0, "misorientation_deg": 0.2,
                        "noise": None, "nuisances": None, "shape": [8, 8],
                        "surface": [0, 0, 1]},
            "random_state": 1, "n_samples": 3, "chunk_size": 2,
        }


def test_generators_import_without_docstrings():
    # python -OO strips docstrings: there is then nothing to document the options in.
    code = "from sciml_estimators.datasets import make_dms; assert make_dms.__doc__ is None"
    subprocess.run([sys.executable, "-OO", "-c", code], check=True)
