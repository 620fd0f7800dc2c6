"""Measure the archive search on the current database: server time per query (median, 95th percentile) and SQL.

Two figures for each search: *first asked* (the content version is moved before each request, so nothing is
cached: the cost of the first visitor to ask after a change) and *asked again* (served from the result cache).
"""

from __future__ import annotations

import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from poles import versioning

QUERIES = [
    "Pellerin",
    "mediation",
    '"designer en résidence"',
    "orpheme",
    "innovation PME",
    "pôles -numérique",
    "industrie",
    "export filière",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


class Command(BaseCommand):
    help = "Mesure la recherche dans l'archive : temps serveur (médiane, 95e centile) et requêtes SQL par recherche."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--label", default="")
        parser.add_argument("--per-query", action="store_true", help="Une ligne par recherche, avec son nombre de résultats.")

    def handle(self, *args, repeat: int, label: str, per_query: bool, **options):
        client = Client()
        cold: dict[str, list[float]] = {query: [] for query in QUERIES}
        warm: dict[str, list[float]] = {query: [] for query in QUERIES}
        queries = []

        def timed(query: str) -> float:
            started = time.perf_counter()
            response = client.get("/evenements/", {"q": query})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (query, response.status_code)
            return elapsed

        # Timed as served in production (DEBUG off); the queries of a first asking are counted on a request of their own.
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for query in QUERIES:  # warm the connection and the database's own buffers once
                client.get("/evenements/", {"q": query})
                cache.clear()
                versioning.current()
                with CaptureQueriesContext(connection) as captured:
                    client.get("/evenements/", {"q": query})
                queries.append(len(captured.captured_queries))
            for _ in range(repeat):
                for query in QUERIES:
                    cache.clear()  # nothing cached: neither results nor the content version's expiry...
                    versioning.current()  # ...which is worked out once per change, not per search
                    cold[query].append(timed(query))
                    warm[query].append(timed(query))
        if per_query:
            from events.filters import ArchiveSearchFilter

            for query in QUERIES:
                filterset = ArchiveSearchFilter({"q": query})
                hits = filterset.qs.count()
                self.stdout.write(
                    f"| {label} | `{query}` | {hits} | {statistics.median(cold[query]):.1f} | "
                    f"{max(cold[query]):.1f} | {statistics.median(warm[query]):.1f} |"
                )
            return
        from events.models import SearchEntry

        all_cold = [value for values in cold.values() for value in values]
        all_warm = [value for values in warm.values() for value in values]
        self.stdout.write(
            f"| {label or connection.vendor} | {SearchEntry.objects.count()} | {len(all_cold)} | "
            f"{statistics.median(all_cold):.1f} | {percentile(all_cold, 0.95):.1f} | "
            f"{statistics.median(all_warm):.1f} | {percentile(all_warm, 0.95):.1f} | {max(queries)} |"
        )
