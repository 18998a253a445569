"""The import graph: no module imports itself back (at run time, even from a function), and type-only
imports name a module that defines what they import."""

from __future__ import annotations

import ast
from pathlib import Path

import narrate

SOURCE = Path(narrate.__file__).parent
# Known, left for now: the command group imports its command modules so that they register (each imports the
# group); htmlparts imports html's `sentence` inside two functions (to be moved to one of them, #27).
KNOWN = [{"narrate.cli", "narrate.cli.book", "narrate.cli.catalog", "narrate.cli.info", "narrate.cli.studio"},
         {"narrate.inputs.html", "narrate.inputs.htmlparts"}]


def _modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _type_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST):
    """(module, names) of each absolute narrate import run at some time (module level or in a function), not type-only."""
    for node in ast.iter_child_nodes(tree):
        if _type_only(node):
            continue
        if isinstance(node, ast.Import):
            yield from ((a.name, ()) for a in node.names if a.name.startswith("narrate"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("narrate"):
            yield node.module, tuple(a.name for a in node.names)
        yield from _imports(node)


def _graph() -> dict[str, set[str]]:
    """Each module's run-time narrate imports (module level or in a function), with the packages they run first."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = set()
        for module, names in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            wanted = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES] or [module]
            for target in wanted:
                parts = target.split(".")
                targets |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)}  # a.b.c runs a.b first
        graph[name] = {t for t in targets if t in MODULES and t != name and not name.startswith(t + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_back():
    assert [c for c in _cycles(_graph()) if c not in KNOWN] == []


def test_the_graph_sees_a_cycle_through_a_function():
    graph = _graph()
    graph["narrate.config"].add("narrate.watch")  # as if config imported watch in a function: watch -> ... -> config
    assert any({"narrate.config", "narrate.watch"} <= c for c in _cycles(graph))


def _defined(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            names |= {t.id for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
    return names


def test_type_only_imports_come_from_the_module_that_defines_them():
    wrong = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _type_only(node):
                for imp in ast.walk(node):
                    if isinstance(imp, ast.ImportFrom) and (imp.module or "").startswith("narrate"):
                        source = MODULES.get(imp.module)
                        missing = [a.name for a in imp.names if f"{imp.module}.{a.name}" not in MODULES
                                   and (source is None or a.name not in _defined(source))]
                        wrong += [f"{name}: {n} from {imp.module}" for n in missing]
    assert wrong == []


# The stages the library API (narrate.api) fronts: its two front ends reach them only through it.
STAGES = {"narrate.build", "narrate.plan", "narrate.status", "narrate.watch", "narrate.verify.book",
          "narrate.speech.cache_report", "narrate.project", "narrate.editing"}


def test_the_command_line_and_the_catalog_call_the_stages_only_through_the_api():
    fronts = [n for n in MODULES if n.startswith("narrate.cli")] + ["narrate.publish.catalog"]
    reached = {
        name: sorted({t for t in _graph()[name] if t in STAGES})
        for name in fronts
    }
    assert {name: stages for name, stages in reached.items() if stages} == {}
    assert "narrate.api" in _graph()["narrate.publish.catalog"]
