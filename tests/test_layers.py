"""Imports run one way: each package imports only from the floors below it (README, ARCHITECTURE).

Every module's imports are read with ast, those inside functions too, so a deferred import
cannot hide a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. A package may import its own floor's code only from itself.
FLOORS = [
    {"common"},
    {"directorates"},
    {"kpis", "finance", "surveys", "plans"},
    {"dashboards", "reports"},
    {"ccgportal"},
    {"demo"},  # development and tests only: nothing in the portal imports it
    {"bench"},  # the benchmarks, which build their data with the demo's
]
# On one floor, one way only: the annual report reuses the dashboards' scorecard reads and
# their wording; the dashboards never import the report.
SIBLING_READS = {"reports": {"dashboards"}}
FLOOR = {package: level for level, packages in enumerate(FLOORS) for package in packages}

# Inside an app, its own ground (models, rules and the reads over them) never imports its rooms.
ROOMS = {"kpis": {"kpis.returns", "kpis.imports"}}
APP_TOP = {"admin", "apps", "management"}  # the app's own roof: may use every room


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _room(module: str, app: str) -> str | None:
    return next((room for room in ROOMS.get(app, ()) if module.startswith(room + ".")), None)


def violations(modules: list[tuple[str, str]]) -> list[str]:
    """Each import in (module name, source) pairs that runs against the floors or the rooms."""
    problems = []
    for name, source in modules:
        package = name.split(".")[0]
        for line, target in _imported(ast.parse(source)):
            other = target.split(".")[0]
            if other not in FLOOR or other == package:
                if other == package and package in ROOMS:
                    own, theirs = _room(name, package), _room(target, package)
                    top = name.split(".")[1] in APP_TOP if "." in name else False
                    if theirs and own is None and not top:
                        problems.append(f"{name}:{line} imports {target} (a room of {package})")
                continue
            if other in SIBLING_READS.get(package, ()):
                continue
            if FLOOR[other] >= FLOOR[package]:
                problems.append(
                    f"{name}:{line} imports {target}: {package} sits on floor "
                    f"{FLOOR[package]}, {other} on floor {FLOOR[other]}"
                )
    return problems


def portal_modules() -> list[tuple[str, str]]:
    modules = []
    for package in FLOOR:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            modules.append((".".join(relative.parts), path.read_text(encoding="utf-8")))
    return modules


def test_every_import_runs_down_the_floors():
    modules = portal_modules()
    assert len(modules) > 100  # every package was read
    assert violations(modules) == []


def test_an_app_importing_the_roof_is_caught():
    assert violations([("kpis.rules", "from ccgportal.imports import run\n")]) == [
        "kpis.rules:1 imports ccgportal.imports.run: kpis sits on floor 2, ccgportal on floor 4"
    ]


def test_the_ground_floor_importing_an_app_is_caught_even_inside_a_function():
    source = "def parse():\n    from kpis.models import Figure\n"
    assert violations([("common.cells", source)]) == [
        "common.cells:2 imports kpis.models.Figure: common sits on floor 0, kpis on floor 2"
    ]


def test_siblings_on_one_floor_do_not_import_each_other():
    assert violations([("finance.rules", "import surveys.models\n")]) == [
        "finance.rules:1 imports surveys.models: finance sits on floor 2, surveys on floor 2"
    ]


def test_the_report_reads_the_dashboards_but_not_the_other_way():
    assert violations([("reports.selectors", "from dashboards import scorecard\n")]) == []
    assert violations([("dashboards.views", "from reports import selectors\n")]) == [
        "dashboards.views:1 imports reports.selectors: dashboards sits on floor 3, "
        "reports on floor 3"
    ]


def test_an_apps_ground_importing_its_rooms_is_caught():
    assert violations([("kpis.series", "from kpis.returns import services\n")]) == [
        "kpis.series:1 imports kpis.returns.services (a room of kpis)"
    ]
    assert violations([("kpis.admin", "from kpis.returns import services\n")]) == []
    assert violations([("kpis.imports.state", "from kpis.returns import services\n")]) == []


def test_nothing_imports_the_demo():
    assert violations([("ccgportal.views", "from demo.published import load_demo\n")]) == [
        "ccgportal.views:1 imports demo.published.load_demo: ccgportal sits on floor 4, "
        "demo on floor 5"
    ]
