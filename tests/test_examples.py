"""The examples are the gallery's: they run once, when the site is built.

``sphinx-build`` (``.ci/run``, the README's command) executes every
``examples/plot_*.py`` and fails on an error; these tests check only what needs
no running: that each example is picked up by the gallery, has the title and
introduction sphinx-gallery renders, and compiles.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


def _gallery_conf():
    tree = ast.parse((ROOT / "docs" / "conf.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "sphinx_gallery_conf":
            return ast.literal_eval(node.value)
    raise AssertionError("docs/conf.py sets no sphinx_gallery_conf")


def test_the_gallery_runs_every_example():
    conf = _gallery_conf()
    assert (ROOT / "docs" / conf["examples_dirs"]).resolve() == ROOT / "examples"
    assert (ROOT / "examples" / "README.txt").exists()  # the gallery's header
    assert len(EXAMPLES) >= 8
    for path in EXAMPLES:
        assert re.search(conf["filename_pattern"], str(path)), f"{path.name} would not run"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_has_a_title_and_compiles(path):
    source = path.read_text()
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring, f"{path.name} has no docstring"
    title, underline, blank, *introduction = docstring.splitlines()
    assert set(underline) == {"="} and len(underline) >= len(title), path.name
    assert not blank and any(introduction), f"{path.name} has no introduction"
    compile(source, str(path), "exec")
