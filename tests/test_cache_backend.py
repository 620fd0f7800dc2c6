"""The single-machine file cache stays bounded although it culls only every CULL_EVERY writes."""

from __future__ import annotations

from config.cache import CULL_EVERY, OccasionallyCulledFileCache


def test_the_file_cache_stays_within_its_bound_and_keeps_what_was_just_written(tmp_path):
    cache = OccasionallyCulledFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 300, "CULL_FREQUENCY": 2}})
    for number in range(2000):
        cache.set(f"page-{number}", "x" * 100)
        assert len(list(tmp_path.glob("*.djcache"))) <= 300 + CULL_EVERY
    assert cache.get("page-1999") == "x" * 100
    assert len(list(tmp_path.glob("*.djcache"))) > 0
