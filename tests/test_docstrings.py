"""numpydoc validation of every public name."""

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate", reason="needs numpydoc (test extra)")

MODULES = [
    "sciml_estimators.simulators",
    "sciml_estimators.storage",
    "sciml_estimators.datasets",
    "sciml_estimators.estimators",
    "sciml_estimators.metrics",
    "sciml_estimators.bench",
]

# Checks we do not enforce, as in scikit-learn's test_docstrings.py: an
# extended summary and See Also are welcome but optional, and summaries may
# run over one line.
IGNORED = {"ES01", "SA01", "GL01", "GL02", "SS05", "RT02", "SS03", "SS06", "PR09", "RT03"}


MODULE_DEPTH = 2  # "sciml_estimators.<subpackage>.<name>"


def _public_objects():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            yield f"{module_name}.{name}"
            if inspect.isclass(obj):
                for method, _ in inspect.getmembers(obj, inspect.isfunction):
                    generated = method.startswith("set_") and method.endswith("_request")
                    if not method.startswith("_") and method in vars(obj) and not generated:
                        yield f"{module_name}.{name}.{method}"


@pytest.mark.parametrize("name", sorted(set(_public_objects())))
def test_docstring(name):
    result = numpydoc_validate.validate(name)
    # Methods are shown by their class's example.
    is_method = name.count(".") > MODULE_DEPTH
    ignored = IGNORED | ({"EX01"} if is_method else set())
    errors = [(code, message) for code, message in result["errors"] if code not in ignored]
    assert not errors, "\n".join(f"{code}: {message}" for code, message in errors)
