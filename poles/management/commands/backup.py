"""`manage.py backup [--output FILE]`: a consistent copy of the whole database, with the engine's own tool.

SQLite: SQLite's online backup (a consistent copy even while the site serves). PostgreSQL: pg_dump in its custom
format, which `manage.py restore` replays with pg_restore. Files go to var/backups/ unless --output says otherwise.
"""

from __future__ import annotations

import datetime
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from poles.database_tools import postgres_tool, postgres_url


class Command(BaseCommand):
    help = "Sauvegarde complète de la base de données (SQLite : copie en ligne ; PostgreSQL : pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Fichier à écrire (par défaut : var/backups/poles-<date>.<ext>).")

    def handle(self, *args, output: str | None, **options):
        vendor = connection.vendor
        if vendor not in {"sqlite", "postgresql"}:
            raise CommandError(f"Moteur non pris en charge : {vendor}.")
        extension = "sqlite3" if vendor == "sqlite" else "dump"
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(output) if output else settings.BASE_DIR / "var" / "backups" / f"poles-{stamp}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "sqlite":
            source = sqlite3.connect(connection.settings_dict["NAME"])
            target = sqlite3.connect(path)
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            result = subprocess.run(
                [postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}",
                 f"--dbname={postgres_url(connection.settings_dict)}"],
                capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump a échoué : {result.stderr.strip()}")
        self.stdout.write(str(path))
