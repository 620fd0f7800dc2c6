"""Text normalisation shared by what we store for search and what visitors type."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed: "Lyonbiopôle" → "lyonbiopole", "Nov@log" → "nov log"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", ascii_only).strip()


def search_text(*parts: str) -> str:
    """What a row is found by: each part normalised, and also without spaces ("lyon urban" and "lyonurban")."""
    normalized = [normalize(part) for part in parts if part]
    squashed = [part.replace(" ", "") for part in normalized if " " in part]
    return " | ".join(normalized + squashed)


def query_terms(query: str) -> list[str]:
    """The words of a visitor's query, normalised; every one must match."""
    return normalize(query).split()
