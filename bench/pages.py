"""`make bench` (second part): every page type at synthetic scale, on SQLite and PostgreSQL.

For each engine: a fresh database, the real fixtures, seed_demo at the benchmark scale, then
1. in-process, through Django's test client: SQL queries, server time (median, 95th percentile) rendered afresh
   (the content version moved before each request) and from the page cache;
2. over HTTP, against gunicorn configured as in production (DJANGO_ENV=production, 2 × cores + 1 workers), with wrk
   from a second process: requests per second for each page rendered afresh (a session cookie bypasses the page
   cache) and from the cache, next to two references on the same server — the trivial Django view /sante/ and a
   static file of similar size served by whitenoise — and each page's ratio to them;
3. a load test: 64 concurrent connections for 60 s on a mix of pages, errors and 99th percentile.
The tables are printed and written into docs/performance.md between markers, with the machine they ran on.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE = ["--members", os.environ.get("BENCH_MEMBERS", "100000"), "--events", os.environ.get("BENCH_EVENTS", "10000"),
         "--poles", os.environ.get("BENCH_POLES", "500"), "--people", os.environ.get("BENCH_PEOPLE", "20000")]
DURATION = os.environ.get("BENCH_DURATION", "8s")
LOAD_DURATION = os.environ.get("BENCH_LOAD_DURATION", "60s")
PAGES = {
    "accueil": "/",
    "liste des pôles, deux filtres": "/poles/?region=occitanie&theme=sante",
    "page d'un pôle": "/poles/cara/",
    "liste des membres filtrée": "/membres/?size=pme&region=auvergne-rhone-alpes",
    "liste des événements": "/evenements/",
    "page d'un événement": "/evenements/13e-journee-nationale-des-poles-2014/",
    "recherche dans l'archive": "/evenements/?q=innovation+PME",
    "export CSV des pôles": "/poles/export.csv?region=occitanie",
}
MARKER_START = "<!-- bench/pages.py: start -->"
MARKER_END = "<!-- bench/pages.py: end -->"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                            text=True)
    return result.stdout


IN_PROCESS = r"""
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from poles import versioning
import re
from django.test.utils import CaptureQueriesContext
pages = json.loads(PAGES)
LARGE = 5000  # rows: below this, reading a table whole is what the planner should do (the 591 pôles, the 13 regions)

def full_reads(client, url):
    # On PostgreSQL, the large tables that the planner reads whole (Seq Scan) for this page, with real statistics.
    if connection.vendor != "postgresql":
        return None
    versioning.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    tables = set()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute("EXPLAIN " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                tables |= set(re.findall(r"Seq Scan on (\w+)", plan))
        if not tables:
            return []
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples >= %s", [sorted(tables), LARGE])
        return sorted(row[0] for row in cursor.fetchall())

client = Client()
out = {}
def read(response):
    assert response.status_code == 200, response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)

# Timed as served in production (DEBUG off: templates are not compiled for debugging, queries are not logged); the
# queries are counted on a request of their own.
with override_settings(ALLOWED_HOSTS=["testserver"]):
    for name, url in pages.items():
        client.get(url)
        versioning.bump()
        with CaptureQueriesContext(connection) as captured:
            read(client.get(url))
        queries = len(captured.captured_queries)
        fresh, cached = [], []
        for _ in range(REPEAT):
            versioning.bump()
            started = time.perf_counter()
            read(client.get(url))
            fresh.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - started) * 1000)
        p95 = lambda values: sorted(values)[int(0.95 * (len(values) - 1))]
        out[name] = {"queries": queries, "median": statistics.median(fresh), "p95": p95(fresh),
                     "cached_median": statistics.median(cached), "cached_p95": p95(cached),
                     "full_reads": full_reads(client, url)}
print("RESULT" + json.dumps(out))
"""


def in_process(env: dict, repeat: int = 40) -> dict:
    code = IN_PROCESS.replace("PAGES", repr(json.dumps(PAGES))).replace("REPEAT", str(repeat))
    output = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.split("RESULT", 1)[1])


def wrk(url: str, connections: int, duration: str, headers: dict | None = None, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    factor = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "rate": rate,
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "p99_ms": float(p99.group(1)) * factor[p99.group(2)] if p99 else None,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "detail": "; ".join(line.strip() for line in output.splitlines() if "errors" in line or "Non-2xx" in line),
    }


def static_reference(static_root: Path, size: int) -> str:
    """The collected static file (hashed name, not pre-compressed copy) whose size is closest to a page's."""
    files = [path for path in static_root.rglob("*") if path.is_file() and re.search(r"\.[0-9a-f]{12}\.\w+$", path.name)]
    best = min(files, key=lambda path: abs(path.stat().st_size - size))
    return "/static/" + best.relative_to(static_root).as_posix()


