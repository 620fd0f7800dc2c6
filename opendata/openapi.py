"""The OpenAPI 3.1 description of the API and of the JSON datasets, built from their own definitions.

Parameters come from the FilterSets the lists use, record schemas from the dataset columns: the description cannot
drift from what the views answer (tests/opendata/test_openapi.py checks the real answers against it).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _

from opendata.api import MAX_PAGE_SIZE, PAGE_SIZE, RESOURCES, Resource
from opendata.columns import Dataset
from opendata.datasets import DATASETS

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
API_PREFIX = "/api/v1"


def parameter_notes() -> dict[str, str]:
    """What the label of a filter does not say: the values it takes."""
    return {
        "q": _("Mots cherchés. Une valeur vide est ignorée."),
        "region": _("Identifiant (slug) d'une région : colonne « slug » du jeu de données « Régions »."),
        "theme": _("Identifiant (slug) d'une thématique : colonne « slug » du jeu de données « Thématiques »."),
        "phase": _("Numéro d'une phase publiée : colonne « number » du jeu de données « Phases »."),
        "pole": _("Identifiant (slug) d'un pôle publié : colonne « slug » du jeu de données « Pôles »."),
        "person": _("Identifiant (slug) d'une personne : colonne « person » du jeu de données « Interventions »."),
        "organisation": _("Identifiant (slug) d'une organisation publiée : colonne « slug » du jeu de données "
                          "« Membres »."),
        "after": _("Date (AAAA-MM-JJ) : événements de ce jour ou après."),
        "before": _("Date (AAAA-MM-JJ) : événements de ce jour ou avant."),
        "year": _("Année de l'événement."),
        "sort": _("Ordre des résultats ; par défaut, celui de la page du site."),
    }


def filter_schema(filter_) -> dict:
    """The values a filter accepts, as the HTML list reads them (an empty value means no criterion)."""
    if isinstance(filter_, django_filters.ModelChoiceFilter):  # before ChoiceFilter, its parent class
        if filter_.extra.get("to_field_name") == "number":
            return {"type": "string", "pattern": "^[0-9]*$"}
        return {"type": "string", "maxLength": 200}
    if isinstance(filter_, django_filters.ChoiceFilter):
        return {"type": "string", "enum": ["", *(str(code) for code, _label in filter_.extra["choices"])]}
    if isinstance(filter_, django_filters.NumberFilter):
        return or_empty({"type": "integer", "minimum": filter_.extra["min_value"], "maximum": filter_.extra["max_value"]})
    if isinstance(filter_, django_filters.DateFilter):
        return or_empty({"type": "string", "format": "date"})
    return {"type": "string", "maxLength": filter_.extra.get("max_length", 200)}


def or_empty(schema: dict) -> dict:
    """A value of this schema, or nothing at all (`?year=`): as a form sends an empty field, the API reads it as no
    criterion, like the HTML list (Schemathesis once drew `?year=` and rightly found it accepted against the schema)."""
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


def filter_parameters(resource: Resource) -> list[dict]:
    notes = parameter_notes()
    parameters = []
    for name, filter_ in resource.filterset_class.base_filters.items():
        description = str(filter_.label)
        if name in notes:
            description = f"{description} — {notes[name]}"
        if name == "sort":
            description += " " + " ; ".join(f"« {code} » : {label}" for code, label in filter_.extra["choices"]) + "."
        parameters.append({
            "name": name,
            "in": "query",
            "required": name in resource.required,
            "description": description,
            "schema": filter_schema(filter_),
        })
    return parameters


def page_parameters() -> list[dict]:
    return [
        {"name": "page", "in": "query", "required": False, "description": _("Numéro de la page (1 par défaut)."),
         "schema": or_empty({"type": "integer", "minimum": 1, "maximum": 10**9})},
        {"name": "page_size", "in": "query", "required": False,
         "description": _("Nombre de résultats par page (%(default)s par défaut, %(max)s au plus).")
         % {"default": PAGE_SIZE, "max": MAX_PAGE_SIZE},
         "schema": or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE})},
    ]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


CORS_HEADER = {"Access-Control-Allow-Origin": {"description": "*", "schema": {"type": "string"}}}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "headers": CORS_HEADER, "content": _json(schema)}


ERROR_RESPONSES = {400: "BadRequest", 404: "NotFound"}


def _errors(*statuses: int) -> dict:
    return {str(status): {"$ref": f"#/components/responses/{ERROR_RESPONSES[status]}"} for status in statuses}


def page_schema(dataset: Dataset) -> dict:
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "next", "previous", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": _("Nombre total de résultats.")},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "next": {"type": ["string", "null"], "format": "uri", "description": _("Adresse de la page suivante.")},
            "previous": {"type": ["string", "null"], "format": "uri",
                         "description": _("Adresse de la page précédente.")},
            "results": {"type": "array", "items": _ref(dataset.schema_name)},
        },
    }


def detail_schema(resource: Resource) -> dict:
    schema = resource.dataset.json_schema()
    schema["properties"] = dict(schema["properties"])
    for name, (embedded, _lookup) in resource.embedded.items():
        schema["properties"][name] = {"type": "array", "items": _ref(embedded.schema_name),
                                      "description": str(embedded.description)}
        schema["required"] = [*schema["required"], name]
    return schema


def _paths() -> dict:
    paths: dict = {}
    for resource in RESOURCES.values():
        dataset = resource.dataset
        paths[f"{API_PREFIX}/{resource.name}/"] = {"get": {
            "operationId": f"list_{resource.name}",
            "tags": [resource.name],
            "summary": str(resource.summary),
            "description": _("Mêmes paramètres et mêmes résultats que la page %(page)s du site.")
            % {"page": resource.html_list},
            "parameters": filter_parameters(resource) + page_parameters(),
            "responses": {"200": _ok(_("Une page de résultats."), page_schema(dataset)), **_errors(400, 404)},
        }}
        if resource.has_detail:
            paths[f"{API_PREFIX}/{resource.name}/{{slug}}/"] = {"get": {
                "operationId": f"get_{resource.name}",
                "tags": [resource.name],
                "summary": str(dataset.description),
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": _("Identifiant stable (colonne « slug »).")}],
                "responses": {"200": _ok(_("L'élément."), _ref(f"{dataset.schema_name}Detail")), **_errors(404)},
            }}
    for dataset in DATASETS.values():
        paths[f"/donnees/{dataset.slug}.json"] = {"get": {
            "operationId": f"dataset_{dataset.slug.replace('-', '_')}",
            "tags": ["donnees"],
            "summary": _("Jeu de données « %(title)s », en entier.") % {"title": dataset.title},
            "description": str(dataset.description),
            "responses": {"200": _ok(_("Toutes les lignes du jeu de données."),
                                     {"type": "array", "items": _ref(dataset.schema_name)})},
        }}
    return paths


def _schemas() -> dict:
    schemas = {dataset.schema_name: dataset.json_schema() for dataset in (*DATASETS.values(),
                                                                           *(r.dataset for r in RESOURCES.values()))}
    for resource in RESOURCES.values():
        if resource.has_detail:
            schemas[f"{resource.dataset.schema_name}Detail"] = detail_schema(resource)
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {"type": "string", "description": _("Ce qui ne va pas, en une phrase.")},
            "errors": {"type": "object", "description": _("Pour chaque paramètre invalide, pourquoi."),
                       "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    }
    return schemas


def document(base_url: str) -> dict:
    """The whole description; `base_url` is the site's address (scheme and host)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("API des pôles de compétitivité"),
            "version": "1.0.0",
            "description": _(
                "Les listes du site (pôles, membres, événements, recherche dans l'archive) en JSON, avec les mêmes "
                "paramètres et les mêmes résultats que leurs pages, et les jeux de données complets de /donnees/. "
                "Lecture seule, sans clé ni inscription. Seuls les contenus publiés y figurent."
            ),
            "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        },
        "servers": [{"url": base_url.rstrip("/")}],
        "tags": [
            {"name": "poles", "description": _("Pôles de compétitivité")},
            {"name": "membres", "description": _("Membres des pôles")},
            {"name": "evenements", "description": _("Événements de l'archive")},
            {"name": "recherche", "description": _("Recherche dans l'archive")},
            {"name": "donnees", "description": _("Jeux de données complets")},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": {
                "BadRequest": {"description": _("Un paramètre au moins est invalide."), "headers": CORS_HEADER,
                               "content": _json(_ref("Error"))},
                "NotFound": {"description": _("Rien de public à cette adresse, ou page au-delà de la dernière."),
                             "headers": CORS_HEADER, "content": _json(_ref("Error"))},
            },
        },
    }
