"""The examples run end to end (with a non-interactive matplotlib backend)."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib", reason="examples need the plot extra")
    matplotlib.use("Agg")
    monkeypatch.setattr("matplotlib.pyplot.show", lambda: None)
    runpy.run_path(str(path), run_name="__main__")
    matplotlib.pyplot.close("all")
