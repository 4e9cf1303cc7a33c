"""What the command's light commands and the dataset generators import.

The start-up time itself is measured by ``benchmarks/startup_time.py``, not
asserted here: these tests check the structure that keeps it short. Each runs
in a fresh interpreter, so that what this test process has imported already
cannot hide an import.
"""

import json
import subprocess
import sys

import pytest

#: What ``sciml-estimators list`` and ``--help`` must not import: torch and numba
#: take seconds to import on a loaded 2-core machine, scikit-learn (with scipy)
#: most of one, and the subpackages import them.
HEAVY = ("torch", "numba", "sklearn", "sciml_estimators.datasets",
         "sciml_estimators.simulators", "sciml_estimators.estimators")  # fmt: skip


def _run(script):
    """Run ``script`` in a fresh interpreter; its last line of output, read as JSON."""
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.splitlines()[-1])


@pytest.mark.parametrize("argv", [["list"], ["--help"]])
def test_light_commands_import_nothing_heavy(argv):
    output, code, modules = _run(f"""
import contextlib, io, json, sys
from sciml_estimators.bench._cli import main
with contextlib.redirect_stdout(io.StringIO()) as output:
    try:
        code = main({argv!r})
    except SystemExit as exit:  # argparse's --help
        code = exit.code
print(json.dumps([output.getvalue(), code, sorted(sys.modules)]))
""")
    assert code == 0
    assert output.startswith("saxs-1d" if argv == ["list"] else "usage: sciml-estimators")
    assert [name for name in HEAVY if name in modules] == []


def test_generators_that_train_nothing_import_no_torch():
    calls = ["make_saxs_1d(10, random_state=0)", "make_dms(4, shape=(16, 16), random_state=0)",
             "make_magnons(2, random_state=0)", "make_saxs_2d(2, shape=(16, 16), random_state=0)",
             # These two imported the estimators (and torch) before the screening's core
             # and the profile resampling moved below the datasets.
             "make_slstr_scenes(2, size=16, random_state=0)",
             "make_saxs_domain_shift(10, random_state=0)"]
    torch_after = _run(f"""
import json, sys
from sciml_estimators import datasets
torch_after = {{"import": "torch" in sys.modules}}
for call in {calls!r}:
    eval("datasets." + call)
    torch_after[call] = "torch" in sys.modules
print(json.dumps(torch_after))
""")
    assert torch_after == dict.fromkeys(["import", *calls], False)
