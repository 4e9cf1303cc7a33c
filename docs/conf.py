"""Sphinx configuration of the sciml-estimators site.

Build (the README's command)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The API reference is written from the ``__all__`` lists (``docs/api_pages.py``)
and the gallery runs ``examples/plot_*.py`` at their own small sizes. Nothing
is fetched: there are no intersphinx inventories, so names of other projects
(NumPy, scikit-learn, torch, the Python standard library) render as plain
code, listed in ``nitpick_ignore_regex`` below.
"""

import re
import sys
import warnings
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
sys.path.insert(0, str(DOCS.parent))

import sciml_estimators  # noqa: E402
from api_pages import ROOT, canonical_name, object_exists, public_packages, write_api_pages  # noqa: E402
from sciml_estimators.exceptions import SciMLEstimatorsWarning  # noqa: E402

# As in the tests: the library's own warnings are errors in the examples too.
warnings.filterwarnings("error", category=SciMLEstimatorsWarning)

project = "sciml-estimators"
author = "sciml-estimators developers"
copyright = "sciml-estimators developers"
release = version = sciml_estimators.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# results/ holds raw outputs that performance.md links to as downloads.
exclude_patterns = ["_build", "results"]
html_theme = "pydata_sphinx_theme"
html_title = f"sciml-estimators {version}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
# MathJax is loaded by the reader's browser from its CDN; the build fetches nothing.

# --- API reference -----------------------------------------------------------
write_api_pages(DOCS / "api")
autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"exclude-members": "__init__"}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
# Only the aliases below (and numpydoc's own for builtins) are linked: the rest of a
# type ("array-like of shape (n_samples, n_q)") is words, not names.
numpydoc_xref_ignore = "all"
# Our own classes, by the short names the docstrings use in types.
numpydoc_xref_aliases = {
    name: f"{home}.{name}"
    for package in public_packages()
    for name in __import__(package, fromlist=["__all__"]).__all__
    if name[0].isupper()
    for home in [canonical_name(f"{package}.{name}").rsplit(".", 1)[0]]
}

# --- nitpicky: every reference must resolve ----------------------------------
nitpicky = True
suppress_warnings = [
    # numpydoc's References lists are not always cited in the text ([1]_).
    "ref.citation",
    # The guide pages include sections of the Markdown pages, whose headings start below H1.
    "myst.header",
]
nitpick_ignore_regex = [
    # Other projects' names: no intersphinx inventories (the build fetches nothing).
    (r"py:.*", r"(python|numpy|np|scipy|sklearn|skorch|torch|joblib|dask|distributed"
               r"|zarr|h5py|pandas|matplotlib|sasmodels|sasdata|tqdm|pathlib|os|io)[.:].*"),
    (r"std:(term|ref)", r"(python|numpy):.*"),
]

# --- gallery -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # every plot_*.py runs at build time
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("sciml_estimators",),
    "reference_url": {"sciml_estimators": None},
    "min_reported_time": 0,
    "write_computation_times": True,
    "abort_on_example_error": True,
    "remove_config_comments": True,
}

# --- Markdown pages ----------------------------------------------------------
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3


def _is_private(name):
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))


def _candidates(target, module):
    """Full names a (possibly relative) reference written in ``module`` may mean."""
    if target.startswith(ROOT) or not module:
        return [target]
    parts = module.split(".")
    names = [".".join(parts[:n] + [target]) for n in range(len(parts), 0, -1)]
    # A name relative to the private module that defines the documented object.
    names += [f"{name}.{target}" for name in sorted(sys.modules)
              if name.startswith(f"{module}._")]
    return names


def _our_target(target, module):
    """The page a reference to one of our names should reach, or None if not ours."""
    for candidate in _candidates(target, module):
        public = canonical_name(candidate)
        if public is not None:
            return public
        if candidate.startswith(ROOT) and object_exists(candidate):
            return candidate
    return None


def _resolve_public_alias(app, env, node, contnode):
    """Resolve a reference to any public path of one of our names to its one page.

    References to private helpers (``simulators._special.sph_j1c``) and to names
    relative to a private module render as code: they deliberately have no page.
    """
    if node.get("refdomain") != "py":
        return None
    target = _our_target(node.get("reftarget", ""), node.get("py:module"))
    if target is None:
        return None
    domain = env.get_domain("py")
    resolved = domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"],
                                   target, node, contnode)
    if resolved is None and _is_private(target):
        return contnode
    return resolved


def _docstring_owner(obj, name):
    """The class whose docstring a method shows (its own, or a base's it inherits)."""
    owner = getattr(sys.modules.get(getattr(obj, "__module__", ""), None),
                    getattr(obj, "__qualname__", "").rsplit(".", 1)[0], None)
    for base in getattr(owner, "__mro__", ()):
        member = vars(base).get(name)
        if member is not None and getattr(member, "__doc__", None):
            return base
    return owner


def _skip_foreign_member(app, what, name, obj, skip, options):
    """Document the methods our code defines and documents; not sklearn's or torch's."""
    if not callable(obj):
        return None
    owner = _docstring_owner(obj, name)
    module = getattr(owner, "__module__", None) or getattr(obj, "__module__", None) or ""
    return True if not module.startswith(ROOT) else None


TYPE_LINE = re.compile(r"^(\s*\*\*[^*]+\*\* : )(.*)$")


def _escape_type_underscores(app, what, name, obj, options, lines):
    """``of shape (n_features_in_,)``: a trailing underscore is a link in reST; escape it.

    Runs after numpydoc has turned ``name : type`` into ``**name** : type``.
    """
    for index, line in enumerate(lines):
        match = TYPE_LINE.match(line)
        if match:
            lines[index] = match.group(1) + re.sub(r"(\w)_(?=\W|$)", r"\1\\_", match.group(2))


def setup(app):
    """Connect the reference resolver, the member filter and the type escaping."""
    app.connect("missing-reference", _resolve_public_alias)
    app.connect("autodoc-skip-member", _skip_foreign_member)
    app.connect("autodoc-process-docstring", _escape_type_underscores, priority=900)
