"""Partials take what they need explicitly: no template hands a partial its whole context.

Jinja2 has no ``{% include … with … only %}``. A partial is a macro imported with
``{% from "x.html" import name %}`` and called with its arguments (imports are without context
by default), or, where a partial must be included, ``{% include "x.html" without context %}``.
An include or an import ``with context`` lets a partial read any name its page happens to
define, so what it needs is written nowhere and renaming a page's variable breaks it silently.

Every template is parsed with the portal's own Jinja2 environment, so a tag inside a comment
does not count and every spelling of the tag (``{%- include … -%}``) does.
"""

from pathlib import Path

from django.template import engines
from jinja2 import nodes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def whole_context_uses(source: str, name: str = "<template>") -> list[str]:
    """Each include or import in a template's source that passes the whole context."""
    tree = engines["jinja2"].env.parse(source, name=name)
    found = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        if node.with_context:
            tag = "include" if isinstance(node, nodes.Include) else "import"
            found.append(f"{name}:{node.lineno}: {tag} takes the whole context")
    return found


def test_no_template_passes_its_whole_context_to_a_partial():
    paths = sorted(TEMPLATES.rglob("*.html"))
    assert len(paths) > 30  # every template was read
    problems = [
        problem
        for path in paths
        for problem in whole_context_uses(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert problems == []


def test_an_include_or_import_with_the_whole_context_is_caught():
    assert whole_context_uses('{% include "x.html" %}') == [
        "<template>:1: include takes the whole context"
    ]
    assert whole_context_uses('\n{%- include "x.html" with context -%}')[0].startswith(
        "<template>:2: include"
    )
    assert whole_context_uses('{% from "x.html" import y with context %}') == [
        "<template>:1: import takes the whole context"
    ]
    assert whole_context_uses('{% import "x.html" as x with context %}') == [
        "<template>:1: import takes the whole context"
    ]


def test_explicit_arguments_and_includes_without_context_pass():
    assert whole_context_uses('{% from "x.html" import y %}{{ y(a, b) }}') == []
    assert whole_context_uses('{% import "x.html" as x %}') == []
    assert whole_context_uses('{% include "x.html" without context %}') == []
    assert whole_context_uses('{# {% include "x.html" %} in a comment #}') == []
