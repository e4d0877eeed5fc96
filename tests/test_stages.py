"""One composer: no stage runs another; ``rearguard/pipeline.py`` composes them.

Read with ``ast`` (nothing is imported): every import a module makes when it runs,
module-level or inside a function, counts; imports under ``if TYPE_CHECKING:`` (record
types for the type checker) do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rearguard"
STAGES = ("nlp", "geo", "events", "control")

# Modules inside a stage's package that run no stage: data readers, the distance on the
# sphere, text and parse helpers. Any module may import them.
SHARED = frozenset({
    "rearguard.geo.distance",
    "rearguard.geo.focus",  # datelines and publishers' homes: text and tables, no stage
    "rearguard.geo.gazetteer",  # the index itself (the nlp rulers read its names)
    "rearguard.geo.normalize",
    "rearguard.geo.sources",
    "rearguard.nlp.counts",
    "rearguard.nlp.dates",
    "rearguard.nlp.numbers",
    "rearguard.nlp.sentences",
    "rearguard.nlp.syntax",
    "rearguard.nlp.toponyms",  # the toponym model over a parsed doc (geo calls it)
})

# Known departures, each to be removed when fixed (the tests fail on a stale entry).
STAGE_EXCEPTIONS = {
    # geocode_text/find_toponyms load spaCy for the `geocode` command: that composition
    # belongs in pipeline.py.
    ("rearguard.geo", "rearguard.nlp.pipeline"),
}
COMPOSER_EXCEPTIONS = {
    # scores the locator on gold sentences: parses them and finds their toponyms itself
    "rearguard.eval.location",
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for sub in node.body for n in ast.walk(sub)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # "from . import x" / "from ..control import statements": submodules too
            found |= {f"{module}.{alias.name}" for alias in node.names
                      if _exists(f"{module}.{alias.name}")}
    return found


def _exists(module: str) -> bool:
    path = PACKAGE.parent / module.replace(".", "/")
    return path.is_dir() or path.with_suffix(".py").is_file()


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "rearguard" and len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return None


def _all_modules() -> dict[str, set[str]]:
    return {_module(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_stage_imports_another_stage() -> None:
    """A stage module imports only its own package, shared helpers and non-stage code:
    events never reach control or the resolver, control never reaches events."""
    crossings = set()
    for module, imports in _all_modules().items():
        own = _stage(module)
        if own is None:
            continue
        for imported in imports:
            other = _stage(imported)
            if other is not None and other != own and imported not in SHARED:
                crossings.add((module, imported))
    assert crossings == STAGE_EXCEPTIONS


def test_only_the_pipeline_composes_stages() -> None:
    """Outside the stages, only ``rearguard.pipeline`` imports the entry points of more
    than one stage."""
    composers = set()
    for module, imports in _all_modules().items():
        if _stage(module) is not None:
            continue
        stages = {_stage(m) for m in imports if _stage(m) is not None and m not in SHARED}
        if len(stages) > 1:
            composers.add(module)
    assert composers == {"rearguard.pipeline"} | COMPOSER_EXCEPTIONS


def test_the_pipeline_runs_every_stage() -> None:
    """The check above sees the composition (so it is not vacuous)."""
    imports = _imports(PACKAGE / "pipeline.py")
    for entry in ("rearguard.nlp.parse", "rearguard.geo.resolve", "rearguard.events.extract",
                  "rearguard.events.merge", "rearguard.control"):
        assert entry in imports


def test_the_shared_helpers_exist() -> None:
    for module in SHARED:
        assert _exists(module), module
