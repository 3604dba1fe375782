"""Backing up the portal's database and restoring it, on PostgreSQL and on SQLite.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot of a running database, read
back by ``pg_restore``). SQLite: the online backup API (``sqlite3.Connection.backup``), which
copies a consistent image of the database while the portal keeps using it. Either way a backup
is written to a temporary name beside its destination and renamed once complete, so a file
with the final name is never half-written.

A restore goes into the database given (by default the portal's own, from DATABASE_URL) and
refuses one that already holds tables unless told to replace it; on PostgreSQL it runs in one
transaction, so a restore that fails leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs PostgreSQL's own pg_dump and pg_restore
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PG_MAGIC = b"PGDMP"  # how a pg_dump custom-format archive begins
SQLITE_MAGIC = b"SQLite format 3\x00"
SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class Database:
    """Where a database is: its kind and Django's settings for it (NAME, HOST, …)."""

    kind: str  # "postgresql" or "sqlite"
    settings: dict

    @classmethod
    def of(cls, settings_dict: dict) -> Database:
        engine = settings_dict["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", settings_dict)
        if "postgresql" in engine:
            return cls("postgresql", settings_dict)
        raise BackupError(f"Backups are made of PostgreSQL and SQLite databases, not {engine}")

    @property
    def name(self) -> str:
        if self.kind == "sqlite":
            return f"the SQLite file {self.settings['NAME']}"
        host = self.settings.get("HOST") or "localhost"
        port = self.settings.get("PORT") or 5432
        return f"{host}:{port}/{self.settings['NAME']}"

    def pg_env(self) -> dict[str, str]:
        """libpq's environment for pg_dump and pg_restore: the password never on a command line."""
        env = dict(os.environ)
        for variable, key in (
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGPASSWORD", "PASSWORD"),
            ("PGDATABASE", "NAME"),
        ):
            if self.settings.get(key):
                env[variable] = str(self.settings[key])
        if sslmode := (self.settings.get("OPTIONS") or {}).get("sslmode"):
            env["PGSSLMODE"] = sslmode
        return env


def default_path(kind: str, folder: Path | None = None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return (folder or Path(settings.BASE_DIR) / "backups") / f"ccgportal-{stamp}{SUFFIX[kind]}"


def backup(path: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Back up the portal's database to ``path`` (default: backups/ccgportal-<time>.<kind>)."""
    connection = connections[using]
    database = Database.of(connection.settings_dict)
    path = Path(path) if path else default_path(database.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if database.kind == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}"], database)  # fmt: skip
        else:
            # Django's own connection, so an in-memory database (the tests') is copied too.
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path: Path, target: dict, *, replace: bool = False) -> Database:
    """Restore the backup at ``path`` into the database of Django settings ``target``."""
    path = Path(path)
    database = Database.of(target)
    kind = backup_kind(path)
    if kind != database.kind:
        raise BackupError(
            f"{path} is a {_KIND_WORDS[kind]} backup; {database.name} is a "
            f"{_KIND_WORDS[database.kind]} database. Restore it into a database of its kind."
        )
    if not replace and has_tables(database):
        raise BackupError(
            f"{database.name} already holds tables. Restore into a new, empty database, or "
            "give --replace to replace everything in it with the backup."
        )
    if kind == "postgresql":
        _run(["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner",
              "--no-privileges", *(["--clean", "--if-exists"] if replace else []),
              f"--dbname={target['NAME']}", str(path)], database)  # fmt: skip
    else:
        _restore_sqlite(path, Path(target["NAME"]))
    return database


_KIND_WORDS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def backup_kind(path: Path) -> str:
    """'postgresql' or 'sqlite', read from the file's first bytes; BackupError for anything else."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}") from None
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}") from None
    if start.startswith(PG_MAGIC):
        return "postgresql"
    if start == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(
        f"{path} is not a backup this portal made: neither a PostgreSQL custom-format dump "
        "nor a SQLite database"
    )


def has_tables(database: Database) -> bool:
    if database.kind == "sqlite":
        name = Path(database.settings["NAME"])
        if not name.exists() or name.stat().st_size == 0:
            return False
        with _sqlite(name) as connection:
            (count,) = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
        return count > 0
    query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    done = _run(["psql", "--no-psqlrc", "--tuples-only", "--no-align", "-c", query], database)
    return int(done.strip() or 0) > 0


def _restore_sqlite(path: Path, target: Path) -> None:
    with _sqlite(path, read_only=True) as source:
        problems = source.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"{path} is damaged: {problems[0][0]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # replaces every page of the destination
        finally:
            destination.close()


class _sqlite:
    """A plain sqlite3 connection that is closed afterwards (sqlite3's own only commits)."""

    def __init__(self, path: Path, read_only: bool = False):
        uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        try:
            self.connection = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            raise BackupError(f"Cannot open {path}: {exc}") from None

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


def _run(command: list[str], database: Database) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: it comes with PostgreSQL's client "
            "(apt-get install postgresql-client)"
        )
    done = subprocess.run(  # noqa: S603 - PostgreSQL's tools with arguments of our own
        command, env=database.pg_env(), capture_output=True, text=True
    )
    if done.returncode:
        reason = done.stderr.strip().splitlines()
        raise BackupError(
            f"{command[0]} failed on {database.name}: {reason[-1] if reason else done.returncode}"
        )
    return done.stdout
