"""Property-based: whatever query string a visitor or a robot sends to a list, a search or a download, never a 5xx.

Hypothesis draws parameters among the real names each URL understands (and some it does not), with values from
plausible to hostile: empty, huge numbers, dates out of range, control characters, lone quotes, unpaired surrogates
are not sendable in a URL, so the text is any other Unicode.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

URLS = {
    "/": ["q"],
    "/poles/": ["q", "region", "theme", "phase", "status", "sort", "page"],
    "/poles/export.csv": ["q", "region", "theme", "phase", "status", "sort"],
    "/poles/cooperation/": ["pole", "region", "theme", "kind", "page"],
    "/membres/": ["q", "pole", "size_class", "kind", "region", "sort", "page"],
    "/membres/export.csv": ["q", "pole", "size_class", "kind", "region", "sort"],
    "/evenements/": ["q", "year", "kind", "pole", "after", "before", "session_kind", "person", "organisation", "sort", "page"],
    "/evenements/export.csv": ["year", "kind", "pole"],
    "/evenements/recherche.csv": ["q", "year", "kind", "after", "before", "person", "pole", "sort"],
    "/evenements/recherche.json": ["q", "year", "kind", "after", "before", "person", "pole", "sort"],
    "/evenements/recherche.atom": ["q", "year", "kind", "after", "before", "person", "pole", "sort"],
    "/evenements/calendrier.ics": ["year", "kind", "pole"],
    "/politique/comparer/": ["de", "a"],
    "/politique/chiffres-cles/": ["indicateur"],
    "/api/v1/poles/": ["q", "region", "theme", "phase", "status", "sort", "page", "page_size"],
    "/api/v1/membres/": ["q", "pole", "kind", "size", "region", "page", "page_size"],
    "/api/v1/evenements/": ["year", "kind", "pole", "page", "page_size"],
    "/api/v1/recherche/": ["q", "year", "kind", "after", "before", "session_kind", "person", "pole", "organisation",
                           "sort", "page", "page_size"],
    "/donnees/poles.csv": ["page"],
}
# The pages in English too (their labels and error messages are the translated ones); files and API are the same.
URLS |= {f"/en{path}": names for path, names in URLS.items() if path.endswith("/") and not path.startswith("/api/")}

plausible = st.sampled_from(
    ["", "1", "2", "-1", "0", "2012", "99999999999999999999", "2013-06-05", "2013-02-30", "1900-01-01", "-date",
     "date", "cara", "fleur-pellerin", "pole", "pôles", "innovation", '"', "*", "-", "a\x00b", "a\x0bb", "%", "..", "x" * 3000]
)
hostile = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
values = st.one_of(plausible, hostile)


@pytest.mark.parametrize("path", URLS)
def test_no_query_string_gives_a_server_error(client, path):
    names = st.one_of(st.sampled_from(URLS[path]), st.text(max_size=12))
    params = st.lists(st.tuples(names, values), max_size=6)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=params)
    def check(params):
        response = client.get(f"{path}?{urlencode(params)}")
        assert response.status_code < 500, (path, params, response.status_code)

    check()
