"""Fixtures the report tests share."""

import pytest
from django.core.cache import cache

from reports import pdf


@pytest.fixture
def renders(monkeypatch):
    """Every rendering, counted (the real one still runs)."""
    calls = []
    real = pdf.render

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "render", counting)
    cache.clear()
    yield calls
    cache.clear()
