"""How the costly statements are planned: what decides whether a page stays fast when the archive grows a hundredfold.

The timings themselves are measured by `make bench` (docs/performance.md); these tests pin the plan shapes that the
benchmark found to matter, on the real fixtures, so that a change cannot bring the slow shapes back unnoticed.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def statements_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url", ["/evenements/", "/evenements/?kind=journee-nationale", "/membres/?kind=company",
                                 "/poles/?region=occitanie"])
def test_no_facet_statement_joins_a_multi_valued_relation_twice(client, url):
    """Joined twice, a relation multiplies the rows counted: 1 000 000 rows instead of 100 000 for the pôles of the
    event list at synthetic scale (2.3 s instead of 0.2 s)."""
    for sql in statements_of(client, url):
        for table in ("events_session_poles", "poles_membership", "poles_pole_regions", "poles_pole_themes"):
            joins = re.findall(rf'(?:FROM|JOIN) "{table}"', sql)
            assert len(joins) <= 1, (table, sql)


def test_the_event_list_counts_sessions_for_the_rows_shown_only(client):
    """Counting every event's sessions before taking a page of them reads the whole session table for 20 rows."""
    listed = [sql for sql in statements_of(client, "/evenements/") if 'AS "session_count" FROM' in sql]
    assert listed
    for sql in listed:
        outer = sql.split('AS "session_count" FROM', 1)[1]  # the statement around the per-row subquery
        assert "GROUP BY" not in outer and '"events_session"' not in outer, sql


def test_search_facets_count_the_ids_each_hit_lists_without_reading_a_link_table(client):
    """Joining the link tables read every appearance (300 000 at synthetic scale) for a broad search, on PostgreSQL
    to hash them, on SQLite when it took the joins in the wrong order: each hit now lists its linked ids."""
    statements = [sql for sql in statements_of(client, "/evenements/?q=p%C3%B4les") if sql.startswith("WITH hits")]
    assert statements
    for sql in statements:
        for table in ("events_appearance", "events_session_poles", "events_session_organisations"):
            assert table not in sql, (table, sql)


def plan_of(sql: str, params: tuple | None = None) -> str:
    """The engine's plan for a statement (with its parameters bound if given, as the page ran it: SQLite plans a bound
    `status = ?` otherwise than the literal that CaptureQueriesContext shows). PostgreSQL is told to avoid reading
    tables whole, so that on the few rows of the real fixtures it shows whether an index *could* serve the statement,
    as it will at scale."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def thousands_of_public_events() -> None:
    """As at scale: 3 000 public workshops more, outside any series, with fresh statistics, so that the planner
    weighs the indexes as it will on real volumes."""
    import datetime

    from events.models import Event

    Event.objects.bulk_create(
        Event(title=f"Atelier {n}", slug=f"atelier-hors-serie-{n}", kind=Event.Kind.WORKSHOP,
              date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n))
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event")


def test_the_previous_and_next_events_of_a_series_are_found_by_index(client):
    """Each event page links to the previous and next event of its series: without an index on (series, date), both
    statements read the whole event table (10 000 events at synthetic scale)."""
    from events.models import Event

    thousands_of_public_events()  # outside any series
    event = Event.objects.published().exclude(series=Event.Series.OTHER).order_by("date")[1]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(event.get_absolute_url()).status_code == 200
    neighbours = [query["sql"] for query in captured.captured_queries if '"events_event"."series" = ' in query["sql"]]
    assert len(neighbours) == 2, neighbours
    for sql in neighbours:  # captured with their parameters inlined: run as they were sent
        assert "event_series_date" in plan_of(sql), sql


def test_member_counts_are_read_from_indexes_alone(client):
    """The pôle list, its CSV and each pôle page count a pôle's public members: hundreds of memberships per pôle at
    scale, each checked against its organisation. Both can be answered from indexes, without visiting either table:
    the memberships counted as rows (COUNT(*)) of the (pole, organisation) unique index, each organisation's
    visibility from an index holding it.

    PostgreSQL uses index-only scans once its visibility map is set (VACUUM, which a test transaction cannot run), so
    there the test checks that the statement and the indexes allow them; SQLite's plan shows it directly."""
    from poles.models import Pole

    sql, params = Pole.objects.for_directory().filter(slug="cara").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            count = re.search(r"COUNT\((.*?)\) AS \"n\"", sql)
            assert count and count.group(1) == "*", sql
            indexes = connection.introspection.get_constraints(cursor, "poles_organisation").values()
            assert any(
                index["index"] and index["columns"][:1] == ["id"]
                and {"status", "deleted_at", "publish_at"} <= set(index["columns"])
                for index in indexes
            ), indexes
            assert any(
                index["unique"] and index["columns"] == ["pole_id", "organisation_id"]
                for index in connection.introspection.get_constraints(cursor, "poles_membership").values()
            )
            return
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    # SQLite keeps each row in its primary key's tree: looking an organisation up by id reads nothing else.
    assert re.search(r"SEARCH U0 USING COVERING INDEX \w*membership", plan), plan
    assert re.search(r"SEARCH U1 USING (INTEGER PRIMARY KEY|COVERING INDEX organisation_visibility)", plan), plan


