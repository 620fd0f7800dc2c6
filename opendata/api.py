"""The read-only JSON API: the lists of the site with the same parameters and the same counts, page by page.

Each list reads its parameters with the FilterSet of its HTML page (poles.filters, events.filters), so a criterion
means the same thing, and counts the same rows, in both places. Where the HTML page leaves an invalid criterion out
and says so, the API answers 400 with every invalid parameter and why: a program must not get other rows than it
asked for without noticing. Records are the rows of the datasets of /donnees/ (opendata.datasets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from events.filters import ArchiveSearchFilter, EventFilter
from opendata.columns import Context, Dataset
from opendata.datasets import APPEARANCES, EVENTS, MEMBERS, MEMBERSHIPS, POLES, SEARCH_HITS, SESSIONS
from poles.filters import MemberFilter, PoleFilter

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=10**9, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


@dataclass(frozen=True)
class Resource:
    """One list of the API: its address under /api/v1/, its records, and the FilterSet of the HTML list it mirrors."""

    name: str
    dataset: Dataset
    filterset_class: type
    html_list: str  # the HTML list whose parameters and counts it shares
    summary: str
    example: str = ""  # a query string, for the documentation
    required: tuple[str, ...] = ()
    # Lists embedded in a detail record: name → (dataset, lookup from the slug)
    embedded: dict[str, tuple[Dataset, str]] = field(default_factory=dict)
    has_detail: bool = True


RESOURCES = {
    resource.name: resource
    for resource in (
        Resource("poles", POLES, PoleFilter, "/poles/",
                 _lazy("Les pôles de compétitivité, avec les critères de la liste des pôles."),
                 example="?status=active&sort=-members"),
        Resource("membres", MEMBERS, MemberFilter, "/membres/", _lazy("Les membres des pôles, avec les critères de la "
                                                                      "liste des membres."),
                 example="?kind=company&size=pme", embedded={"memberships": (MEMBERSHIPS, "organisation__slug")}),
        Resource("evenements", EVENTS, EventFilter, "/evenements/", _lazy("Les événements de l'archive, avec les "
                                                                          "critères de la liste des événements."),
                 example="?kind=journee-nationale",
                 embedded={"sessions": (SESSIONS, "event__slug"),
                           "appearances": (APPEARANCES, "session__event__slug")}),
        Resource("recherche", SEARCH_HITS, ArchiveSearchFilter, "/evenements/?q=",
                 _lazy("La recherche dans l'archive des événements : les mêmes résultats que la page de recherche."),
                 example="?q=industrie&sort=-date", required=("q",), has_detail=False),
    )
}


def json_response(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    # Public, anonymous, read-only data: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    body: dict = {"error": message}
    if errors:
        body["errors"] = {name: [str(text) for text in texts] for name, texts in errors.items()}
    return json_response(body, status=status)


def context_for(request: HttpRequest, lexemes=()) -> Context:
    return Context(request.build_absolute_uri("/"), lexemes)


def _ordering(filterset, queryset) -> list:
    """The list's own order, made total with the primary key so that pages never overlap nor skip a row."""
    ordering = list(filterset.ordering if isinstance(filterset, ArchiveSearchFilter) else queryset.query.order_by)
    if "pk" not in ordering and "-pk" not in ordering:
        ordering.append("pk")
    return ordering


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def list_view(resource: Resource) -> Callable[[HttpRequest], HttpResponse]:
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        pages = PageForm(request.GET)
        filterset = resource.filterset_class(request.GET, queryset=resource.dataset.queryset(), request=request)
        errors: dict = {}
        if not pages.is_valid():
            errors.update(pages.errors)
        if not filterset.is_valid():
            errors.update(filterset.errors)
        for name in resource.required:
            if not (request.GET.get(name) or "").strip():
                errors.setdefault(name, [_("Ce paramètre est obligatoire.")])
        if errors:
            return error_response(400, _("Paramètres invalides."), errors)
        queryset = filterset.qs
        count = queryset.count()
        page = pages.cleaned_data["page"] or 1
        size = pages.cleaned_data["page_size"] or PAGE_SIZE
        start = (page - 1) * size
        if page > 1 and start >= count:
            return error_response(404, _("Cette page de résultats n'existe pas."))
        rows = resource.dataset.read(queryset.order_by(*_ordering(filterset, queryset)))[start : start + size]
        parsed = getattr(filterset, "parsed", None)
        context = context_for(request, parsed.lexemes if parsed is not None else ())
        return json_response(
            {
                "count": count,
                "page": page,
                "page_size": size,
                "next": _page_url(request, page + 1) if start + size < count else None,
                "previous": _page_url(request, page - 1) if page > 1 else None,
                "results": list(resource.dataset.records(rows, context)),
            }
        )

    view.__name__ = f"{resource.name}_list"
    return view


def detail_view(resource: Resource) -> Callable[[HttpRequest, str], HttpResponse]:
    @require_safe
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        dataset = resource.dataset
        context = context_for(request)
        record = next(dataset.records(dataset.read(dataset.queryset().filter(slug=slug)[:1]), context), None)
        if record is None:
            return error_response(404, _("Aucun élément public n'a cet identifiant."))
        for name, (embedded, lookup) in resource.embedded.items():
            rows = embedded.read(embedded.queryset().filter(**{lookup: slug}))
            record[name] = list(embedded.records(rows, context))
        return json_response(record)

    view.__name__ = f"{resource.name}_detail"
    return view
