"""/donnees/: every dataset as CSV and JSON, with its dictionary; /api/: the API's documentation and description."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata import openapi
from opendata.api import MAX_PAGE_SIZE, PAGE_SIZE, RESOURCES, context_for, json_response
from opendata.changes import last_change, last_changes
from opendata.columns import CSV_LIST_SEPARATOR, Dataset
from opendata.datasets import DATASETS
from poles.listing import csv_response

JSON_BATCH = 500


def _dataset(slug: str) -> Dataset:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("Ce jeu de données n'existe pas."))
    return dataset


def _download_headers(response: HttpResponse, dataset: Dataset) -> HttpResponse:
    changed = last_change(dataset.changes)
    if changed is not None:
        response["Last-Modified"] = http_date(changed.timestamp())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def dataset_csv(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    records = dataset.stream(context_for(request))
    response = csv_response(f"{dataset.slug}.csv", dataset.column_names, (dataset.csv_row(r) for r in records))
    return _download_headers(response, dataset)


def json_lines(records: Iterable[dict]) -> Iterator[str]:
    """A JSON array written as it is read, a few hundred records at a time: one record per line."""
    yield "["
    separator = "\n"
    batch: list[str] = []
    for record in records:
        batch.append(json.dumps(record, ensure_ascii=False))
        if len(batch) == JSON_BATCH:
            yield separator + ",\n".join(batch)
            separator, batch = ",\n", []
    if batch:
        yield separator + ",\n".join(batch)
    yield "\n]\n"


@require_safe
def dataset_json(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    response = StreamingHttpResponse(json_lines(dataset.stream(context_for(request))),
                                     content_type="application/json; charset=utf-8")
    return _download_headers(response, dataset)


def _catalogue(request: HttpRequest) -> list[dict]:
    """Every dataset with its addresses, its last change and its dictionary."""
    keys = [key for dataset in DATASETS.values() for key in dataset.changes]
    changes = last_changes(keys)
    entries = []
    for dataset in DATASETS.values():
        moments = [changes[key] for key in dataset.changes if changes[key] is not None]
        changed = max(moments, default=None)
        entries.append({
            "dataset": dataset,
            "changed": timezone.localtime(changed) if changed else None,
            "csv_url": reverse("data:dataset-csv", args=[dataset.slug]),
            "json_url": reverse("data:dataset-json", args=[dataset.slug]),
        })
    return entries


@require_safe
def dataset_list(request: HttpRequest) -> HttpResponse:
    context = {
        "entries": _catalogue(request),
        "licence_name": openapi.LICENCE_NAME,
        "licence_url": openapi.LICENCE_URL,
        "list_separator": CSV_LIST_SEPARATOR,
        "api_url": reverse("opendata:api-doc"),
        "dictionary_url": reverse("data:dictionary"),
        "breadcrumbs": [(_("Données ouvertes"), None)],
    }
    return render(request, "opendata/dataset_list.html", context)


@require_safe
def dictionary(request: HttpRequest) -> HttpResponse:
    """The catalogue and the data dictionary, for programs: what /donnees/ says, in JSON."""
    datasets = []
    for entry in _catalogue(request):
        dataset = entry["dataset"]
        datasets.append({
            "slug": dataset.slug,
            "title": str(dataset.title),
            "description": str(dataset.description),
            "csv": request.build_absolute_uri(entry["csv_url"]),
            "json": request.build_absolute_uri(entry["json_url"]),
            "last_change": entry["changed"].isoformat() if entry["changed"] else None,
            "columns": [
                {
                    "name": column.name,
                    "type": column.type.json_schema(),
                    "type_label": str(column.type.label),
                    "description": str(column.description),
                    "nullable": column.nullable,
                    "values": [{"code": code, "label": label} for code, label in column.choice_list],
                }
                for column in dataset.columns
            ],
        })
    return json_response({
        "licence": {"name": openapi.LICENCE_NAME, "url": openapi.LICENCE_URL},
        "csv": {"encoding": "UTF-8 (BOM)", "delimiter": ",", "list_separator": CSV_LIST_SEPARATOR},
        "datasets": datasets,
    })


@require_safe
def openapi_json(request: HttpRequest) -> HttpResponse:
    return json_response(openapi.document(request.build_absolute_uri("/")))


def describe_values(schema: dict) -> str:
    """What a parameter accepts, in words."""
    if "enum" in schema:
        return ", ".join(code for code in schema["enum"] if code)
    if schema.get("type") == "integer":
        if "maximum" in schema and schema["maximum"] < 10**9:
            return _("nombre entier de %(min)s à %(max)s") % {"min": schema["minimum"], "max": schema["maximum"]}
        return _("nombre entier à partir de %(min)s") % {"min": schema["minimum"]}
    if "pattern" in schema:
        return _("nombre entier")
    if schema.get("format") == "date":
        return _("date (AAAA-MM-JJ)")
    return _("texte (%(max)s caractères au plus)") % {"max": schema.get("maxLength", 200)}


@require_safe
def api_doc(request: HttpRequest) -> HttpResponse:
    resources = []
    for resource in RESOURCES.values():
        list_url = reverse(f"data:api-{resource.name}")
        parameters = openapi.filter_parameters(resource) + openapi.page_parameters()
        resources.append({
            "resource": resource,
            "list_url": list_url,
            "example": f"{list_url}{resource.example}",
            "embedded": ", ".join(str(dataset.title).lower() for dataset, _lookup in resource.embedded.values()),
            "parameters": [{**parameter, "values": describe_values(parameter["schema"])} for parameter in parameters],
        })
    context = {
        "resources": resources,
        "page_size": PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
        "openapi_url": reverse("data:openapi"),
        "datasets_url": reverse("opendata:dataset-list"),
        "licence_name": openapi.LICENCE_NAME,
        "licence_url": openapi.LICENCE_URL,
        "breadcrumbs": [(_("Données ouvertes"), reverse("opendata:dataset-list")), (_("API"), None)],
    }
    return render(request, "opendata/api_doc.html", context)
