"""Checks every list page must pass: counts that tell the truth, hostile parameters, CSV of the same rows."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client


def listed_count(client: Client, path: str, params: dict) -> int:
    response = client.get(path, params)
    assert response.status_code == 200
    match = re.search(r'role="status"><strong>(\d+)', response.content.decode().replace("\u202f", "").replace("\xa0", ""))
    assert match, "the list shows how many results it has"
    return int(match.group(1))


def facet_options(html: str, name: str) -> list[tuple[str, int]]:
    select = re.search(rf'<select class="fr-select" id="id_{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, f"the {name} filter is on the page"
    return [(value, int(count)) for value, count in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select.group(1))]


def assert_facet_counts_match_results(client: Client, path: str, base: dict, names: list[str]) -> None:
    html = client.get(path, base).content.decode()
    for name in names:
        options = facet_options(html, name)
        assert options, f"{name} has options"
        for value, count in options:
            assert listed_count(client, path, {**base, name: value}) == count, (name, value)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


HOSTILE_PARAMS = [
    {"page": "abc"},
    {"page": "999999"},
    {"page": "-1"},
    {"q": "a\x00b"},
    {"q": "x" * 5000},
    {"q": "<script>alert(1)</script>"},
    {"region": "<b>atlantide</b>"},
    {"phase": "abc"},
    {"year": "99999999999999999999"},
    {"sort": "name; DROP TABLE"},
]


def assert_never_a_server_error(client: Client, path: str) -> None:
    for params in HOSTILE_PARAMS:
        response = client.get(path, params)
        assert response.status_code in {200, 400, 404}, (params, response.status_code)
        body = response.content.decode(errors="replace")
        assert "<script>alert(1)</script>" not in body
        assert "<b>atlantide</b>" not in body
    # Repeated keys: the last value wins, quietly.
    response = client.get(f"{path}?q=a&q=b&page=1&page=1")
    assert response.status_code == 200
