"""Write the API reference's pages from each public subpackage's ``__all__``.

``docs/conf.py`` calls :func:`write_api_pages` before every build, so a name
added to an ``__all__`` gets its page with no edit here. Each object is
documented once, in the public subpackage whose (private) module defines it
(``SAXSClassifier`` in ``sciml_estimators.estimators``); the other packages
that re-export it list it with a link to that page, and :func:`canonical_name`
lets ``conf.py`` resolve references to any of its public paths
(``sciml_estimators.SAXSClassifier``). ``tests/test_docs_api.py`` checks the
pages against the ``__all__`` lists without building Sphinx.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

ROOT = "sciml_estimators"


def public_packages():
    """Names of the package and of its public subpackages with an ``__all__``."""
    package = importlib.import_module(ROOT)
    names = [ROOT]
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("_"):
            continue
        name = f"{ROOT}.{module.name}"
        if hasattr(importlib.import_module(name), "__all__"):
            names.append(name)
    return names


def _public_prefix(module_name):
    """``a.b._c.d`` -> ``a.b``: the module path up to its first private part."""
    parts = []
    for part in module_name.split("."):
        if part.startswith("_"):
            break
        parts.append(part)
    return ".".join(parts)


def home_package(package, name):
    """The public package whose page documents ``package.name``."""
    obj = getattr(importlib.import_module(package), name)
    if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return _public_prefix(getattr(obj, "__module__", None) or package)
    return package  # data such as __version__ lives where it is listed


def canonical_name(target):
    """The documented name of a public dotted path, or None if it is not one of ours.

    ``sciml_estimators.SAXSClassifier.fit`` ->
    ``sciml_estimators.estimators.SAXSClassifier.fit``.
    """
    parts = target.split(".")
    if parts[0] != ROOT:
        return None
    for split in range(len(parts) - 1, 0, -1):
        package = ".".join(parts[:split])
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        name, rest = parts[split], parts[split + 1:]
        if name not in getattr(module, "__all__", ()):
            return None
        return ".".join([home_package(package, name), name, *rest])
    return None


def object_exists(name):
    """Whether a dotted name is an importable module or an attribute of one."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def _autosummary(names, toctree):
    lines = [".. autosummary::"]
    if toctree:
        lines.append("   :toctree: ../generated")
    lines += ["   :nosignatures:", ""] + [f"   {name}" for name in names] + [""]
    return lines


def package_page(package):
    """The reStructuredText of one package's reference page."""
    names = list(importlib.import_module(package).__all__)
    own = [name for name in names if home_package(package, name) == package]
    elsewhere = [name for name in names if name not in own]
    lines = [package, "=" * len(package), "", f".. automodule:: {package}", "",
             f".. currentmodule:: {package}", ""]
    if own:
        lines += _autosummary(own, toctree=True)
    if elsewhere:
        title = "Also importable from here"
        lines += [title, "-" * len(title), "",
                  "Documented in the package that defines them:", ""]
        lines += _autosummary(elsewhere, toctree=False)
    return "\n".join(lines)


def index_page(packages):
    """The reStructuredText of the reference's index page."""
    lines = ["API reference", "=============", "",
             "Every name in a public package's ``__all__``, generated from the code.", "",
             ".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   {package}" for package in packages]
    return "\n".join(lines) + "\n"


def write_api_pages(folder):
    """Write ``index.rst`` and one page per public package into ``folder``.

    Files are rewritten only when their text changes, so that Sphinx rebuilds
    only what changed.

    Parameters
    ----------
    folder : str or pathlib.Path
        Where the pages go (created if missing).

    Returns
    -------
    list of str
        The public packages, in the order of the index.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    packages = public_packages()
    pages = {"index": index_page(packages)}
    pages.update({package: package_page(package) for package in packages})
    for stem, text in pages.items():
        path = folder / f"{stem}.rst"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return packages
