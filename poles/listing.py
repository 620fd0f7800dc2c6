"""What every public list shares: a FilterSet with facet counts, pagination, and a CSV export of the same rows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django_filters.views import FilterView


class FacetedListView(FilterView):
    """A FilterView with the counts of each filter option and a link to the CSV of the same results."""

    http_method_names = ["get", "head", "options"]
    strict = False  # an invalid criterion is reported and left out; the valid ones still apply
    export_url_name: str = ""
    title: str = ""

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.filterset.total()  # not a COUNT over the annotated (grouped) list query
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            facets=self.filterset.facets(),
            export_query=params.urlencode(),
            export_url_name=self.export_url_name,
            breadcrumbs=[(self.title, None)],
            has_filters=any(value for key, value in params.items() if key != "sort"),
        )
        return context


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list], chunk_size: int = 2000) -> StreamingHttpResponse:
    """Stream rows as CSV (UTF-8 with BOM, so spreadsheet software reads the accents), whatever their number."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filtered(
    request: HttpRequest,
    filterset_class,
    queryset,
    filename: str,
    header: list[str],
    row: Callable,
) -> HttpResponse:
    """The CSV of exactly what the list shows for the same parameters, all pages together."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return invalid_parameters(filterset)
    return csv_response(filename, header, (row(item) for item in filterset.qs.iterator(chunk_size=2000)))


def invalid_parameters(filterset) -> HttpResponse:
    """The 400 answer of a download whose parameters do not validate: which ones, and why."""
    errors = "; ".join(f"{name} : {' '.join(messages)}" for name, messages in filterset.errors.items())
    return HttpResponse(
        _("Paramètres invalides : %(errors)s") % {"errors": errors},
        status=400,
        content_type="text/plain; charset=utf-8",
    )
