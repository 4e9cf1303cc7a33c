"""The import graph: layers import only those below them, and no module imports in a circle.

Every import counts, those inside functions too. The layers, lowest first
(docs/architecture.md draws them):

- the package's own top-level helpers (``_framework``, ``_progress``, ``exceptions``, the
  version);
- ``simulators`` (kernels), ``storage`` (stores on disk), ``metrics``, ``models`` (torch modules);
- ``preprocessing`` (NumPy feature transforms);
- ``datasets`` (``make_*`` and ``load_*``);
- ``_engine`` (the private training engine);
- ``estimators``;
- ``bench`` (the benchmark suite and the command line).
"""

import ast
from pathlib import Path

import sciml_estimators

PACKAGE = Path(sciml_estimators.__file__).parent
TOP_LEVEL = {"sciml_estimators", "sciml_estimators._framework", "sciml_estimators._progress",
             "sciml_estimators.exceptions"}

#: What each layer may import, besides itself and the top-level helpers.
ALLOWED = {
    "simulators": set(),
    "storage": set(),
    "metrics": set(),
    "models": set(),
    "preprocessing": {"storage"},
    "datasets": {"simulators", "storage", "preprocessing"},
    "_engine": {"models", "preprocessing", "storage"},
    "estimators": {"_engine", "models", "preprocessing", "simulators", "metrics"},
    "bench": {"simulators", "storage", "metrics", "models", "preprocessing", "datasets",
              "_engine", "estimators"},
}


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name, path):
    """The package modules that module ``name`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def layer(name):
    return None if name in TOP_LEVEL else name.split(".")[1]


def test_layers_import_only_what_lies_below_them():
    assert set(ALLOWED) == {layer(name) for name in MODULES if layer(name)} - {"__main__"}
    upward = []
    for name, targets in GRAPH.items():
        source = "bench" if name == "sciml_estimators.__main__" else layer(name)
        for target in targets:
            if target in TOP_LEVEL or layer(target) == source:
                continue
            if source is None or layer(target) not in ALLOWED[source]:
                upward.append(f"{name} -> {target}")
    assert not upward, "imports against the layers:\n" + "\n".join(sorted(upward))


def test_no_module_imports_in_a_circle():
    state, cycles = {}, []

    def visit(name, stack):
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
