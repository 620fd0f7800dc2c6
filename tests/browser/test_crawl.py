"""Crawl the served site from / as a visitor would: every page answers, every internal link works, every page has
the structure the standards ask for, and one page of each template passes axe-core in Chromium — in French and, through
the language links every page carries, in English under /en/."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

MAX_PAGES = 1500


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.h1 = 0
        self.main = 0
        self.title = ""
        self.lang = None
        self.times: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1
        elif tag == "title" and not self.title:
            self._in_title = True
        elif tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "time":
            self.times.append(attributes.get("datetime") or "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def language_of(path: str) -> str:
    return "en" if path == "/en/" or path.startswith(("/en/", "/en?")) else "fr"


def template_of(path: str) -> str:
    """Group URLs by the template that renders them: /poles/aerospace-valley/ → /poles/<slug>/, and the same in
    English: /en/poles/aerospace-valley/ → /en/poles/<slug>/."""
    if language_of(path) == "en":
        return "/en" + template_of(path[3:])
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 2 and parts[0] in {"poles", "membres", "evenements", "intervenants"}:
        return f"/{parts[0]}/<slug>/"
    if len(parts) == 2 and parts[0] == "politique" and parts[1].startswith("phase-"):
        return "/politique/<phase>/"
    if len(parts) == 3 and parts[:2] == ["politique", "rapports"]:
        return "/politique/rapports/<slug>/"
    return path


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def crawl(site_url):
    host = urlsplit(site_url).netloc
    seen = {"/"}
    queue = deque(["/"])
    pages: dict[str, PageParser] = {}
    broken: list[str] = []
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        status, content_type, body = fetch(site_url + path)
        if status != 200:
            broken.append(f"{path} → {status}")
            continue
        if not content_type.startswith("text/html"):
            continue
        parser = PageParser()
        parser.feed(body)
        pages[path] = parser
        for href in parser.links:
            url = urldefrag(urljoin(site_url + path, href)).url
            parts = urlsplit(url)
            if parts.netloc != host or parts.scheme not in {"http", "https"}:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith("/admin/") or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return pages, broken


def test_every_page_reachable_from_home_answers_and_no_internal_link_is_broken(crawl):
    pages, broken = crawl
    assert broken == []
    assert len(pages) > 150  # every pôle, event, person, organisation, phase and report page, and the lists
    assert len(pages) < MAX_PAGES
    # Every page in English too: the language links lead there.
    english = {path for path in pages if language_of(path) == "en"}
    assert {f"/en{path}" for path in pages if language_of(path) == "fr" and "?" not in path} <= english


def test_every_page_has_one_h1_a_main_the_lang_of_its_address_and_iso_dates(crawl):
    pages, _ = crawl
    for path, page in pages.items():
        assert page.lang == language_of(path), path
        assert page.h1 == 1, path
        assert page.main == 1, path
        assert page.title.strip(), path
        for value in page.times:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), (path, value)


def test_titles_are_unique_across_pages(crawl):
    pages, _ = crawl
    titles: dict[str, str] = {}
    for path, page in pages.items():
        if "?" in path:
            continue  # a filtered list keeps its list's title
        title = " ".join(page.title.split())
        assert title not in titles, f"{path} and {titles.get(title)} share the title {title!r}"
        titles[title] = path


def test_one_page_of_each_template_passes_axe_in_chromium(crawl, page, site_url):
    pages, _ = crawl
    representatives: dict[str, str] = {}
    for path in pages:
        representatives.setdefault(template_of(path.split("?")[0]), path)
    for prefix, language in (("", ""), ("/en", " (en)")):
        representatives[f"filtered list{language}"] = f"{prefix}/poles/?region=occitanie&status=merged&q=a"
        representatives[f"form errors{language}"] = f"{prefix}/poles/?region=inconnue&q=" + "x" * 300
        representatives[f"404{language}"] = f"{prefix}/poles/pole-qui-n-existe-pas/"
        representatives[f"archive search{language}"] = f"{prefix}/evenements/?q=Pellerin+PME&sort=-date"
        representatives[f"archive search, nothing to search{language}"] = f"{prefix}/evenements/?q=*"
    # Its address looks like a pôle's (/poles/<slug>/), its template is its own: the network's SVG and its table.
    representatives["cooperation"] = "/poles/cooperation/"
    representatives["cooperation, form errors"] = "/poles/cooperation/?region=inconnue&pole=aerospace-valley"
    axe = Axe()
    failures = {}
    for name, path in sorted(representatives.items()):
        page.console_errors.clear()
        response = page.goto(site_url + path)
        results = axe.run(page)
        if results.violations_count:
            failures[f"{name} ({path})"] = results.generate_report()
        # Chromium logs the 404 status itself; any other console error is a fault of the page (CSP, script…).
        expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"] if response.status == 404 else []
        if page.console_errors != expected:
            failures[f"{name} ({path}) console"] = "\n".join(page.console_errors)
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
