"""What a dataset is: named, typed, described columns read from the database in one statement.

One definition of each dataset drives everything that shows it: the CSV and JSON downloads, the API's records, the
data dictionary of /donnees/ and the OpenAPI schemas. Each column reads one SQL expression (a field path, or a
correlated subquery for lists and counts), so a dataset of any size is one query, streamed.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Joins the values of a list column in SQL; never in a slug, a number or a source reference.
SEPARATOR = "\x1f"
# Joins them in a CSV cell (documented in the dictionary).
CSV_LIST_SEPARATOR = "|"


class _JoinedText(Func):
    """STRING_AGG (GROUP_CONCAT on SQLite) as a plain function: a correlated subquery then needs no GROUP BY."""

    function = "STRING_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined(queryset: Callable[[], QuerySet], path: str) -> Callable[[], Subquery]:
    """Every value of `path` in these rows (correlated with OuterRef), in one text that a ListOf column splits.

    The queryset is built at each query, since what is public depends on the time (`published_filter()`).
    """
    return lambda: Subquery(
        queryset().order_by().values(joined=_JoinedText(Cast(F(path), TextField()), Value(SEPARATOR))).values("joined")
    )


def count_of(queryset: QuerySet) -> Coalesce:
    """How many of these rows (correlated with OuterRef): a subquery, so the outer query needs no GROUP BY."""
    counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    return Coalesce(Subquery(counted), 0)


# Types


class ColumnType:
    label: Promise | str = ""
    schema: dict = {}

    def normalize(self, value: Any) -> Any:
        """The value as the JSON record holds it (None when absent)."""
        return value

    def to_csv(self, value: Any) -> str:
        return "" if value is None else str(value)

    def json_schema(self) -> dict:
        return dict(self.schema)


class Text(ColumnType):
    label = _("texte")
    schema = {"type": "string"}

    def normalize(self, value):
        return None if value in (None, "") else str(value)


class Url(Text):
    label = _("adresse web (URL)")
    schema = {"type": "string", "format": "uri"}


class Integer(ColumnType):
    label = _("nombre entier")
    schema = {"type": "integer"}

    def normalize(self, value):
        return None if value in (None, "") else int(value)


class Decimal(ColumnType):
    label = _("nombre décimal (le point sépare les décimales)")
    schema = {"type": "number"}

    def normalize(self, value):
        if value is None:
            return None
        value = decimal.Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


class Boolean(ColumnType):
    label = _("booléen (true ou false)")
    schema = {"type": "boolean"}

    def normalize(self, value):
        return None if value is None else bool(value)

    def to_csv(self, value):
        return "" if value is None else ("true" if value else "false")


class Date(ColumnType):
    label = _("date (AAAA-MM-JJ)")
    schema = {"type": "string", "format": "date"}

    def normalize(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value[:10])
        return value.isoformat()


class DateTime(ColumnType):
    label = _("date et heure (ISO 8601, en temps universel)")
    schema = {"type": "string", "format": "date-time"}

    def normalize(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ListOf(ColumnType):
    """Several values: an array in JSON, the values joined by « | » in CSV. Values from SQL come sorted."""

    def __init__(self, item: ColumnType) -> None:
        self.item = item

    @property
    def label(self):
        return _("liste de valeurs (%(item)s), séparées par « | » dans le CSV") % {"item": self.item.label}

    def normalize(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return sorted(self.item.normalize(part) for part in value.split(SEPARATOR))
        return [self.item.normalize(part) for part in value]

    def to_csv(self, value):
        return CSV_LIST_SEPARATOR.join(self.item.to_csv(part) for part in value or [])

    def json_schema(self):
        return {"type": "array", "items": self.item.json_schema()}


# Columns and datasets


class Context:
    """What some columns need beyond the row: the site's address (absolute links), the words a search matched."""

    def __init__(self, base_url: str, lexemes: Iterable[str] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.lexemes = set(lexemes)
        self._templates: dict[str, tuple[str, str]] = {}

    def page_url(self, url_name: str, slug: str) -> str:
        # reverse() once per address pattern, not once per row: a dataset may have 100 000 rows.
        if url_name not in self._templates:
            prefix, _marker, suffix = reverse(url_name, args=["--slug--"]).partition("--slug--")
            self._templates[url_name] = (self.base_url + prefix, suffix)
        prefix, suffix = self._templates[url_name]
        return f"{prefix}{slug}{suffix}"


def page_url(url_name: str) -> Callable[[Any, Context], str]:
    """A column converter: the absolute address of the public page named `url_name` for the slug read."""
    return lambda slug, context: context.page_url(url_name, slug)


@dataclass(frozen=True)
class Column:
    """One column: its name in the files and the API, its type, its meaning, and where its value comes from.

    `source` is a field path, or a function that builds the expression at each query (default: the column's name).
    With `source=None`, `convert` receives the whole row read (every column's raw value, and the dataset's helpers)
    rather than one value.
    """

    name: str
    type: ColumnType
    description: Promise | str
    source: Any = ""
    convert: Callable[[Any, Context], Any] | None = None
    nullable: bool = False
    choices: Iterable[tuple[str, Any]] | None = None

    def expression(self):
        if self.source is None:
            return None
        source = self.source or self.name
        return F(source) if isinstance(source, str) else source()

    def value(self, raw: Any, row: dict, context: Context) -> Any:
        if self.source is None:
            raw = self.convert(row, context)
        elif self.convert is not None and raw not in (None, ""):
            raw = self.convert(raw, context)
        value = self.type.normalize(raw)
        if value is None and not self.nullable:
            # A required text left empty stays an empty text; other types are NOT NULL in the database.
            return "" if isinstance(self.type, Text) else value
        return value

    @property
    def choice_list(self) -> list[tuple[str, str]]:
        return [(str(code), str(label)) for code, label in (self.choices or [])]

    def json_schema(self) -> dict:
        schema = self.type.json_schema()
        if self.choices:
            schema["enum"] = [code for code, _label in self.choice_list]
        schema["description"] = str(self.description)
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"].append(None)
        return schema


@dataclass
class Dataset:
    """A table of public rows: `queryset()` gives them in a stable order, the columns say what each row holds."""

    slug: str
    title: Promise | str
    description: Promise | str
    schema_name: str
    columns: list[Column]
    queryset: Callable[[], QuerySet]
    # What the last change of the dataset is read from (opendata.changes).
    changes: tuple = ()
    # Raw values read for columns computed from the whole row (source=None), under these names.
    helpers: dict[str, str] = field(default_factory=dict)
    # Also read (by name) because the queryset orders on them (the search's rank).
    keep: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def _expressions(self) -> dict[str, Any]:
        expressions = {f"col_{column.name}": column.expression() for column in self.columns}
        expressions.update({f"col_{name}": F(source) for name, source in self.helpers.items()})
        return {alias: expression for alias, expression in expressions.items() if expression is not None}

    def read(self, queryset: QuerySet) -> QuerySet:
        """The rows as dictionaries of raw values: one SELECT with every column, whatever the filters applied."""
        keep = [name for name in self.keep if name in queryset.query.annotations or name in queryset.query.extra]
        return queryset.values(*keep, **self._expressions())

    def records(self, rows: Iterable[dict], context: Context) -> Iterator[dict]:
        for raw in rows:
            row = {alias.removeprefix("col_"): value for alias, value in raw.items()}
            yield {column.name: column.value(row.get(column.name), row, context) for column in self.columns}

    def stream(self, context: Context, queryset: QuerySet | None = None, chunk_size: int = 2000) -> Iterator[dict]:
        """Every record, read in chunks from one query (a server-side cursor on PostgreSQL)."""
        queryset = self.queryset() if queryset is None else queryset
        return self.records(self.read(queryset).iterator(chunk_size=chunk_size), context)

    def csv_row(self, record: dict) -> list[str]:
        return [column.type.to_csv(record[column.name]) for column in self.columns]

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "description": str(self.description),
            "required": self.column_names,
            "properties": {column.name: column.json_schema() for column in self.columns},
            "additionalProperties": False,
        }
