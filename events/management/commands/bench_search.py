"""Measure the archive search on the current database: server time per query (median, 95th percentile) and SQL."""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings

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


class Command(BaseCommand):
    help = "Mesure la recherche dans l'archive : temps serveur (médiane, 95e centile) et requêtes SQL par recherche."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--label", default="")
        parser.add_argument("--per-query", action="store_true", help="Une ligne par recherche, avec son nombre de résultats.")

    def handle(self, *args, repeat: int, label: str, per_query: bool, **options):
        client = Client()
        timings, queries = [], []
        by_query: dict[str, list[float]] = {query: [] for query in QUERIES}
        with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
            for query in QUERIES:  # warm caches and connections once
                client.get("/evenements/", {"q": query})
            for _ in range(repeat):
                for query in QUERIES:
                    reset_queries()
                    started = time.perf_counter()
                    response = client.get("/evenements/", {"q": query})
                    timings.append((time.perf_counter() - started) * 1000)
                    by_query[query].append(timings[-1])
                    queries.append(len(connection.queries))
                    assert response.status_code == 200, (query, response.status_code)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        from events.filters import ArchiveSearchFilter
        from events.models import SearchEntry

        if per_query:
            for query, values in by_query.items():
                hits = ArchiveSearchFilter({"q": query}).qs.count()
                self.stdout.write(f"| {label} | `{query}` | {hits} | {statistics.median(values):.1f} | {max(values):.1f} |")
            return

        self.stdout.write(
            f"| {label or connection.vendor} | {SearchEntry.objects.count()} | {len(timings)} | "
            f"{statistics.median(timings):.1f} | {p95:.1f} | {max(queries)} |"
        )
