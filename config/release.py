"""The release: a fingerprint of the code and templates this process runs, so that a deploy empties every cache.

Cached pages and results are keyed on the content version (poles.versioning), which content changes move; a deploy
changes what the same content renders to, so the version includes the release. `RELEASE_ID` in the environment
(a commit hash, a build number) names it; without it, the fingerprint is read from the files themselves once, when
the process starts: Python code, templates, translations and the static files' manifest.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ("*.py", "*.html", "*.txt", "*.mo", "*.css", "*.js", "*.svg")
# What a deploy ships that changes what a page looks like (not the tests, the fixtures nor the runtime files in var/).
SHIPPED = ("config", "poles", "events", "policy", "opendata", "permalinks", "templates", "locale", "static")


def _files(root: Path):
    for top in SHIPPED:
        for directory, subdirectories, names in os.walk(root / top):
            subdirectories[:] = sorted(name for name in subdirectories if name != "__pycache__")
            for name in sorted(names):
                path = Path(directory) / name
                if any(path.match(pattern) for pattern in PATTERNS):
                    yield path


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def release_id() -> str:
    return os.environ.get("RELEASE_ID", "").strip()[:40] or fingerprint()
