"""`make backup` then `make restore`: the round trip gives back every row of every table, on SQLite and PostgreSQL.

Each engine gets a database of its own, made and changed by the real commands in subprocesses, as staff would run them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.served_site import ROOT

pytestmark = pytest.mark.server


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


class SQLiteDatabase:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "db.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def execute(self, sql: str) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute(sql)

    def every_row(self) -> dict[str, list]:
        with sqlite3.connect(self.path) as db:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"'))) for table in tables}


class PostgresDatabase:
    def __init__(self, server) -> None:
        import psycopg

        self.psycopg = psycopg
        self.admin_url = server.url
        with psycopg.connect(server.url, autocommit=True) as db:
            db.execute("DROP DATABASE IF EXISTS backup_round_trip")
            db.execute("CREATE DATABASE backup_round_trip")
        self.url = server.url.rsplit("/", 1)[0] + "/backup_round_trip"

    def execute(self, sql: str) -> None:
        with self.psycopg.connect(self.url, autocommit=True) as db:
            db.execute(sql)

    def every_row(self) -> dict[str, list]:
        with self.psycopg.connect(self.url) as db:
            tables = [row[0] for row in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )]
            return {table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"'))) for table in tables}


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteDatabase(tmp_path)
    return PostgresDatabase(request.getfixturevalue("postgres_server"))


def test_a_backup_restores_every_row_after_changes_and_losses(database, tmp_path):
    env = {**os.environ, "DATABASE_URL": database.url, "CACHE_DIR": str(tmp_path / "cache")}
    for command in (["migrate", "--noinput", "-v0"], ["load_real_data", "-v0"]):
        assert manage(env, *command).returncode == 0
    before = database.every_row()
    assert sum(len(rows) for rows in before.values()) > 1000

    backup = manage(env, "backup", "--output", str(tmp_path / "backup.bin"))
    assert backup.returncode == 0, backup.stderr
    # What a bad day does: a wrong mass edit, lost rows, a stray insertion.
    database.execute("UPDATE poles_pole SET name = 'Nom écrasé'")
    database.execute("DELETE FROM poles_polename")
    database.execute("DELETE FROM events_searchentry")
    database.execute("INSERT INTO poles_source (reference, title, publisher) VALUES ('https://example.org/x', 'x', 'x')")
    assert database.every_row() != before

    restore = manage(env, "restore", str(tmp_path / "backup.bin"))
    assert restore.returncode == 0, restore.stderr
    assert database.every_row() == before


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(database, tmp_path):
    env = {**os.environ, "DATABASE_URL": database.url, "CACHE_DIR": str(tmp_path / "cache")}
    assert manage(env, "migrate", "--noinput", "-v0").returncode == 0
    before = database.every_row()
    for content in (b"", b"name;siren\nACME;123\n", b"PGDMP garbage", b"SQLite format 3\x00" + b"\x00" * 50):
        (tmp_path / "bad.bin").write_bytes(content)
        result = manage(env, "restore", str(tmp_path / "bad.bin"))
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr
        assert database.every_row() == before
    missing = manage(env, "restore", str(tmp_path / "absent.bin"))
    assert missing.returncode != 0 and "introuvable" in missing.stderr
