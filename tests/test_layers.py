"""Apps depend one way: an app imports only from its own layer or the layers below it.

The graph is read from the source with `ast` (every `import`, at module level or inside a function,
outside migrations), so an upward import fails here whether or not it would have caused an import
cycle at start-up. Within a layer the apps may import each other as long as the graph stays acyclic.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import motcua

PACKAGE = Path(motcua.__file__).parent

# Bottom first. "motcua.<module>" names the small modules at the package's root.
LAYERS: list[set[str]] = [
    # shared plumbing: knows no domain
    {"common", "units", "workdays", "notify", "motcua.readonly_admin", "motcua.command_args",
     "motcua.production", "motcua.language"},
    {"catalogue"},
    {"dossiers"},
    # the doors' abuse limits: they look up a dossier, and payments, results and feedback use them
    {"limits"},
    {"payments", "results", "feedback", "integrations"},
    {"index"},
    {"desk", "portal"},
    # the scheduled jobs of every app, and the health check that reads their heartbeat
    {"scheduling", "operations"},
    # the project's wiring; the UTF-8 middleware answers API requests in the API's error shape
    {"motcua.api", "motcua.urls", "motcua.settings", "motcua.wsgi", "motcua.cli", "motcua.encoding"},
    {"demo"},
]

# Upward imports that are known and being removed (issue 15). Each is "importing file -> imported
# module"; the list may only shrink. Remove a line as soon as its import goes.
TEMPORARY = {
    # the event chain's checkpoints are timestamped with the PKI that lives in results
    "dossiers/checkpoints.py -> motcua.results",
    "dossiers/integrity.py -> motcua.results",
    # applicants' notices: notify listens to the dossiers' after-append hook and words the notices
    # (Action → text) until the wording moves to the domain that sends it (item 5)
    "notify/apps.py -> motcua.dossiers.door",
    "notify/services.py -> motcua.dossiers.transitions",
    "notify/services.py -> motcua.results.services",
    "notify/texts.py -> motcua.dossiers.links",
    "notify/texts.py -> motcua.dossiers",
}


def _key(relative: Path, module: str) -> str:
    return f"{relative.as_posix()} -> {module}"


def _layer_of() -> dict[str, int]:
    return {app: i for i, layer in enumerate(LAYERS) for app in layer}


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "motcua" or len(parts) == 1:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() else f"motcua.{parts[1]}"


def _source_app(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else f"motcua.{relative.stem}"


def _imports(path: Path, relative: Path) -> list[tuple[int, str]]:
    package = ["motcua", *relative.with_suffix("").parts][:-1]  # the package a relative import starts from
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            if base == "motcua" or (node.level and not node.module):
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, base))
    return found


def app_imports(*, temporary: bool = False) -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) → ["file:line -> module", …] for every import between two apps,
    without the TEMPORARY exceptions unless asked for."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        source = _source_app(relative)
        for line, module in _imports(path, relative):
            target = _app(module)
            if target and target != source and (temporary or _key(relative, module) not in TEMPORARY):
                edges[(source, target)].append(f"{relative.as_posix()}:{line} -> {module}")
    return edges


def test_every_app_has_a_layer():
    apps = {_source_app(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.stem != "__init__"}
    assert apps - set(_layer_of()) == set()


def test_no_app_imports_from_a_layer_above():
    layer = _layer_of()
    upward = []
    for (source, target), sites in app_imports().items():
        if layer[target] > layer[source]:
            upward += sites
    assert upward == []


def test_temporary_exceptions_still_exist():
    """An exception whose import has gone must leave the list, so that it only shrinks."""
    present = {site.split(":")[0] + " -> " + site.split(" -> ")[1]
               for sites in app_imports(temporary=True).values() for site in sites}
    assert TEMPORARY - present == set()


def test_the_app_graph_has_no_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in app_imports():
        graph[source].add(target)
    visiting, done, cycles = set(), set(), []

    def visit(app, path):
        visiting.add(app)
        for nxt in sorted(graph[app]):
            if nxt in visiting:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [app, nxt])
            elif nxt not in done:
                visit(nxt, path + [nxt])
        visiting.discard(app)
        done.add(app)

    for app in sorted(graph):
        if app not in done:
            visit(app, [app])
    assert cycles == []
