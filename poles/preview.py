"""Content pages: staff preview of what is not public, and the public corrections.

Staff preview: a content page that is not public (draft, scheduled, archived) shown at its own address to staff.

The public gets a 404 for anything `ContentQuerySet.published()` leaves out. A logged-in staff member who may view
that model in the admin sees it instead, under an « Aperçu » banner that says what is not public; such a response is
never stored by a cache and asks search engines not to index it. Deleted items stay a 404 for everybody: the trash
lives in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from poles.content import Correction


def can_preview(request: HttpRequest, model: type[Model]) -> bool:
    user = request.user
    opts = model._meta
    return user.is_active and user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def public_or_preview(request: HttpRequest, queryset: QuerySet, **lookup) -> Model:
    """The object a public page shows: a public one for everybody, or a not yet (or no longer) public one for staff
    who may preview it; 404 otherwise, and for deleted items."""
    try:
        return queryset.published().get(**lookup)
    except queryset.model.DoesNotExist:
        # Only now is the session read: public pages cost no query more for it.
        if not can_preview(request, queryset.model):
            raise Http404 from None
    try:
        return queryset.alive().get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


@dataclass
class Previewed:
    """What the preview banner says of one item: what it is, its state, where staff edit it."""

    kind: str
    name: str
    state: str
    anchor: str
    admin_url: str


def previewed(item) -> Previewed:
    opts = item._meta
    try:
        admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    except NoReverseMatch:
        admin_url = ""
    return Previewed(capfirst(opts.verbose_name), str(item), item.publication_state, getattr(item, "anchor", ""), admin_url)


def render_content(request: HttpRequest, template: str, context: dict, item: Model, *parts: Model) -> HttpResponse:
    """Render the page of a content item and the parts it shows (an event's sessions).

    Adds `corrections`, the public corrections of the item and its parts, newest first (one query).
    If the item or a part is not public (a staff preview), says so on the page (banner, `noindex`) and in the headers
    (not cached, not indexed)."""
    shown = {(type(part), part.pk): part for part in parts}
    corrections = list(Correction.objects.for_items([item, *parts]))
    for correction in corrections:
        model = ContentType.objects.get_for_id(correction.content_type_id).model_class()  # cached: no query
        part = shown.get((model, correction.object_id))
        correction.about = (
            _("%(kind)s « %(name)s »") % {"kind": capfirst(part._meta.verbose_name), "name": part}
            if part is not None
            else None
        )
    context["corrections"] = corrections
    not_public = [shown for shown in (item, *parts) if not shown.is_public]
    context["preview_items"] = [previewed(shown) for shown in not_public]
    response = render(request, template, context)
    if not_public:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
