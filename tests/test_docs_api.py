"""The API reference lists every public name, once, without building Sphinx.

``docs/api_pages.py`` writes the reference's pages from the ``__all__`` lists
at every build; these tests read the pages it writes and check them against
the package, so a public name can neither be missing nor documented twice.
"""

import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path

import pytest

import sciml_estimators

DOCS = Path(__file__).parents[1] / "docs"


def _load_api_pages():
    spec = importlib.util.spec_from_file_location("api_pages", DOCS / "api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api_pages = _load_api_pages()


def _listed(page):
    """{name: documented here (True) or linked (False)} from a page's autosummaries."""
    listed = {}
    for block in re.split(r"^\.\. autosummary::\n", page, flags=re.M)[1:]:
        lines = block.split("\n\n", 2)
        toctree = ":toctree:" in lines[0]
        for name in lines[1].split():
            assert name not in listed, f"{name} listed twice"
            listed[name] = toctree
    return listed


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    packages = api_pages.write_api_pages(folder)
    return {package: (folder / f"{package}.rst").read_text() for package in packages}


def test_every_public_subpackage_has_a_page(pages):
    public = {f"sciml_estimators.{module.name}"
              for module in pkgutil.iter_modules(sciml_estimators.__path__)
              if not module.name.startswith("_")}
    public.add("sciml_estimators")
    without_all = [name for name in public if not hasattr(importlib.import_module(name), "__all__")]
    assert not without_all, f"public modules without __all__: {without_all}"
    assert set(pages) == public


def test_each_page_lists_exactly_its_all(pages):
    for package, page in pages.items():
        assert sorted(_listed(page)) == sorted(importlib.import_module(package).__all__), package


def test_every_name_is_documented_once_where_it_is_defined(pages):
    documented = {}
    for package, page in pages.items():
        for name, here in _listed(page).items():
            if here:
                assert f"{package}.{name}" not in documented
                documented[f"{package}.{name}"] = package
    for package, page in pages.items():
        for name in _listed(page):
            home = api_pages.canonical_name(f"{package}.{name}")
            assert home in documented, f"{package}.{name} points to {home}, which has no page"
    # Where the code defines them: the estimators in estimators, the stores in storage.
    assert api_pages.canonical_name("sciml_estimators.SAXSClassifier.fit") == (
        "sciml_estimators.estimators.SAXSClassifier.fit")
    assert api_pages.canonical_name("sciml_estimators.datasets.OnDiskArray") == (
        "sciml_estimators.storage.OnDiskArray")
    assert api_pages.canonical_name("sciml_estimators.simulators._special.j1c") is None


def test_the_site_includes_every_page():
    """Every docs/*.md (which the README links to) and the reference are in a toctree."""
    toctrees = "\n".join(path.read_text() for path in DOCS.glob("*.rst"))
    entries = set(re.findall(r"^   ([\w/.-]+)$", toctrees, flags=re.M))
    pages = {path.stem for path in DOCS.glob("*.md")} | {
        path.stem for path in DOCS.glob("*.rst") if path.stem != "index"}
    assert pages | {"api/index", "auto_examples/index", "sg_execution_times"} <= entries
    readme = (DOCS.parent / "README.md").read_text()
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (DOCS.parent / link).exists(), link
