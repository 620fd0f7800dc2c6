"""The English version: a complete catalogue, a compiled catalogue in step with it, and English pages free of French
interface text (French data, marked `lang="fr"`, excepted), with the structure every page must have.

The compiled catalogue (locale/en/LC_MESSAGES/django.mo) is kept in the repository, so that a machine without
GNU gettext serves the English version as it is; `make messages` updates both files, and these tests fail when the
.po and the .mo disagree or when the code has strings the .po lacks.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db  # the English pages are read once per module, from the real data

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` leaves out of the catalogue (makemessages already skips dot-directories such as .venv).
IGNORED = ["var/*", "tests/*", "bench/*", "static/*", "locale/*"]


# A small reader of .po files: enough for what makemessages writes.


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string is a C string; Python's reading of it is the same here


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: dict = {}
    last = None

    def flush():
        nonlocal current
        if "msgid" in current:
            entries.append(
                Entry(
                    msgid=current["msgid"],
                    msgctxt=current.get("msgctxt"),
                    msgid_plural=current.get("msgid_plural"),
                    msgstr=current.get("msgstr", {}),
                    flags=current.get("flags", set()),
                    obsolete=current.get("obsolete", False),
                )
            )
        current = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if not line:
            flush()
            last = None
            continue
        if line.startswith("#,"):
            if "msgid" in current:
                flush()
            current.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(last, tuple):
                current["msgstr"][last[1]] += value
            else:
                current[last] += value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgctxt", "msgid"} and "msgid" in current and (keyword == "msgctxt" or "msgstr" in current):
            flush()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.setdefault("msgstr", {})[index] = _unquote(rest)
            last = ("msgstr", index)
        else:
            current[keyword] = _unquote(rest)
            last = keyword
    flush()
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def test_every_entry_of_the_english_catalogue_is_translated_and_checked():
    problems = []
    for entry in read_po(PO):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        expected = 2 if entry.msgid_plural else 1
        if len(entry.msgstr) != expected or not all(entry.msgstr.values()):
            problems.append(f"not translated: {entry.msgid!r}")
        # The same placeholders on both sides, or the page would fail (or lose a value) in one language only. A
        # singular may leave out the count its plural shows ("voir la correction", "voir les 2 corrections").
        for index, text in entry.msgstr.items():
            source = entry.msgid_plural if index else entry.msgid
            if text and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} → {text!r}")
    assert not problems, "\n".join(problems)


def test_the_compiled_catalogue_is_the_po_file_compiled():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in read_po(PO):
        if entry.msgid_plural:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr[0]
    compiled = {key: value for key, value in compiled.items() if key not in ("", ("", 0))}
    missing = sorted(str(key) for key in expected.keys() - compiled.keys())
    extra = sorted(str(key) for key in compiled.keys() - expected.keys())
    different = sorted(str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    assert not (missing or extra or different), (
        "locale/en/LC_MESSAGES/django.mo is not the .po compiled: run `make messages`.\n"
        f"missing: {missing[:10]}\nextra: {extra[:10]}\ndifferent: {different[:10]}"
    )


def test_the_catalogue_has_every_string_of_the_code():
    """makemessages, run on a copy of the code, finds no string the catalogue lacks (nor one it no longer needs)."""
    if shutil.which("xgettext") is None:
        raise RuntimeError("GNU gettext is missing: install the Debian package gettext (.ci/run does)")
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "site"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".*", "var", "tests", "bench", "locale", "static", "__pycache__", "*.sqlite3"
            ),
        )
        (copy / "locale").mkdir()
        command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v", "0"]
        for pattern in IGNORED:
            command += ["-i", pattern]
        subprocess.run(command, cwd=copy, check=True, capture_output=True)
        fresh = {entry.key for entry in read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    known = {entry.key for entry in read_po(PO)}
    assert not (fresh - known), f"run `make messages` and translate: {sorted(fresh - known)[:20]}"
    assert not (known - fresh), f"no longer in the code, run `make messages`: {sorted(known - fresh)[:20]}"


# English pages


class PageText(HTMLParser):
    """The interface text of a page: text and labelling attributes, outside the elements marked as French."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    LABELS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.lang = None
        self.h1 = self.main = 0
        self.title = ""
        self.times: list[str] = []
        self.time_texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, French or hidden from this check)

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1
        elif tag == "time":
            self.times.append(attributes.get("datetime") or "")
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        french = attributes.get("lang") == "fr" or tag in {"script", "style"}
        if not (self._skipping or french):
            self.texts += [" ".join(attributes[name].split()) for name in self.LABELS if attributes.get(name)]
            if tag == "meta" and attributes.get("name") == "description":
                self.texts.append(" ".join((attributes.get("content") or "").split()))
        if tag not in self.VOID:
            self._stack.append((tag, french))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "title" and not self.title:
            self.title = data
        text = " ".join(data.split())
        if text and self._stack and self._stack[-1][0] == "time":
            self.time_texts.append(text)
        if text and not self._skipping:
            self.texts.append(text)