def test_facets_name_the_public_content_they_count_afterwards(client):
    """A facet over pôles counts on the pôle's id alone, then names the 50 kept among the public pôles in one query:
    grouped on the pôle's name and address too, the member list hashed 100 000 rows wide (and the event list joined
    every event to its pôle links, 75 ms at synthetic scale instead of 11 ms on the links alone)."""
    for url, counted in [("/membres/?size=pme", "poles_membership"), ("/evenements/", "events_eventpole")]:
        facet = [sql for sql in statements_of(client, url) if 'AS "facet_value"' in sql and f'"{counted}"' in sql]
        assert len(facet) == 1, url
        assert '"poles_pole"' not in facet[0], facet[0]
        if counted == "events_eventpole":  # no other filter: a visible link is one of a public event already
            assert '"events_event"' not in facet[0], facet[0]


def thousands_of_public_organisations() -> None:
    """As at scale: 3 000 public organisations more, across regions and sizes, with fresh statistics, so that the
    planner weighs the indexes as it will on real volumes."""
    import itertools

    from poles.models import Organisation, Region

    regions, sizes = itertools.cycle(Region.objects.all()), itertools.cycle(Organisation.SizeClass.values)
    Organisation.objects.bulk_create(
        Organisation(name=f"Entreprise {n}", slug=f"entreprise-{n}", kind=Organisation.Kind.COMPANY,
                     size_class=next(sizes), region=next(regions))
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE poles_organisation")


def test_member_totals_and_facets_are_read_from_the_public_organisations_partial_index(client):
    """Counting the public organisations by region, size or kind read the whole table (40 ms for the member list's
    region facet at synthetic scale): a partial index holding the public rows' filtered and counted columns answers
    the total and the facets alone. (The event list's twin, event_archive, serves its unfiltered counts, which the
    planner reads from the index only with a visibility map, after a VACUUM: `make bench` reports the tables read
    whole.)"""
    thousands_of_public_organisations()
    counted = [
        sql for sql in statements_of(client, "/membres/?size=pme&region=auvergne-rhone-alpes")
        if re.match(r'SELECT [^;]*? FROM "poles_organisation" WHERE', sql) and "COUNT(" in sql
        and " JOIN " not in sql and "DISTINCT" not in sql and '"poles_region"' not in sql
    ]
    assert len(counted) == 3, counted  # the total, the kind facet, the size facet
    for sql in counted:
        assert "organisation_facets" in plan_of(sql), sql


def executed(client, url: str) -> list[tuple[str, tuple]]:
    """The statements of a page as the engine gets them: with their parameters apart."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return statements


@pytest.mark.parametrize("url, table, index, as_at_scale", [
    ("/membres/?size=pme&region=auvergne-rhone-alpes", "poles_organisation", "organisation_facets",
     thousands_of_public_organisations),
    ("/evenements/", "events_event", "event_archive", thousands_of_public_events),
])
def test_totals_and_facets_are_counted_from_the_public_rows_index_alone(client, url, table, index, as_at_scale):
    """The total and the facets of a list are read from its partial index of the public rows without visiting the
    table, as the page runs them: SQLite checked the bound `status = ?` of every row in the table (the member list's
    region facet at synthetic scale: 72 ms, 6 ms from the index alone), until the index held that column too."""
    as_at_scale()
    counted = [
        (sql, params) for sql, params in executed(client, url)
        if re.match(rf'SELECT (COUNT\(\*\) AS "__count"|[^;]*? AS "facet_value", [^;]*?) FROM "{table}" WHERE', sql)
        and " JOIN " not in sql
    ]
    assert len(counted) >= 3, counted  # the total and two facets at least
    if connection.vendor == "sqlite":
        plans = [plan_of(sql, params) for sql, params in counted]
        assert any(index in plan for plan in plans), plans
        for plan in plans:  # (a facet may rather walk its own column's index, in the order it groups by)
            assert index not in plan or f"COVERING INDEX {index}" in plan, plan
    else:
        # PostgreSQL gets the values inline (psycopg binds them on the client: Django's default), so it sees the
        # partial index's condition met as it is; the plans at scale are checked by `make bench` (tables read whole).
        from psycopg import ClientCursor

        connection.ensure_connection()
        assert issubclass(connection.connection.cursor_factory, ClientCursor)


def test_reference_facets_are_named_after_counting(client):
    """The region facet groups the members on the region's id alone and names each group afterwards: joined to the
    regions first, 40 000 members of a size were grouped on two texts as well (15 ms at synthetic scale, 5 ms so)."""
    from django.utils.html import escape

    from poles.models import Organisation, Region

    thousands_of_public_organisations()
    statements = statements_of(client, "/membres/?size=pme")
    [facet] = [sql for sql in statements if 'AS "facet_value"' in sql and "region" in sql]
    assert not re.search(r'JOIN "poles_region"', facet), facet
    html = client.get("/membres/?size=pme").content.decode()
    select = html[html.index('name="region"'):html.index("</select>", html.index('name="region"'))]
    shown = {slug: (name, count) for slug, name, count in
             re.findall(r'<option value="([a-z-]+)">([^<]+) \((\d+)\)</option>', select)}
    members = Organisation.objects.published().filter(size_class="pme")
    assert shown == {region.slug: (escape(region.name), str(members.filter(region=region).count()))
                     for region in Region.objects.all() if members.filter(region=region).exists()}


def test_the_next_scheduled_publication_is_read_from_an_index():
    """Every content change asks for the next scheduled publication (poles.versioning): without an index of the
    published rows by publication date, the organisation and session tables were read whole, 30 ms at synthetic scale
    on each save in the admin. The same index (poles.content.scheduled_index) serves events, sessions and people."""
    from poles import versioning

    thousands_of_public_organisations()  # published without a date, as nearly all are
    with CaptureQueriesContext(connection) as captured:
        versioning._next_scheduled()
    (sql,) = [query["sql"] for query in captured.captured_queries]
    assert "organisation_scheduled" in plan_of(sql), plan_of(sql)


@pytest.mark.parametrize("url", ["/evenements/", "/evenements/?q=p%C3%B4les"])
def test_the_year_facets_read_the_year_without_a_python_call_per_row(client, url):
    """On SQLite, Django extracts a date's year with a function written in Python, called for every row counted:
    28 ms for the event list's year facet at synthetic scale, 90 000 calls for a broad archive search. The year facets
    read it from the date's ISO text instead (events.models.YearOfDate); PostgreSQL keeps its EXTRACT, cast to an
    integer."""
    statements = statements_of(client, url)
    assert not [sql for sql in statements if "django_date_extract" in sql]
    year = "EXTRACT(YEAR FROM" if connection.vendor == "postgresql" else "CAST(substr("
    assert [sql for sql in statements if "COUNT(" in sql and year in sql]
