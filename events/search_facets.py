"""Every facet of an archive search, with its counts, in one SQL statement.

The matching entries are found once (a CTE: the full-text match, visibility and the date range), each with a flag per
chosen facet value; each facet then counts the hits that pass every *other* chosen facet, so an option's count is
what the visitor gets by clicking it. The CTE is the ORM's own SQL for both engines (PostgreSQL full-text or SQLite
FTS5); what follows it is plain SQL both engines run alike, but for unnesting the ids each hit lists. Open vocabularies (pôles, people, organisations) keep their
FACET_LIMIT most frequent values, named afterwards from the published rows only.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _

from events.models import Person, YearOfDate
from poles.facets import FACET_LIMIT, Facet, FacetOption
from poles.models import Organisation, Pole

CLOSED = {"year": "h_year", "kind": "h_kind", "session_kind": "h_session_kind"}
OPEN = {
    # facet: (the entry's column listing the linked rows' ids, each once; model of the linked rows)
    "pole": ("pole_ids", Pole),
    "person": ("person_ids", Person),
    "organisation": ("organisation_ids", Organisation),
}
NOT_FACETS = ("after", "before")


def _condition(name: str, value) -> Q:
    from events.filters import linked_to

    if name == "year":
        return Q(date__year=int(value))
    if name == "kind":
        return Q(event_kind=value)
    if name == "session_kind":
        return Q(session_kind=value)
    return linked_to(name, value)


def _where(chosen: dict, excluded: str | None) -> str:
    flags = [f"ok_{name}" for name in chosen if name != excluded]
    return " AND ".join(flags) if flags else "1 = 1"


def count_facets(filterset) -> list[Facet]:
    """The facets of this search; also sets `filterset.total`, the number of hits with every filter applied."""
    values = filterset.valid_values
    chosen = {name: values[name] for name in [*CLOSED, *OPEN] if values.get(name) not in (None, "")}
    counts = _counts(filterset, values, chosen)
    filterset.total = counts.pop(("total", None), 0)
    facets = []
    for name in [*CLOSED, *OPEN]:
        filter_ = filterset.filters[name]
        rows = [(value, count) for (facet, value), count in counts.items() if facet == name]
        choices = dict(filter_.extra.get("choices", []) or [])
        selected = _as_option_value(name, chosen.get(name))
        if name in CLOSED:
            options = [
                FacetOption(value, str(choices.get(value, value)), count, value == selected)
                for value, count in sorted(rows, key=lambda row: row[0])
            ]
            label = str(filter_.label)
        else:
            options, label = _open_options(name, filter_, rows, selected)
        if selected and not any(option.selected for option in options):
            # Chosen from elsewhere (a link) and not among the most frequent: its count is the total, by definition.
            label_of_selected = str(chosen[name]) if name in OPEN else str(choices.get(selected, selected))
            options.insert(0, FacetOption(selected, label_of_selected, filterset.total, True))
        facets.append(Facet(name, label, options, str(filter_.extra.get("empty_label") or _("Tous"))))
    return facets


def _as_option_value(name: str, value) -> str:
    if value in (None, ""):
        return ""
    if name in OPEN:
        return value.slug
    return str(int(value)) if name == "year" else str(value)


def _open_options(name: str, filter_, rows: list, selected: str) -> tuple[list[FacetOption], str]:
    model = OPEN[name][1]
    ranked = sorted(rows, key=lambda row: (-row[1], int(row[0])))
    truncated = len(ranked) > FACET_LIMIT
    counts = {int(value): count for value, count in ranked[:FACET_LIMIT]}
    named = model.objects.published().filter(pk__in=counts).values_list("pk", "slug", "name")
    options = [FacetOption(slug, label, counts[pk], slug == selected) for pk, slug, label in named]
    options.sort(key=lambda option: option.label.lower())
    label = str(filter_.label)
    if truncated:
        label = _("%(label)s (les %(limit)s plus fréquents)") % {"label": label, "limit": FACET_LIMIT}
    return options, label


def _linked_ids(column: str, where: str) -> str:
    """A row source `links` with one row per id (`links.id`, an integer) that the hits passing `where` list in the JSON
    array `column`, in each engine's words. Hits that list none are skipped before unnesting."""
    if connection.vendor == "postgresql":
        # A set-returning function in the select list: as a lateral function scan, each hit's array was first copied
        # into a tuple store of its own, even an empty one (17 000 hits, 13 of which name an organisation: that facet
        # took 13 ms, 2 ms now).
        return (
            f"(SELECT CAST(jsonb_array_elements_text({column}) AS BIGINT) AS id FROM hits "
            f"WHERE {where} AND {column} <> '[]'::jsonb) AS links"
        )
    return (
        f"(SELECT link.value AS id FROM hits, json_each({column}) AS link WHERE {where} AND {column} <> '[]') AS links"
    )


def _counts(filterset, values: dict, chosen: dict) -> dict[tuple[str, str | None], int]:
    hits = filterset.base()
    for name in NOT_FACETS:
        hits = filterset.filters[name].filter(hits, values.get(name))
    flags = {f"ok_{name}": ExpressionWrapper(_condition(name, value), BooleanField()) for name, value in chosen.items()}
    links = {f"h_{column}": F(column) for column, _model in OPEN.values()}
    hits = hits.annotate(
        h_id=F("id"), h_year=YearOfDate("date"), h_kind=F("event_kind"), h_session_kind=F("session_kind"),
        **links, **flags,
    ).values("h_id", "h_year", "h_kind", "h_session_kind", *links, *flags)
    try:
        hits_sql, params = hits.query.sql_with_params()
    except EmptyResultSet:
        return {}
    parts = [f"SELECT 'total', CAST(NULL AS TEXT), COUNT(*) FROM hits WHERE {_where(chosen, None)}"]
    for name, column in CLOSED.items():
        parts.append(
            f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM hits WHERE {_where(chosen, name)} "
            f"AND {column} IS NOT NULL AND {column} <> '' GROUP BY {column}"
            if name == "session_kind"
            else f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM hits WHERE {_where(chosen, name)} GROUP BY {column}"
        )
    for name, (column, _model) in OPEN.items():
        # Each hit lists its linked ids once (events.indexing): unnested, counted, no join and no DISTINCT.
        parts.append(
            f"SELECT * FROM (SELECT '{name}' AS facet, CAST(links.id AS TEXT) AS value, COUNT(*) AS n "
            f"FROM {_linked_ids(f'h_{column}', _where(chosen, name))} "
            f"GROUP BY links.id ORDER BY COUNT(*) DESC, links.id LIMIT {FACET_LIMIT + 1}) AS {name}_counts"
        )
    sql = f"WITH hits AS MATERIALIZED ({hits_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(facet, value): count for facet, value, count in cursor.fetchall()}
