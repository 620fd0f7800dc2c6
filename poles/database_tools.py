"""What the backup and restore commands need to call PostgreSQL's own tools."""

from __future__ import annotations

import glob
import shutil
from urllib.parse import quote


def postgres_tool(name: str) -> str:
    """The newest installed version of a PostgreSQL client tool (pg_dump must not be older than the server)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]), reverse=True)
    found = candidates[0] if candidates else shutil.which(name)
    if not found:
        from django.core.management.base import CommandError

        raise CommandError(f"{name} est introuvable : installez le paquet Debian postgresql-client.")
    return found


def postgres_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"
