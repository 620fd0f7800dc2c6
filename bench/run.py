"""`make bench`: archive search latency on SQLite and PostgreSQL, on the real data and at synthetic scale.

For each engine: a fresh database, the real fixtures, a measurement; then seed_demo at the benchmark scale
(10 000 events, 100 000 sessions) and a second measurement. PostgreSQL is a throwaway server started here.
Prints a Markdown table (server time in ms, measured in-process through Django's test client): each search the
first time it is asked after a change (nothing cached) and asked again (from the result cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE = ["--members", os.environ.get("BENCH_MEMBERS", "100000"), "--events", os.environ.get("BENCH_EVENTS", "10000"),
         "--poles", "500", "--people", "20000"]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def measure(env: dict, label: str) -> list[str]:
    rows = []
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_real_data", "-v0")
    rows.append(manage(env, "bench_search", "--label", f"{label}, données réelles"))
    manage(env, "seed_demo", *SCALE)
    rows.append(manage(env, "bench_search", "--label", f"{label}, synthétique"))
    return rows


def main() -> None:
    from tests.postgres_server import PostgresServer

    rows = []
    with tempfile.TemporaryDirectory() as directory:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"}
        rows += measure(env, "SQLite")
    server = PostgresServer().start()
    try:
        rows += measure({**os.environ, "DATABASE_URL": server.url}, "PostgreSQL")
    finally:
        server.stop()
    print("| base | entrées indexées | recherches | 1re demande : médiane (ms) | 1re demande : 95e centile (ms) "
          "| redemandée : médiane (ms) | redemandée : 95e centile (ms) | requêtes SQL (max) |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
