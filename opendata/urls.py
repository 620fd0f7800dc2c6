"""Two lists: the pages people read (in every language of the site), and what programs read, at one address
whatever the language (config/urls.py puts each in its place)."""

from django.urls import path, re_path

from opendata import api, views

# /donnees/ and /api/: the pages (namespace "opendata")
page_patterns = [
    path("donnees/", views.dataset_list, name="dataset-list"),
    path("api/", views.api_doc, name="api-doc"),
]

# The files and the API (namespace "data"): stable addresses, /donnees/<dataset>.csv and .json, /api/v1/…
data_patterns = [
    # Before <slug>.json, which would take "dictionnaire" for a dataset.
    path("donnees/dictionnaire.json", views.dictionary, name="dictionary"),
    path("donnees/<slug:slug>.csv", views.dataset_csv, name="dataset-csv"),
    path("donnees/<slug:slug>.json", views.dataset_json, name="dataset-json"),
    path("api/v1/openapi.json", views.openapi_json, name="openapi"),
]
for resource in api.RESOURCES.values():
    data_patterns.append(path(f"api/v1/{resource.name}/", api.list_view(resource), name=f"api-{resource.name}"))
    if resource.has_detail:
        # Any text, line breaks included, not only slugs: an address no row has is a JSON 404, not an HTML page.
        data_patterns.append(
            re_path(rf"^api/v1/{resource.name}/(?P<slug>[\s\S]+)/$", api.detail_view(resource),
                    name=f"api-{resource.name}-detail")
        )
