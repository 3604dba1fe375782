"""Start-up problems give one line naming the cause, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_database_that_does_not_answer_is_named_without_a_traceback():
    result = manage("migrate", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result.returncode == 1
    assert "Cannot use the database 127.0.0.1:1/nowhere (from DATABASE_URL):" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_is_a_configuration_error():
    result = manage("check", DEBUG="1", DATABASE_URL="nonsense://what")
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DATABASE_URL is not a database URL")
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_has_no_demo_data_commands_unless_a_demonstration_site_asks():
    production = manage("help", "--commands", DEBUG="0", SECRET_KEY="x" * 50)
    assert production.returncode == 0, production.stderr
    commands = production.stdout.split()
    assert "import_returns" in commands
    assert "load_demo" not in commands and "make_synthetic_data" not in commands

    demonstration = manage("help", "--commands", DEBUG="0", SECRET_KEY="x" * 50, DEMO_DATA="1")
    assert {"load_demo", "make_synthetic_data"} <= set(demonstration.stdout.split())
    development = manage("help", "--commands", DEBUG="1")
    assert "load_demo" in development.stdout.split()