def over_http(env: dict, directory: Path) -> tuple[dict, dict, dict]:
    workers = 2 * (os.cpu_count() or 1) + 1
    port = subprocess.run([sys.executable, "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
                           "print(s.getsockname()[1])"], capture_output=True, text=True).stdout.strip()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(["curl", "-s", "-o", "/dev/null", base + "/sante/"]).returncode != 0:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        sizes = []
        for url in PAGES.values():  # warm every worker's connections, and the cache
            sizes.append(len(subprocess.run(["curl", "-s", base + url], capture_output=True).stdout))
        static = static_reference(Path(env["STATIC_ROOT"]), int(statistics.median(sizes)))
        references = {
            "vue Django triviale (/sante/)": wrk(base + "/sante/", 16, DURATION),
            f"fichier statique ({static.rsplit('/', 1)[-1]})": wrk(base + static, 16, DURATION),
        }
        pages = {}
        for name, url in PAGES.items():
            pages[name] = {
                "fresh": wrk(base + url, 16, DURATION, {"Cookie": "sessionid=bench"}),
                "cached": wrk(base + url, 16, DURATION),
            }
        script = directory / "mix.lua"
        paths = list(PAGES.values()) + ["/poles/", "/membres/", "/politique/", "/evenements/?q=industrie"]
        script.write_text(
            "local paths = {" + ",".join(json.dumps(path) for path in paths) + "}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        )
        load = wrk(base + "/", 64, LOAD_DURATION, script=script)
        return references, pages, load
    finally:
        server.terminate()
        server.wait(timeout=20)


def run_engine(label: str, database_url: str, directory: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(directory / "static"),
        "CACHE_DIR": str(directory / "cache"),
        "DJANGO_ENV": "production",
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "false",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_real_data", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    search = [manage(env, "bench_search", "--label", f"{label}, données réelles").strip()]
    started = time.monotonic()
    manage(env, "seed_demo", *SCALE)
    print(f"{label}: seed_demo in {time.monotonic() - started:.0f} s", file=sys.stderr)
    search.append(manage(env, "bench_search", "--repeat", "5", "--label", f"{label}, synthétique").strip())
    per_query = manage(env, "bench_search", "--per-query", "--repeat", "3", "--label", label).strip()
    measured = in_process(env)
    references, pages, load = over_http(env, directory)
    return {"label": label, "in_process": measured, "references": references, "pages": pages, "load": load,
            "search": search, "search_per_query": per_query}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    postgres = subprocess.run([_pg_bin("postgres"), "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cœurs ({cpu}), {memory // 1024 // 1024} Gio, {platform.platform()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {postgres}")


def _pg_bin(name: str) -> str:
    from poles.database_tools import postgres_tool

    return postgres_tool(name)


def tables(results: list[dict], scale: str) -> str:
    lines = [f"Machine : {machine()}.", f"Échelle : `seed_demo {scale}`. Durée de chaque mesure wrk : {DURATION}.", ""]
    for result in results:
        refs = result["references"]
        trivial, static = (value["rate"] for value in refs.values())
        postgres = any(measured["full_reads"] is not None for measured in result["in_process"].values())
        lines += [f"### {result['label']}", "",
                  "| page | requêtes SQL | rendue : médiane (ms) | rendue : 95e c. (ms) | en cache : médiane (ms) "
                  "| rendue : req/s | ÷ vue triviale | en cache : req/s | ÷ fichier statique |"
                  + (" grandes tables lues en entier (EXPLAIN) |" if postgres else ""),
                  "|---|---|---|---|---|---|---|---|---|" + ("---|" if postgres else "")]
        for name, measured in result["in_process"].items():
            http = result["pages"][name]
            reads = ", ".join(measured["full_reads"] or []) or "aucune"
            lines.append(
                f"| {name} | {measured['queries']} | {measured['median']:.1f} | {measured['p95']:.1f} | "
                f"{measured['cached_median']:.1f} | {http['fresh']['rate']:.0f} | {http['fresh']['rate'] / trivial:.0%} | "
                f"{http['cached']['rate']:.0f} | {http['cached']['rate'] / static:.0%} |" + (f" {reads} |" if postgres else "")
            )
        lines += ["", "Références sur le même serveur : " + " ; ".join(
            f"{name} {value['rate']:.0f} req/s" for name, value in refs.items()) + ".", ""]
        load = result["load"]
        lines += [f"Charge : 64 connexions simultanées pendant {LOAD_DURATION} sur un mélange de pages : "
                  f"{load['requests']} requêtes, {load['rate']:.0f} req/s, 99e centile {load['p99_ms']:.0f} ms, "
                  f"{load['errors']} erreur(s)" + (f" ({load['detail']})" if load["errors"] else "") + ".", ""]
    lines += ["### Recherche dans l'archive, toutes recherches ensemble", "",
              "| base | entrées indexées | recherches | 1re demande : médiane (ms) | 1re demande : 95e centile (ms) "
              "| redemandée : médiane (ms) | redemandée : 95e centile (ms) | requêtes SQL (max) |",
              "|---|---|---|---|---|---|---|---|"]
    lines += [row for result in results for row in result["search"]]
    for result in results:
        lines += ["", f"### Recherche dans l'archive par recherche, {result['label']}, synthétique", "",
                  "| base | recherche | résultats | 1re demande : médiane (ms) | 1re demande : max (ms) "
                  "| redemandée : médiane (ms) |", "|---|---|---|---|---|---|", result["search_per_query"]]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    content = path.read_text(encoding="utf-8")
    block = f"{MARKER_START}\n{text}\n{MARKER_END}"
    if MARKER_START in content:
        content = re.sub(re.escape(MARKER_START) + ".*?" + re.escape(MARKER_END), lambda _: block, content, flags=re.S)
    else:
        content += f"\n## Every page at synthetic scale (`make bench`)\n\n{block}\n"
    path.write_text(content, encoding="utf-8")


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (the load generator, run as a second process)")
    from tests.postgres_server import PostgresServer

    results = []
    engines = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
    with tempfile.TemporaryDirectory() as directory:
        if "sqlite" in engines:
            path = Path(directory) / "sqlite"
            path.mkdir()
            results.append(run_engine("SQLite", f"sqlite:///{path / 'bench.sqlite3'}", path))
        if "postgresql" in engines:
            server = PostgresServer().start()
            try:
                path = Path(directory) / "postgresql"
                path.mkdir()
                results.append(run_engine("PostgreSQL", server.url, path))
            finally:
                server.stop()
    text = tables(results, " ".join(SCALE))
    print(text)
    write_docs(text)


if __name__ == "__main__":
    main()
