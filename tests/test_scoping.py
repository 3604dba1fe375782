"""Views read KPI data only through kpis.scoping, so no page can forget whose rows it shows.

Every view module's source is read with ast: importing a scoped model, or naming one's manager
(``Figure.objects``, ``Figure.history``), is the mistake this test exists to catch. Views get
those rows from ``kpis.scoping`` (or a selector given its querysets) instead.
"""

import ast

from kpis.scoping import SCOPED_MODELS
from tests.test_layers import portal_modules

SCOPED = {model.__name__ for model in SCOPED_MODELS}


def _is_view(name: str) -> bool:
    return name.endswith(".views") or ".views." in name


def unscoped_reads(modules: list[tuple[str, str]]) -> list[str]:
    problems = []
    for name, source in modules:
        if not _is_view(name):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("models"):
                problems.extend(
                    f"{name}:{node.lineno} imports {alias.name}: read it through kpis.scoping"
                    for alias in node.names
                    if alias.name in SCOPED
                )
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in ("objects", "history", "_default_manager")
                and isinstance(node.value, ast.Name | ast.Attribute)
                and (getattr(node.value, "id", None) or getattr(node.value, "attr", None)) in SCOPED
            ):
                problems.append(f"{name}:{node.lineno} queries {ast.unparse(node)} unscoped")
    return problems


def test_no_view_queries_a_scoped_model_itself():
    modules = portal_modules()
    views = [name for name, _ in modules if _is_view(name)]
    assert {"dashboards.views", "kpis.returns.views", "ccgportal.views"} <= set(views)
    assert unscoped_reads(modules) == []


def test_a_view_reading_figures_itself_is_caught():
    source = (
        "from kpis.models import Figure, Kpi\n"
        "from kpis import models\n"
        "def page(request):\n"
        "    return models.TeamReturn.objects.all(), Figure.history.all()\n"
    )
    assert unscoped_reads([("dashboards.views", source)]) == [
        "dashboards.views:1 imports Figure: read it through kpis.scoping",
        "dashboards.views:4 queries models.TeamReturn.objects unscoped",
        "dashboards.views:4 queries Figure.history unscoped",
    ]
    assert unscoped_reads([("dashboards.scorecard", source)]) == []  # a selector, not a view
