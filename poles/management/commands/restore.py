"""`manage.py restore FILE`: put the database back as a `manage.py backup` file holds it — all of it, or nothing.

SQLite: the backup replaces the database through SQLite's backup API, in one step. PostgreSQL: pg_restore --clean in
a single transaction, so a failure leaves the database as it was. The content version moves, so no cached result
of the replaced data is served.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from poles import versioning
from poles.database_tools import postgres_tool, postgres_url

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class Command(BaseCommand):
    help = "Restaure la base de données depuis un fichier écrit par « manage.py backup »."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier de sauvegarde.")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} : fichier introuvable.")
        header = path.read_bytes()[:16]
        vendor = connection.vendor
        if vendor == "sqlite":
            if header != SQLITE_HEADER:
                raise CommandError(f"{path} n'est pas une sauvegarde SQLite.")
            _check_sqlite_backup(path)
            connections.close_all()
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            target = sqlite3.connect(connection.settings_dict["NAME"])
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
        elif vendor == "postgresql":
            if not header.startswith(PG_CUSTOM_HEADER):
                raise CommandError(f"{path} n'est pas une sauvegarde PostgreSQL (format custom de pg_dump).")
            connections.close_all()
            result = subprocess.run(
                [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", f"--dbname={postgres_url(connection.settings_dict)}", str(path)],
                capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore a échoué, la base est inchangée : {result.stderr.strip()}")
        else:
            raise CommandError(f"Moteur non pris en charge : {vendor}.")
        versioning.bump()
        self.stdout.write(f"Base restaurée depuis {path}.")


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a damaged file, or an SQLite file that is not a database of this site, before touching anything."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            damaged = source.execute("PRAGMA quick_check").fetchone()[0] != "ok"
            ours = source.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} est illisible : {error}") from error
    if damaged or not ours:
        raise CommandError(f"{path} n'est pas une sauvegarde de ce site, ou elle est endommagée.")
