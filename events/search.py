"""Full-text search of the event archive, the same on PostgreSQL and SQLite.

PostgreSQL indexes each entry with the accent-insensitive French configuration `french_unaccent` (unaccent, then the
Snowball French stemmer with PostgreSQL's French stop words). SQLite has no French stemmer, so each entry is analysed
here the same way — the default parser's word splitting, unaccent, the same stop words, the same Snowball stemmer — and
indexed in FTS5. A visitor's query is parsed once, here, into required words, exact phrases and excluded words, and
given to each engine in its own syntax. Snippets are highlighted here too, so both engines show the same thing.

Phrases must agree too, and they depend on positions. So both engines index the same sequence of words, split here:
a stop word keeps its place as the mark STOP_MARK (`"designer en résidence"` matches "designer du résidence" but
neither "designer résidence" nor "designer sans résidence"), a compound such as "Saint-Étienne" is two words, and on
PostgreSQL each field ends with FIELD_MARK so that no phrase runs from one field into the next (FTS5 phrases never
cross columns).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "french_unaccent"

# PostgreSQL's tsearch_data/french.stop (from Snowball), checked after unaccent as PostgreSQL does: accented entries
# never match an unaccented word, so "été" is not dropped while "et" is.
FRENCH_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi mon ne nos notre
    nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y
    été étée étées étés étant étante étants étantes suis es est sommes êtes sont serai seras sera serons serez seront
    serais serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons
    soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez
    ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut
    eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent""".split()
)
# Words as PostgreSQL's parser sees them: runs of letters and digits; apostrophes, hyphens and the rest separate them
# (so "l'industrie" gives "l", a stop word, and "industrie").
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_LENGTH = 500
MAX_TERMS = 20
MAX_WORD_LENGTH = 60  # longer "words" are noise, and PostgreSQL will not index them anyway
# Indexed in place of a stop word, and at the end of each field on PostgreSQL. Never a lexeme of a visitor's word.
STOP_MARK = "xqzxstop"
FIELD_MARK = "xqzxfield"
MARKS = frozenset({STOP_MARK, FIELD_MARK})


def unaccent(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE").replace("ß", "ss")
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


@cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def lexeme(word: str) -> str | None:
    """The indexed form of one word, or None for a stop word."""
    word = unaccent(word.lower())
    if word in FRENCH_STOP_WORDS or word in MARKS:
        return None
    if word.isdigit():
        return word
    stem = _stemmer().stemWord(word)
    return None if stem in MARKS else stem


def analyze(text: str) -> str:
    """The text as SQLite indexes it: the lexemes in order, a stop word as STOP_MARK, separated by spaces."""
    return " ".join(lexeme(word) or STOP_MARK for word in WORD.findall(text))


def words_for_postgres(text: str) -> str:
    """The text as PostgreSQL is given it to analyse: the same words as analyze() sees, lower-cased and unaccented,
    each stop word as STOP_MARK, then FIELD_MARK. PostgreSQL stems them with its French configuration."""
    return " ".join([*_postgres_words(WORD.findall(text)), FIELD_MARK])


def _postgres_words(words: list[str]) -> list[str]:
    return [unaccent(word.lower()) if lexeme(word) else STOP_MARK for word in words]


@dataclass
class ParsedQuery:
    """What a visitor asked for: words and phrases that must all be there, words that must not."""

    required: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # stop words and symbols, to tell the visitor

    @property
    def is_searchable(self) -> bool:
        return bool(self.required or self.phrases)

    @property
    def lexemes(self) -> set[str]:
        """What to highlight."""
        found = {lexeme(word) for word in self.required}
        found |= {lexeme(word) for phrase in self.phrases for word in phrase}
        return {item for item in found if item}

    def fts5_expression(self) -> str:
        parts = [f'"{lexeme(word)}"' for word in self.required]
        for phrase in self.phrases:
            parts.append('"' + " ".join(lexeme(word) or STOP_MARK for word in phrase) + '"')
        expression = " AND ".join(parts)
        for word in self.excluded:
            expression += f' NOT "{lexeme(word)}"'
        return expression

    def postgres_query(self):
        from django.contrib.postgres.search import SearchQuery

        query = None
        for word in self.required:
            term = SearchQuery(word, config=CONFIG, search_type="plain")
            query = term if query is None else query & term
        for phrase in self.phrases:
            term = SearchQuery(" ".join(_postgres_words(phrase)), config=CONFIG, search_type="phrase")
            query = term if query is None else query & term
        for word in self.excluded:
            query = query & ~SearchQuery(word, config=CONFIG, search_type="plain")
        return query


def parse_query(text: str) -> ParsedQuery:
    """Any string gives a query: quotes for phrases, a leading minus to exclude, everything else ignored safely."""
    text = text.replace("\x00", " ")[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery()
    text = text.replace("«", '"').replace("»", '"').replace("“", '"').replace("”", '"')
    if text.count('"') % 2:  # an unbalanced quote is ignored
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
    for index, piece in enumerate(text.split('"')):
        if index % 2 == 1:
            words = [word for word in WORD.findall(piece) if len(word) <= MAX_WORD_LENGTH]
            # Stop words count inside a phrase, not at its ends: "la résidence" is "résidence".
            while words and not lexeme(words[0]):
                words.pop(0)
            while words and not lexeme(words[-1]):
                words.pop()
            if len([w for w in words if lexeme(w)]) > 1:
                parsed.phrases.append(words)
            else:
                parsed.required += [w for w in words if lexeme(w)]
            continue
        for token in piece.split():
            negative = token.startswith("-") and len(token) > 1
            for word in WORD.findall(token):
                if len(word) > MAX_WORD_LENGTH or lexeme(word) is None:
                    parsed.ignored.append(word)
                elif negative:
                    parsed.excluded.append(word)
                else:
                    parsed.required.append(word)
    parsed.required = list(dict.fromkeys(parsed.required))[:MAX_TERMS]
    parsed.excluded = list(dict.fromkeys(parsed.excluded))[:MAX_TERMS]
    parsed.phrases = parsed.phrases[:MAX_TERMS]
    return parsed


def highlight(text: str, lexemes: set[str], words: int = 40) -> SafeString:
    """An escaped excerpt of `text` around the first match, each matching word in <mark>."""
    matches = [m for m in WORD.finditer(text) if lexeme(m.group()) in lexemes]
    if not matches:
        excerpt = text if len(text) <= 300 else text[:300].rsplit(" ", 1)[0] + " …"
        return mark_safe(escape(excerpt))
    # Start a few words before the first match.
    all_words = list(WORD.finditer(text))
    first = next(i for i, m in enumerate(all_words) if m.start() == matches[0].start())
    start_word = max(0, first - 8)
    end_word = min(len(all_words), start_word + words)
    start = all_words[start_word].start() if start_word else 0
    end = all_words[end_word - 1].end() if end_word < len(all_words) else len(text)
    pieces, cursor = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
