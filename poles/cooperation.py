"""How pôles are linked: members in common, sessions in common, themes in common.

Only public content links two pôles: both pôles, the organisation they share, the session and its event must be
public (`published_filter`), so a draft member or an unpublished session never creates a link.

Every kind of link is one self-join compiled by the ORM (memberships on their organisation, session–pôle rows on
their session, pôle–theme rows on their theme), giving one row per pair of pôles `a < b` (or, for one pôle's page,
`a` = that pôle). The rows of the three kinds are stacked (UNION ALL) and summed per pair in the same statement, which
also ranks, counts and cuts out one page: the strongest links are those with the most members and sessions in
common, then the most themes in common. The SQL around the ORM's is plain SQL both engines run alike, but for the
list of the themes in common (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connections, models, router
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.languages import split_language
from events.models import Session
from permalinks.models import Redirect
from poles.content import published_filter
from poles.models import Membership, Pole, Theme

LINKS_PER_PAGE = 20
LINKS_LISTED = 200  # the strongest links of a selection; choosing a pôle, a region or a theme lists the others
CLOSEST_SHOWN = 5  # on a pôle's page


class LinkKind(models.TextChoices):
    MEMBERS = "membres", _("Membres en commun")
    SESSIONS = "sequences", _("Séquences communes")
    THEMES = "thematiques", _("Thématiques communes")


ALL_KINDS = frozenset(LinkKind)


@dataclass
class Link:
    """Two pôles and what links them."""

    poles: tuple[Pole, Pole]
    members: int = 0
    sessions: int = 0
    themes: list[Theme] = field(default_factory=list)

    @property
    def strength(self) -> int:
        return self.members + self.sessions

    @property
    def reasons(self) -> list[str]:
        return reasons(self.members, self.sessions, self.themes)


def reasons(members: int, sessions: int, themes: Sequence[Theme]) -> list[str]:
    """What links two pôles, as the pages say it: « 14 membres en commun », « thématique commune : Santé »."""
    said = []
    if members:
        said.append(ngettext("%(count)s membre en commun", "%(count)s membres en commun", members) % {"count": members})
    if sessions:
        said.append(
            ngettext("%(count)s séquence commune", "%(count)s séquences communes", sessions) % {"count": sessions}
        )
    if themes:
        names = ", ".join(theme.name for theme in themes)
        said.append(
            ngettext("thématique commune : %(names)s", "thématiques communes : %(names)s", len(themes))
            % {"names": names}
        )
    return said


# The pairs, one self-join per kind of link


def _pair(own: str, other: str, pole: Pole | None) -> Q:
    """Each pair once (a < b); or, for one pôle, every pair where it is `a`."""
    if pole is None:
        return Q(**{f"{other}__gt": F(own)})
    return Q(**{own: pole.pk}) & (Q(**{f"{other}__lt": pole.pk}) | Q(**{f"{other}__gt": pole.pk}))


def _own_pole_public(prefix: str, pole: Pole | None) -> Q:
    # One pôle's links are worked out for its page, which staff may preview before it is public.
    return published_filter(prefix) if pole is None else Q()


# Each condition on the second row of a self-join goes in the same filter() call, so that they all bear on the same
# joined row (a second call would join the table again).


def _shared(model, column: str, pole: Pole | None) -> Q:
    """For every pair at once, only the rows whose organisation (or session) has several pôles: found on the index of
    that column alone, they spare the self-join most of its rows (a third of the time at the synthetic scale)."""
    if pole is not None:
        return Q()  # one pôle's rows are few already, and found by the pôle's index
    several = model.objects.values(column).annotate(rows=Count("pk")).filter(rows__gt=1).values(column).order_by()
    return Q(**{f"{column}__in": several})


def member_pairs(pole: Pole | None = None) -> QuerySet:
    return (
        Membership.objects.filter(
            _shared(Membership, "organisation", pole)
            & _own_pole_public("pole__", pole)
            & published_filter("organisation__")
            & published_filter("organisation__memberships__pole__")
            & _pair("pole", "organisation__memberships__pole", pole)
        )
        .values(a=F("pole_id"), b=F("organisation__memberships__pole_id"))
        .annotate(shared=Count("pk"))
        .order_by()
    )


def session_pairs(pole: Pole | None = None) -> QuerySet:
    session_pole = Session.poles.through
    return (
        session_pole.objects.filter(
            _shared(session_pole, "session", pole)
            & _own_pole_public("pole__", pole)
            & published_filter("session__")
            & published_filter("session__event__")
            & published_filter("session__poles__")
            & _pair("pole", "session__poles", pole)
        )
        .values(a=F("pole_id"), b=F("session__poles__id"))
        .annotate(shared=Count("pk"))
        .order_by()
    )


def theme_pairs(pole: Pole | None = None) -> QuerySet:
    """One row per pair and theme in common (the theme's id in `shared`)."""
    pole_theme = Pole.themes.through
    return (
        pole_theme.objects.filter(
            _own_pole_public("pole__", pole) & published_filter("theme__poles__") & _pair("pole", "theme__poles", pole)
        )
        .values(a=F("pole_id"), b=F("theme__poles__id"), shared=F("theme_id"))
        .order_by()
    )


def _links_sql(kinds: Iterable[str], pole: Pole | None, among: Sequence[QuerySet], vendor: str) -> tuple[str, list]:
    """One row per linked pair: a, b, members, sessions, themes (how many in common) and theme_ids ("3,7").

    Each queryset of `among` (pôles) keeps the pairs where one of the two pôles at least is among its rows.
    """
    columns = {
        # kind: (its pairs, and what it adds to members, sessions, theme)
        LinkKind.MEMBERS: (member_pairs, "shared", "0", "CAST(NULL AS INTEGER)"),
        LinkKind.SESSIONS: (session_pairs, "0", "shared", "CAST(NULL AS INTEGER)"),
        LinkKind.THEMES: (theme_pairs, "0", "0", "shared"),
    }
    parts, params = [], []
    for kind in LinkKind:
        if kind in kinds:
            pairs, members, sessions, theme = columns[kind]
            sql, pair_params = pairs(pole).query.sql_with_params()
            parts.append(
                f"SELECT a, b, {members} AS members, {sessions} AS sessions, {theme} AS theme "
                f"FROM ({sql}) AS {kind.name.lower()}_pairs"
            )
            params += pair_params
    conditions = []
    for poles in among:
        among_sql, among_params = poles.values("pk").query.sql_with_params()
        conditions.append(f"(pairs.a IN ({among_sql}) OR pairs.b IN ({among_sql}))")
        params += [*among_params, *among_params]
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    theme_ids = "GROUP_CONCAT(pairs.theme)" if vendor == "sqlite" else "STRING_AGG(CAST(pairs.theme AS TEXT), ',')"
    sql = (
        # PostgreSQL sums bigints as numeric: back to integers, as SQLite gives them.
        "SELECT pairs.a AS a, pairs.b AS b, CAST(SUM(pairs.members) AS INTEGER) AS members, "
        "CAST(SUM(pairs.sessions) AS INTEGER) AS sessions, "
        f"COUNT(pairs.theme) AS themes, {theme_ids} AS theme_ids "
        f"FROM ({' UNION ALL '.join(parts)}) AS pairs {where} GROUP BY pairs.a, pairs.b"
    )
    return sql, params


def _connection():
    return connections[router.db_for_read(Pole)]


def _theme_list(theme_ids: str | None, themes: dict[int, Theme]) -> list[Theme]:
    found = [themes[int(pk)] for pk in (theme_ids or "").split(",") if pk and int(pk) in themes]
    return sorted(found, key=lambda theme: theme.name)


def link_page(
    *,
    poles: dict[int, Pole],
    themes: dict[int, Theme],
    kinds: Iterable[str] = ALL_KINDS,
    pole: Pole | None = None,
    among: Sequence[QuerySet] = (),
    number: int = 1,
    per_page: int = LINKS_PER_PAGE,
    listed: int = LINKS_LISTED,
) -> tuple[Page, int] | None:
    """One page of the links between public pôles, strongest first, and how many links there are in all; None past
    the last page. Only the `listed` strongest are paged through (narrower criteria list the others).

    `poles` and `themes` name what the rows point to (every public pôle and every theme: the page's form lists them
    anyway). `pole` keeps its own links only, written first; `among` as in `_links_sql`.
    """
    if number < 1 or (number - 1) * per_page >= max(listed, 1):
        return None
    connection = _connection()
    links_sql, params = _links_sql(set(kinds) or ALL_KINDS, pole, among, connection.vendor)
    table = connection.ops.quote_name(Pole._meta.db_table)
    sql = (
        "SELECT links.a, links.b, links.members, links.sessions, links.theme_ids, COUNT(*) OVER () "
        f"FROM ({links_sql}) AS links JOIN {table} p1 ON p1.id = links.a JOIN {table} p2 ON p2.id = links.b "
        "ORDER BY links.members + links.sessions DESC, links.themes DESC, p1.name, p2.name, links.a, links.b "
        "LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, per_page, (number - 1) * per_page])
        rows = cursor.fetchall()
    if not rows and number > 1:
        return None
    links = []
    for a, b, members, sessions, theme_ids, _total in rows:
        if a in poles and b in poles:  # else unpublished between the two queries
            pair = sorted((poles[a], poles[b]), key=lambda item: (item.pk != getattr(pole, "pk", None), item.name))
            links.append(Link((pair[0], pair[1]), members, sessions, _theme_list(theme_ids, themes)))
    total = rows[0][-1] if rows else 0
    return Page(links, number, Paginator(range(min(total, listed)), per_page)), total


def related_poles(pole: Pole, shown: int = CLOSEST_SHOWN) -> tuple[list[Pole], list[Pole]]:
    """The public pôles merged into this one (by name), and the `shown` others closest to it (strongest first), each
    with its `link` to this one: one query for both lists, the pôle's page has none to spare.

    Each merged pôle also says whether its page now leads elsewhere (`is_redirected`, as permalinks'
    `Redirect.objects.redirected` would): the page then names it without a link that would only bring the visitor
    back. The themes in common are named from `pole.themes.all()`, which the page has already read.
    """
    connection = _connection()
    links_sql, params = _links_sql(ALL_KINDS, pole, (), connection.vendor)
    merged = Pole.objects.published().filter(successor=pole).values("pk")
    merged_sql, merged_params = merged.query.sql_with_params()
    # Redirects are stored at the French address: /poles/<slug>/.
    address = split_language(reverse("poles:pole-detail", args=["slug"]))[1]
    address_start, _slug, address_end = address.rpartition("slug")
    table = connection.ops.quote_name(Pole._meta.db_table)
    redirects = connection.ops.quote_name(Redirect._meta.db_table)
    sql = (
        f"WITH links AS ({links_sql}), "
        f"closest AS (SELECT links.b FROM links JOIN {table} p ON p.id = links.b "
        "WHERE p.successor_id IS NULL OR p.successor_id <> %s "
        "ORDER BY links.members + links.sessions DESC, links.themes DESC, p.name, links.b LIMIT %s) "
        "SELECT pole.*, links.members AS shared_members, links.sessions AS shared_sessions, "
        "links.theme_ids AS shared_theme_ids, pole.id IN (SELECT b FROM closest) AS is_closest, "
        f"EXISTS (SELECT 1 FROM {redirects} r WHERE r.old_path = %s || pole.slug || %s) AS is_redirected "
        f"FROM {table} pole LEFT JOIN links ON links.b = pole.id "
        f"WHERE pole.id IN (SELECT b FROM closest) OR pole.id IN ({merged_sql}) "
        "ORDER BY COALESCE(links.members + links.sessions, -1) DESC, COALESCE(links.themes, -1) DESC, "
        "pole.name, pole.id"
    )
    rows = list(Pole.objects.raw(sql, [*params, pole.pk, shown, address_start, address_end, *merged_params]))
    themes = {theme.pk: theme for theme in pole.themes.all()}
    for row in rows:
        row.link = Link(
            (pole, row), row.shared_members or 0, row.shared_sessions or 0, _theme_list(row.shared_theme_ids, themes)
        )
    predecessors = sorted((row for row in rows if row.successor_id == pole.pk), key=lambda row: row.name)
    return predecessors, [row for row in rows if row.is_closest]


# The network drawn on the cooperation page (an arc diagram): one row per pôle, names on the left, each link an arc
# on the right. Colours as in policy.charts: DSFR classes drawn with currentColor, so both themes keep their contrast.

ARC_CLASS = "fr-text-action-high--blue-france"
TEXT_CLASS = "fr-text-default--grey"


@dataclass(frozen=True)
class Node:
    label: str
    y: float


@dataclass(frozen=True)
class Arc:
    path: str
    width: float
    dashed: bool  # themes in common only: not the same kind of tie, and not told by colour alone


@dataclass(frozen=True)
class ArcDiagram:
    width: int
    height: int
    axis_x: float
    label_x: float
    nodes: tuple[Node, ...]
    arcs: tuple[Arc, ...]
    arc_class: str = ARC_CLASS
    text_class: str = TEXT_CLASS

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    # Drawn a fifth larger than its units, so that its 13-unit texts read at about the page's own size; the page's CSS
    # shrinks it to the width of a phone.
    @property
    def display_width(self) -> int:
        return round(self.width * 1.2)

    @property
    def display_height(self) -> int:
        return round(self.height * 1.2)


def _short(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _node_order(links: Sequence[Link]) -> list[Pole]:
    """Linked pôles close together, so that arcs stay short: breadth-first from each group's strongest link."""
    neighbours: dict[int, list[Pole]] = defaultdict(list)
    for link in links:  # strongest first
        first, second = link.poles
        neighbours[first.pk].append(second)
        neighbours[second.pk].append(first)
    order: list[Pole] = []
    placed: set[int] = set()
    for link in links:
        for start in link.poles:
            if start.pk in placed:
                continue
            placed.add(start.pk)
            queue = deque([start])
            while queue:
                node = queue.popleft()
                order.append(node)
                for other in neighbours[node.pk]:
                    if other.pk not in placed:
                        placed.add(other.pk)
                        queue.append(other)
    return order


def arc_diagram(
    links: Sequence[Link],
    *,
    label_width: int = 250,
    label_chars: int = 34,
    row_height: int = 24,
    max_bulge: int = 130,
    padding: int = 12,
) -> ArcDiagram | None:
    """The geometry of the links drawn as arcs between the rows of their pôles; None without links.

    An arc is thicker when its two pôles have more members and sessions in common (1.5 to 4 units); a link by themes
    alone is drawn dashed, at the thinnest. Texts are 13 units high, about 7 units a character.
    """
    if not links:
        return None
    order = _node_order(links)
    row = {pole.pk: index for index, pole in enumerate(order)}
    axis_x = label_width + 14

    def y(index: int) -> float:
        return padding + index * row_height + row_height / 2

    strongest = max(link.strength for link in links)
    arcs, widest = [], 0.0
    for link in reversed(links):  # the strongest drawn last, on top
        top, bottom = sorted((y(row[link.poles[0].pk]), y(row[link.poles[1].pk])))
        ry = (bottom - top) / 2
        rx = min(ry, max_bulge)  # far apart, an arc is an ellipse rather than a huge half circle
        widest = max(widest, rx)
        width = 1.5 + 2.5 * link.strength / strongest if link.strength else 1.5
        arcs.append(
            Arc(f"M {axis_x} {top} A {rx} {ry} 0 0 1 {axis_x} {bottom}", round(width, 1), dashed=not link.strength)
        )
    return ArcDiagram(
        width=int(axis_x + widest + padding + 4),
        height=padding * 2 + row_height * len(order),
        axis_x=axis_x,
        label_x=axis_x - 10,
        nodes=tuple(Node(_short(pole.name, label_chars), y(index)) for index, pole in enumerate(order)),
        arcs=tuple(arcs),
    )
