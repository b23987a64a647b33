"""The code's shape: no import circles, no imports inside functions, short files and views.

Computed from the source text (the module-level imports of every module in petition/),
so a circle fails here before it fails at import time.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "petition"
MAX_FILE_LINES = 400
MAX_VIEW_LINES = 30
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _top_level_imports(tree):
    """The import statements that run when the module is imported (not in functions)."""
    found = []
    for node in tree.body:
        for inner in ast.walk(node):
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                break
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                found.append(inner)
    return found


def import_graph(modules):
    """{module: modules of petition it imports at module level}."""
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        targets = set()
        for node in _top_level_imports(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    targets.add(submodule if submodule in modules else node.module)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph):
    """Every strongly connected group of two or more modules (Tarjan's algorithm)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_planted_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_petition():
    graph = import_graph(_modules())
    assert "petition.signing.service" in graph  # the walk sees the features
    assert cycles(graph) == []


def test_no_imports_inside_functions():
    inside = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside += [f"{name}:{inner.lineno}" for inner in ast.walk(node)
                           if isinstance(inner, (ast.Import, ast.ImportFrom))]
    assert inside == []


def test_no_file_over_the_limit():
    long_files = {name: n for name, path in _modules().items()
                  if (n := len(path.read_text().splitlines())) > MAX_FILE_LINES}
    assert long_files == {}


def _is_view(function):
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS:
            return True
    return False


def test_no_view_over_the_limit():
    long_views = {}
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef) and _is_view(node):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_VIEW_LINES:
                    long_views[f"{name}.{node.name}"] = length
    assert long_views == {}