def french_interface_strings() -> set[str]:
    """Every French string of the interface that English says differently, as a page would show it."""
    strings = set()
    for entry in read_po(PO):
        for french, english in ((entry.msgid, entry.msgstr.get(0, "")), (entry.msgid_plural, entry.msgstr.get(1, ""))):
            if not french or "%" in french or "<" in french:
                continue  # a sentence with values or markup is never one text node as a whole
            text = " ".join(french.split())
            if text != " ".join(english.split()) and len(text) > 3:
                strings.add(text)
    return strings


# One page of each kind, and those the crawl below would not reach from the links of the pages.
ENGLISH_PAGES = [
    "/en/",
    "/en/poles/",
    "/en/poles/?region=occitanie&status=merged&q=a",
    "/en/poles/?region=inconnue&q=" + "x" * 300,
    "/en/poles/?page=2",
    "/en/poles/aerospace-valley/",
    "/en/poles/pegase/",
    "/en/poles/medicen-paris-region/",
    "/en/membres/",
    "/en/membres/?kind=company&size=pme",
    "/en/evenements/",
    "/en/evenements/?year=2014",
    "/en/evenements/?q=Pellerin+PME&sort=-date",
    "/en/evenements/?q=*",
    "/en/evenements/?q=Pellerin&after=2099-01-01",
    "/en/intervenants/arnaud-montebourg/",
    "/en/politique/",
    "/en/politique/phase-3/",
    "/en/politique/chiffres-cles/",
    "/en/politique/comparer/",
    "/en/politique/comparer/?de=3&a=3",
    "/en/politique/comparer/?de=99",
    "/en/mentions-legales/",
    "/en/donnees-personnelles/",
    "/en/accessibilite/",
    "/en/plan-du-site/",
    "/en/this-page-does-not-exist/",
]
PAGES_PER_KIND = 2  # beyond the list above, how many pages of each kind the crawl reads


def kind_of(path: str) -> str:
    parts = [part for part in path.split("/") if part]
    return "/".join(parts[:2]) + f"/{len(parts)}"


@pytest.fixture(scope="module")
def english_pages(django_db_setup, django_db_blocker):
    from django.test import Client

    client = Client()
    pages: dict[str, PageText] = {}
    queue, seen, kinds = deque(ENGLISH_PAGES), set(ENGLISH_PAGES), {}
    with django_db_blocker.unblock():
        while queue:
            path = queue.popleft()
            response = client.get(path)
            assert response.status_code in (200, 404), (path, response.status_code)
            if not response["Content-Type"].startswith("text/html"):
                continue
            page = PageText()
            page.feed(response.content.decode())
            pages[path] = page
            for href in page.links:
                parts = urlsplit(urldefrag(urljoin(f"http://testserver{path}", href)).url)
                if parts.netloc != "testserver" or not parts.path.startswith("/en/") or parts.query:
                    continue
                kind = kind_of(parts.path)
                if parts.path not in seen and kinds.get(kind, 0) < PAGES_PER_KIND:
                    kinds[kind] = kinds.get(kind, 0) + 1
                    seen.add(parts.path)
                    queue.append(parts.path)
    return pages


def test_english_pages_have_the_structure_every_page_must_have(english_pages):
    assert len(english_pages) > len(ENGLISH_PAGES)
    for path, page in english_pages.items():
        assert page.lang == "en", path
        assert page.h1 == 1, path
        assert page.main == 1, path
        assert page.title.strip(), path
        for value in page.times:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), (path, value)


def test_english_pages_show_no_french_interface_text(english_pages):
    french = french_interface_strings()
    found = {
        path: sorted({text for text in page.texts if text in french or text.rstrip(" :") in french})
        for path, page in english_pages.items()
    }
    found = {path: texts for path, texts in found.items() if texts}
    assert not found, found


def test_english_pages_write_dates_in_english(english_pages):
    months = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"}
    dates = [(path, text) for path, page in english_pages.items() for text in page.time_texts]
    assert any(re.search(r"[A-Z][a-z]+ \d{4}", text) for _, text in dates)  # there are dates in words to check
    assert [(path, text) for path, text in dates if set(re.findall(r"\w+", text.lower())) & months] == []
