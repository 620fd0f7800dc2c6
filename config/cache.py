"""The single-machine shared cache: Django's file-based cache, culled now and then instead of on every write.

Django's FileBasedCache lists every file of its directory on each `set` to decide whether to cull; with thousands of
cached pages that listing costs more than rendering the page. Here a process looks only every CULL_EVERY writes, so
the directory may pass MAX_ENTRIES by about CULL_EVERY entries per worker before it is culled as Django would
(MAX_ENTRIES / CULL_FREQUENCY must stay well above CULL_EVERY, as with the settings' 20 000 and 3).
"""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class OccasionallyCulledFileCache(FileBasedCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writes = itertools.count(1)

    def _cull(self):
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()
