"""The warnings policy: the library's warnings are its own class, and errors in tests.

pyproject.toml turns every warning into an error except the ecosystem's
deprecations, which are reported; a test that provokes one of the library's
warnings expects it with ``pytest.warns``.
"""

import ast
import warnings
from pathlib import Path

import pytest

import sciml_estimators
from sciml_estimators import exceptions
from sciml_estimators.exceptions import SciMLEstimatorsWarning

PACKAGE = Path(sciml_estimators.__file__).parent


def warn_calls():
    """Every ``warnings.warn(...)`` call in the package, with its file and line."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "warn" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "warnings"):
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", node


def category_name(call):
    if len(call.args) > 1:
        return getattr(call.args[1], "id", None)
    return next((getattr(k.value, "id", None) for k in call.keywords if k.arg == "category"),
                None)


def test_the_library_warns_only_with_its_own_classes():
    calls = list(warn_calls())
    assert calls, "the package raises warnings; the AST walk found none"
    for where, call in calls:
        category = getattr(exceptions, category_name(call) or "", None)
        assert isinstance(category, type) and issubclass(category, SciMLEstimatorsWarning), (
            f"{where}: warnings.warn needs a category from sciml_estimators.exceptions"
        )


def test_library_warnings_are_errors_and_third_party_deprecations_are_reported():
    with pytest.raises(SciMLEstimatorsWarning):
        warnings.warn("the library's own", SciMLEstimatorsWarning)
    with pytest.raises(UserWarning):
        warnings.warn("any other warning", UserWarning)
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn("a third-party deprecation", category)
        assert [w.category for w in caught] == [category]
