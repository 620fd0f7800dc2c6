"""The site served by gunicorn as `make run` serves it, from a throwaway copy: for tests that go through HTTP.

Its own database (a temporary SQLite file unless DATABASE_URL is given), migrated and loaded with the real fixtures,
static files collected as in production, its own file cache.

The static files depend on the code alone, and collecting them (gzip and brotli of every DSFR file) takes half a
minute: they are collected once per test run and shared by every copy served.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_collected_static: Path | None = None


def collected_static() -> Path:
    """The static files as `make run` collects them, collected on first use."""
    global _collected_static
    if _collected_static is None:
        directory = Path(tempfile.mkdtemp(prefix="static-"))
        atexit.register(shutil.rmtree, directory, True)
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            env={**os.environ, "STATIC_ROOT": str(directory)}, check=True, cwd=ROOT,
        )
        _collected_static = directory
    return _collected_static


@contextlib.contextmanager
def served_site(environment: dict | None = None, workers: int = 2, prepare: bool = True) -> Iterator[str]:
    """Yields the site's base URL (http://127.0.0.1:<port>) while gunicorn serves it.

    `prepare=False` for a second instance on a database another one prepared.
    """
    directory = Path(tempfile.mkdtemp(prefix="site-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "STATIC_ROOT": str(collected_static()),
        "CACHE_DIR": str(directory / "cache"),
        "DEBUG": "false",
        **(environment or {}),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = [["migrate", "--noinput", "-v0"], ["load_real_data", "-v0"]] if prepare else []
    for command in commands:
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:  # any HTTP answer will do (production mode answers plain HTTP with a redirect to HTTPS)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse()
            connection.close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not start serving the site") from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)
