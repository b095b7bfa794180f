"""The package layout stays the pipeline: layers import only downward, and no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import newsdesk

ROOT = Path(newsdesk.__file__).parent

# lowest first; a unit may import itself and any unit before it, never one after it
LAYERS = [
    "settings",
    "progress",
    "text",
    "store",
    "monitor",
    "read",
    "embed",
    "entities",
    "stories",
    "claims",
    "personas",
    "llm",
    "write",
    "accounts",
    "desk",
    "pipeline",
    "publish",
    "tasks",
    "quality",
    "web",
    "demo",
    "cli",
]
ENTRY_POINTS = {"__init__", "__main__"}


def unit_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def imported_units(path: Path) -> set[str]:
    """Top-level newsdesk units a module imports (relative imports stay inside its unit)."""
    units: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "newsdesk":
                names = [f"newsdesk.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        units |= {n.split(".")[1] for n in names if n.startswith("newsdesk.")}
    return units


def import_graph() -> dict[str, dict[str, set[str]]]:
    """unit -> imported unit -> the modules that import it."""
    graph: dict[str, dict[str, set[str]]] = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        src = unit_of(path)
        for dst in imported_units(path) - {src}:
            graph.setdefault(src, {}).setdefault(dst, set()).add(str(path.relative_to(ROOT)))
    return graph


def test_every_unit_has_a_layer() -> None:
    units = {unit_of(p) for p in ROOT.glob("*") if p.suffix == ".py" or p.is_dir()}
    units -= ENTRY_POINTS | {"__pycache__", "py"}
    units = {u for u in units if not u.startswith(".") and u != "py.typed"}
    assert units <= set(LAYERS), f"units with no layer: {sorted(units - set(LAYERS))}"


def test_only_settings_pipeline_and_progress_are_loose_modules() -> None:
    loose = {p.stem for p in ROOT.glob("*.py")} - ENTRY_POINTS
    assert loose == {"settings", "pipeline", "progress"}


def test_layers_import_only_downward() -> None:
    upward = [
        f"{src} -> {dst} ({', '.join(sorted(where))})"
        for src, deps in import_graph().items()
        if src in LAYERS
        for dst, where in deps.items()
        if dst in LAYERS and LAYERS.index(dst) > LAYERS.index(src)
    ]
    assert upward == []


def test_no_import_cycles_between_units() -> None:
    graph = {src: set(deps) for src, deps in import_graph().items()}
    seen: set[str] = set()
    stack: list[str] = []

    def visit(unit: str) -> list[str] | None:
        if unit in stack:
            return [*stack[stack.index(unit) :], unit]
        if unit in seen:
            return None
        seen.add(unit)
        stack.append(unit)
        for nxt in sorted(graph.get(unit, ())):
            cycle = visit(nxt)
            if cycle:
                return cycle
        stack.pop()
        return None

    for unit in sorted(graph):
        assert visit(unit) is None
