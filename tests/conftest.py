"""Shared test fixtures."""

import pytest

from ccgportal.demo import load_demo


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing demo passwords properly costs seconds per load; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The published 2013/14 record, the 2015/16 plan, an open 2014/15 and the demo users."""
    return load_demo(password="demo-pass")
