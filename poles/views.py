from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from events.models import Event, Session
from permalinks.models import Redirect
from poles import cooperation
from poles.filters import MemberFilter, PoleFilter
from poles.forms import CooperationForm
from poles.content import published_filter
from poles.listing import FacetedListView, export_filtered
from poles.models import Membership, Organisation, Pole, PoleLabel, Region, Theme
from poles.preview import public_or_preview, render_content
from poles.tilemap import build_tiles, dimensions
from policy.models import Decision, Phase


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    regions = Region.objects.with_pole_counts()
    tiles = build_tiles(regions)
    totals = Pole.objects.published().aggregate(all=Count("pk"), active=Count("pk", filter=Q(fate=Pole.Fate.ACTIVE)))
    context = {
        # Not the sum of the tiles: a pôle may cover two regions.
        "pole_count": totals["all"],
        "active_pole_count": totals["active"],
        "region_count": sum(1 for tile in tiles if tile.active),
        "current_phase": Phase.objects.published().current().first(),
        "latest_events": Event.objects.for_archive()[:4],
        "latest_decisions": Decision.objects.published().select_related("phase").order_by("-date")[:3],
        "tiles": tiles,
        "map": dimensions(),
        "map_id": "home-map",
    }
    return render(request, "poles/home.html", context)


class PoleListView(FacetedListView):
    filterset_class = PoleFilter
    template_name = "poles/pole_list.html"
    paginate_by = 24
    export_url_name = "poles:pole-export"
    title = _lazy("Pôles")

    def get_queryset(self):
        return Pole.objects.for_directory()


@require_safe
def pole_export(request: HttpRequest) -> HttpResponse:
    inferred = " (" + _("déduit") + ")"

    def row(pole: Pole) -> list:
        return [
            pole.name,
            pole.short_name,
            request.build_absolute_uri(pole.get_absolute_url()),
            "; ".join(region.name for region in pole.regions.all()),
            "; ".join(theme.name for theme in pole.themes.all()),
            pole.hq_city,
            pole.founded_year or "",
            pole.get_category_2007_display() if pole.category_2007 else "",
            "; ".join(str(label.phase.number) + (inferred if label.is_inferred else "") for label in pole.labels.all()),
            pole.get_fate_display(),
            pole.public_successor.name if pole.public_successor else "",
            pole.member_count,
            pole.website,
            " | ".join(source.reference for source in pole.sources.all()),
        ]

    header = [
        _("nom"), _("sigle"), _("adresse"), _("régions"), _("thématiques"), _("siège"), _("création"),
        _("catégorie 2007"), _("phases"), _("devenir"), _("successeur"), _("membres"), _("site internet"), _("sources"),
    ]
    queryset = Pole.objects.for_directory().prefetch_related(
        "sources", Prefetch("labels", queryset=PoleLabel.objects.select_related("phase").order_by("phase__number"))
    )
    return export_filtered(request, PoleFilter, queryset, "poles.csv", header, row)


MEMBERS_SHOWN = 50  # the rest is one click away, on the member list filtered on the pôle


@require_safe
def pole_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pole = public_or_preview(request, Pole.objects.for_detail(), slug=slug)
    # A pôle merged through the admin redirects to its successor; older mergers keep their page (poles.merge).
    if pole.fate == Pole.Fate.MERGED and (target := Redirect.objects.target_for(request)):
        return HttpResponsePermanentRedirect(target)
    # The pôles merged into this one and the pôles closest to it: one query for both.
    predecessors, closest = cooperation.related_poles(pole)
    memberships, members = pole.members_for_page(MEMBERS_SHOWN)
    sessions = Session.objects.for_pole(pole)
    context = {
        "pole": pole,
        "memberships": memberships,
        "members": members,
        "sessions": sessions,
        "figures": pole.figures.select_related("source").order_by("indicator", "year"),
        "predecessors": predecessors,
        "closest": closest,
        # Predecessors whose page now leads here are named without a link back to this very page.
        "redirected_predecessors": {p.get_absolute_url() for p in predecessors if p.is_redirected},
        "breadcrumbs": [(_("Pôles"), reverse("poles:pole-list")), (pole.name, None)],
    }
    return render_content(request, "poles/pole_detail.html", context, pole)


@require_safe
def pole_cooperation(request: HttpRequest) -> HttpResponse:
    # What the form offers and the links name: every public pôle, so only what both show (names, addresses).
    poles = list(Pole.objects.published().only("name", "slug").order_by("name"))
    regions = list(Region.objects.order_by("name"))
    themes = list(Theme.objects.order_by("name"))
    form = CooperationForm(request.GET, poles=poles, regions=regions, themes=themes)
    criteria = form.criteria
    pole = next((item for item in poles if item.slug == criteria.get("pole")), None)
    among = [
        Pole.objects.published().filter(**{field: criteria[name]})
        for name, field in [("region", "regions__slug"), ("theme", "themes__slug")]
        if name in criteria
    ]
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404 from None
    found = cooperation.link_page(
        poles={item.pk: item for item in poles},
        themes={theme.pk: theme for theme in themes},
        kinds=[criteria["kind"]] if "kind" in criteria else cooperation.ALL_KINDS,
        pole=pole,
        among=among,
        number=number,
    )
    if found is None:
        raise Http404
    page, total = found
    context = {
        "form": form,
        "page_obj": page,
        "links": page.object_list,
        "total": total,
        "listed": cooperation.LINKS_LISTED,
        "diagram": cooperation.arc_diagram(page.object_list),
        "has_filters": bool(criteria),
        "breadcrumbs": [(_("Pôles"), reverse("poles:pole-list")), (_("Coopérations entre pôles"), None)],
    }
    return render(request, "poles/cooperation.html", context)


class MemberListView(FacetedListView):
    filterset_class = MemberFilter
    template_name = "poles/member_list.html"
    paginate_by = 50
    export_url_name = "poles:member-export"
    title = _lazy("Membres")

    def get_queryset(self):
        return Organisation.objects.for_directory()


@require_safe
def member_export(request: HttpRequest) -> HttpResponse:
    def row(organisation: Organisation) -> list:
        return [
            organisation.name,
            organisation.get_kind_display(),
            organisation.get_size_class_display() if organisation.size_class else "",
            organisation.siren,
            organisation.naf_code,
            organisation.city,
            organisation.region.name if organisation.region else "",
            "; ".join(m.pole.name for m in organisation.memberships.all()),
            request.build_absolute_uri(organisation.get_absolute_url()),
        ]

    header = [_("nom"), _("type"), _("taille"), _("siren"), _("code NAF"), _("ville"), _("région"), _("pôles"), _("adresse")]
    queryset = Organisation.objects.for_directory().prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(published_filter("pole__")).select_related("pole"))
    )
    return export_filtered(request, MemberFilter, queryset, "membres.csv", header, row)


@require_safe
def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = public_or_preview(
        request,
        Organisation.objects.select_related("region").prefetch_related(
            "sources",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(published_filter("pole__")).select_related("pole").order_by("pole__name"),
            ),
        ),
        slug=slug,
    )
    context = {
        "organisation": organisation,
        "sessions": Session.objects.for_organisation(organisation),
        "breadcrumbs": [(_("Membres"), reverse("poles:member-list")), (organisation.name, None)],
    }
    return render_content(request, "poles/member_detail.html", context, organisation)
