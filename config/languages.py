"""The site's languages in its addresses: French pages at their path, the same pages in English under /en/.

Paths are the same in every language but for that prefix (config.urls: `i18n_patterns`, no prefix for French).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_from_path, get_language_info


def split_language(path: str) -> tuple[str, str]:
    """("en", "/poles/x/") for "/en/poles/x/"; ("", path) for an address in the default language."""
    language = get_language_from_path(path)
    if not language or language == settings.LANGUAGE_CODE:
        return "", path
    return language, path[len(language) + 1 :] or "/"


def path_in(language: str, path: str) -> str:
    """The address of the page at `path` (in any language) in `language`."""
    neutral = split_language(path)[1]
    return neutral if language == settings.LANGUAGE_CODE else f"/{language}{neutral}"


# A language link keeps the page's criteria (a filtered list, a search), unless they are longer than any form of the
# site makes them: what a robot or a visitor typed by hand is then not written back into the page.
MAX_KEPT_QUERY = 600


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "Français", "English"
    path: str  # the address of the page in this language, without the query string (hreflang alternates)
    href: str  # the same with the page's query string (the language selector)
    is_current: bool


def language_versions(path: str, query: str = "") -> list[LanguageVersion]:
    """The page at `path` (with its encoded `query` string) in every language of the site, the default first."""
    current = get_language() or settings.LANGUAGE_CODE
    suffix = f"?{query}" if query and len(query) <= MAX_KEPT_QUERY else ""
    versions = []
    for code, _name in settings.LANGUAGES:
        address = path_in(code, path)
        name = capfirst(get_language_info(code)["name_local"])
        versions.append(LanguageVersion(code, name, address, address + suffix, code == current))
    return versions


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str  # the language the text is written in

    @property
    def is_fallback(self) -> bool:
        """The page's language has no text of its own here: this is the French text, to be marked as such."""
        return bool(self.text) and self.language != (get_language() or settings.LANGUAGE_CODE)


def localized_text(item, field: str) -> LocalizedText:
    """`item.<field>` in the active language: `<field>_en` in English when staff wrote one, else the French text
    (always the French text for fields that have no translation at all)."""
    language = get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        translated = getattr(item, f"{field}_{language}", "")
        if translated:
            return LocalizedText(translated, language)
    return LocalizedText(getattr(item, field) or "", settings.LANGUAGE_CODE)
