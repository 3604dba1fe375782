"""Paths to the published fixtures, for tests that check the portal against them."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PUBLISHED = FIXTURES / "published"
PORTAL = FIXTURES / "portal"
