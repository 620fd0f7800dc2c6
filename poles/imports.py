"""A pôle's yearly member list, imported from a CSV file: read, compared with the database, then written.

No request in here: the admin views (poles.admin_import) and the tests call the same three steps.

- `read_file(data)` decodes the bytes (UTF-8 with or without BOM, else Windows-1252), finds the delimiter (`;` or
  `,`) and the columns, and returns the rows as text; a file that cannot be read at all raises `ImportFileError`
  with a message for staff.
- `plan_import(parsed, pole, year, source_reference)` checks every row and compares it with the database: each row
  becomes a creation, an update (with every field's old and new value), unchanged, or invalid (with its reasons).
  Nothing is written. The plan's `fingerprint` lets the confirmation prove it imports exactly what was previewed.
- `apply_plan(plan)` writes a valid plan in one transaction, in bulk, and then does what the save signals would
  have done (stored search text, archive search index, content version).

Matching a row to an existing organisation (docs/import-membres.md says the same for staff):
1. a row with a SIREN matches the organisation with that SIREN;
2. otherwise, it matches by name, compared without case, accents or punctuation: a row without SIREN matches any
   organisation of that name; a row whose SIREN is unknown matches only an organisation of that name that has no
   SIREN yet (and gives it one). Two organisations of the same name make the row ambiguous (invalid);
3. no match: a new organisation is created, published (staff vouch for the list they import, and the pôle's page
   only shows published members).
An empty cell never erases a value already known. Synthetic rows (seed_demo) are never matched.

The membership of the imported year: created when missing (since that year, open-ended); an existing one is only
ever widened so that it covers the year (an earlier `since_year`, a later `until_year` when it had ended before).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from poles.content import PublicationStatus, Source
from poles.models import Membership, Organisation, Pole, Region
from poles.text import normalize
from poles.validators import validate_naf_code, validate_siren

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000  # the largest pôles have about 1 000 members; 5 000 rows import in seconds, even all changed
FIRST_YEAR = 2004  # the policy was launched in 2004; the first pôles were labelled in 2005
BATCH = 500


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for staff (French)."""


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    description: str
    example: str
    required: bool = False


# The documented column names and the other headers accepted for them (docs/import-membres.md); headers are compared
# without case, accents or punctuation, so "Code NAF", "code_naf" and "CODE-NAF" are the same column.
COLUMNS = [
    Column("nom", ("raison sociale", "dénomination", "dénomination sociale", "nom de l'organisation",
                   "nom de l'entreprise", "organisation"),
           "Nom de l'organisation (obligatoire).", "Exemple Industrie SAS", required=True),
    Column("sigle", ("acronyme", "nom court"), "Sigle ou nom court.", "EXI"),
    Column("siren", ("n° SIREN", "nº SIREN", "numéro SIREN", "numéro de SIREN", "SIREN de l'entreprise"),
           "9 chiffres, espaces permis ; la clé de contrôle (Luhn) est vérifiée.", "732 829 320"),
    Column("type", ("type d'organisation", "type de membre", "nature", "catégorie de membre"),
           "Entreprise, Organisme de recherche, Établissement de formation, Administration ou organisme public, "
           "Association ou réseau. Vide : Entreprise pour une nouvelle organisation.", "Entreprise"),
    Column("taille", ("taille d'entreprise", "taille de l'entreprise", "catégorie d'entreprise"),
           "TPE, PME, ETI ou GE (Grande entreprise) ; entreprises seulement.", "PME"),
    Column("code_naf", ("NAF", "code APE", "APE", "code NAF/APE"), "Code NAF rév. 2 : 62.01Z ou 6201Z.", "62.01Z"),
    Column("ville", ("commune",), "Ville du siège.", "Toulouse"),
    Column("region", ("région",), "Nom, identifiant ou code INSEE de la région.", "Occitanie"),
    Column("site_web", ("site internet", "site", "URL", "adresse web"),
           "Adresse du site ; https:// est ajouté s'il manque.", "https://www.exemple.fr"),
    Column("role", ("rôle dans le pôle", "qualité"),
           "Membre (par défaut pour une nouvelle adhésion), Membre fondateur, "
           "Membre du conseil d'administration, Partenaire.", "Membre"),
]
_COLUMN_BY_ALIAS = {normalize(name): column.key for column in COLUMNS for name in (column.key, *column.aliases)}
COLUMN_NAMES = [column.key for column in COLUMNS]

# Organisation fields the file can fill, in the order the preview shows them.
ORGANISATION_FIELDS = {
    "name": "nom", "short_name": "sigle", "siren": "siren", "kind": "type", "size_class": "taille",
    "naf_code": "code_naf", "city": "ville", "region": "region", "website": "site_web",
}
_FIELD_LABELS = {
    "name": "nom", "short_name": "sigle", "siren": "SIREN", "kind": "type", "size_class": "taille",
    "naf_code": "code NAF", "city": "ville", "region": "région", "website": "site web",
    "status": "état de publication",
}
_MAX_LENGTHS = {
    name: Organisation._meta.get_field(name).max_length for name in ["name", "short_name", "city", "website"]
}
_URL = URLValidator()  # what URLField checks
_SPELLING_INSENSITIVE = {"name", "short_name", "city"}


def _choices(enum, aliases: dict[str, str]) -> dict[str, str]:
    mapping = {normalize(value): value for value in enum.values}
    mapping.update({normalize(str(label)): value for value, label in enum.choices})
    mapping.update({normalize(alias): value for alias, value in aliases.items()})
    return mapping


_KINDS = _choices(Organisation.Kind, {
    "recherche": "research", "laboratoire": "research", "formation": "training", "organisme public": "public-body",
    "administration": "public-body", "association": "network", "reseau": "network",
})
_SIZES = _choices(Organisation.SizeClass, {"grandes entreprises": "ge"})
_ROLES = _choices(Membership.Role, {
    "fondateur": "founder", "conseil d administration": "board", "administrateur": "board", "ca": "board",
})


# --- Reading the file -------------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    values: dict[str, str]
    extra_cells: int = 0  # non-empty cells beyond the header's columns
    cell_count: int = 0
    last_line: int = 0  # beyond `line` when a quoted cell holds line breaks


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    columns: list[str]  # the recognised columns, in the file's order
    ignored_columns: list[str]  # header cells that are not a known column, as written
    header_size: int
    rows: list[ParsedRow]
    sha256: str


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Ce fichier est un classeur Excel, pas un fichier CSV : dans Excel, choisissez « Enregistrer sous » "
            "puis le format « CSV UTF-8 (délimité par des virgules) » ou « CSV (séparateur : point-virgule) »."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            "Ce fichier est en UTF-16 (« Texte Unicode ») : enregistrez-le en « CSV UTF-8 » ou en CSV Windows."
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 (avec BOM)"
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"Le fichier s'annonce en UTF-8 mais contient un octet invalide (position {error.start})."
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError:
                raise ImportFileError(
                    "Ce fichier n'est pas un fichier texte lisible (ni UTF-8 ni Windows-1252)."
                ) from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ImportFileError("Ce fichier contient des caractères de contrôle : ce n'est pas un fichier CSV texte.")
    return text, encoding


def _detect_delimiter(first_line: str) -> str:
    """`;` or `,`, whichever the header line holds more of outside quotes (`;` when it has neither)."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    return "," if outside.count(",") > outside.count(";") else ";"


def read_file(data: bytes) -> ParsedFile:
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"Le fichier pèse {len(data) / 1024 / 1024:.1f} Mo ; la limite est de {MAX_BYTES // 1024 // 1024} Mo."
        )
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFileError("Le fichier est vide.")
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = _detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    keys: list[str | None] = []
    rows: list[ParsedRow] = []
    previous_end = 0
    try:
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                keys = _header_keys(header, delimiter)
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    f"Le fichier compte plus de {thousands(MAX_ROWS)} lignes de membres : découpez-le en plusieurs."
                )
            values = {key: cell.strip() for key, cell in zip(keys, cells, strict=False) if key}
            extra = sum(1 for cell in cells[len(header):] if cell.strip())
            rows.append(
                ParsedRow(line=line, values=values, extra_cells=extra, cell_count=len(cells), last_line=previous_end)
            )
    except csv.Error as error:
        detail = "une cellule dépasse la longueur permise" if "field limit" in str(error) else str(error)
        raise ImportFileError(
            f"Ligne {reader.line_num} : le fichier CSV est mal formé ({detail}) ; un guillemet n'est-il pas fermé ?"
        ) from None
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne de membre sous la ligne d'en-tête.")
    return ParsedFile(
        encoding=encoding,
        delimiter=delimiter,
        columns=[key for key in keys if key],
        ignored_columns=[cell.strip() for cell, key in zip(header, keys, strict=True) if not key and cell.strip()],
        header_size=len(header),
        rows=rows,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _header_keys(header: list[str], delimiter: str) -> list[str | None]:
    keys = [_COLUMN_BY_ALIAS.get(normalize(cell)) for cell in header]
    seen: dict[str, str] = {}
    for cell, key in zip(header, keys, strict=True):
        if key in seen:
            raise ImportFileError(
                f"La colonne « {key} » apparaît deux fois dans l'en-tête (« {seen[key]} » et « {cell.strip()} »)."
            )
        if key:
            seen[key] = cell.strip()
    if "nom" not in seen:
        raise ImportFileError(
            "La ligne d'en-tête n'a pas de colonne « nom ». La première ligne du fichier doit nommer les colonnes "
            f"(séparées par « ; » ou « , »), par exemple : {';'.join(COLUMN_NAMES)}. "
            f"En-tête lu (séparateur « {delimiter} ») : {' | '.join(cell.strip() for cell in header)[:200]}"
        )
    return keys


# --- Checking rows and comparing them with the database --------------------------------------------------------

CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    line: int
    name: str
    siren: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # organisation fields; `old` is empty for a creation
    membership_changes: list[Change] = field(default_factory=list)
    organisation: Organisation | None = None  # unsaved for a creation
    organisation_fields: list[str] = field(default_factory=list)
    membership: Membership | None = None  # unsaved for a creation
    membership_fields: list[str] = field(default_factory=list)
    creates_organisation: bool = False
    creates_membership: bool = False

    @property
    def action(self) -> str:
        if self.errors:
            return INVALID
        if self.creates_organisation:
            return CREATE
        if self.organisation_fields or self.membership_fields or self.creates_membership:
            return UPDATE
        return UNCHANGED


@dataclass
class ImportPlan:
    pole: Pole
    year: int
    source_reference: str
    parsed: ParsedFile
    rows: list[RowPlan]
    source: Source | None
    members_not_in_file: int

    def by_action(self, action: str) -> list[RowPlan]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys([CREATE, UPDATE, UNCHANGED, INVALID], 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def is_valid(self) -> bool:
        return not any(row.errors for row in self.rows)

    @property
    def has_changes(self) -> bool:
        return any(row.action in (CREATE, UPDATE) for row in self.rows)

    @property
    def fingerprint(self) -> str:
        """Everything the preview says will happen, hashed: the confirmation must find the same."""
        described = {
            "pole": self.pole.pk,
            "year": self.year,
            "source": self.source_reference,
            "file": self.parsed.sha256,
            "rows": [
                [
                    row.line,
                    row.action,
                    row.organisation.pk if row.organisation else None,
                    row.errors,
                    [[c.label, c.old, c.new] for c in row.changes + row.membership_changes],
                ]
                for row in self.rows
            ],
        }
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def plan_import(
    parsed: ParsedFile, pole: Pole, year: int, source_reference: str = "", *, publish: bool = True
) -> ImportPlan:
    """`publish`: whether new organisations are created published (else as drafts, for someone else to publish)."""
    regions = _region_lookup()
    labels = _choice_labels()
    rows: list[RowPlan] = []
    cleaned_rows: list[dict] = []
    for parsed_row in parsed.rows:
        values = parsed_row.values
        row = RowPlan(line=parsed_row.line, name=" ".join(values.get("nom", "").split()), siren=values.get("siren", ""))
        if parsed_row.last_line > parsed_row.line:
            row.errors.append(
                f"la ligne se poursuit jusqu'à la ligne {parsed_row.last_line} du fichier : "
                "un guillemet ouvert n'est sans doute pas refermé"
            )
        if parsed_row.extra_cells:
            row.errors.append(
                f"trop de colonnes : la ligne compte {parsed_row.cell_count} cellules pour {parsed.header_size} "
                f"colonnes d'en-tête (un « {parsed.delimiter} » dans une valeur non mise entre guillemets ?)"
            )
        cleaned_rows.append(_clean_values(values, regions, row.errors))
        rows.append(row)

    targets = _match(rows, cleaned_rows)
    _flag_duplicates(rows, cleaned_rows, targets)

    source = None
    if source_reference:
        source = Source.objects.filter(reference=source_reference).first() or Source(reference=source_reference)
    existing = Organisation.objects.select_related("region").in_bulk([pk for pk in targets if pk])
    memberships = {m.organisation_id: m for m in Membership.objects.filter(pole=pole).select_related("source")}
    for row, cleaned, target in zip(rows, cleaned_rows, targets, strict=True):
        if row.errors:
            continue
        organisation = existing.get(target)  # None for a new one (or one deleted since it was matched)
        _plan_organisation(row, cleaned, organisation, publish, labels)
        if not row.errors:
            membership = memberships.get(organisation.pk) if organisation else None
            _plan_membership(row, cleaned, membership, pole, year, source, labels)
    matched = {target for target in targets if target}
    return ImportPlan(
        pole=pole,
        year=year,
        source_reference=source_reference,
        parsed=parsed,
        rows=rows,
        source=source,
        members_not_in_file=sum(1 for organisation_id in memberships if organisation_id not in matched),
    )


def _region_lookup() -> dict[str, Region]:
    lookup = {}
    for region in Region.objects.all():
        lookup.update({normalize(region.name): region, normalize(region.slug): region, region.insee_code: region})
    return lookup


def _clean_values(values: dict[str, str], regions: dict[str, Region], errors: list[str]) -> dict:
    """The row's non-empty cells as model values; what is wrong goes to `errors`, in French."""
    cleaned: dict = {}
    name = " ".join(values.get("nom", "").split())
    if name:
        cleaned["name"] = name
    else:
        errors.append("nom manquant")
    for key, model_field in (("sigle", "short_name"), ("ville", "city")):
        if text := " ".join(values.get(key, "").split()):
            cleaned[model_field] = text
    if raw := values.get("siren", ""):
        siren = re.sub(r"[\s.\-]", "", raw)
        try:
            validate_siren(siren)
            cleaned["siren"] = siren
        except ValidationError as error:
            hint = " (un zéro initial perdu par le tableur ?)" if len(siren) == 8 and siren.isdigit() else ""
            errors.append(f"SIREN « {raw} » : {error.messages[0]}{hint}")
    for key, model_field, mapping, accepted in (
        ("type", "kind", _KINDS, "Entreprise, Organisme de recherche, Établissement de formation, "
                                 "Administration ou organisme public, Association ou réseau"),
        ("taille", "size_class", _SIZES, "TPE, PME, ETI, GE ou Grande entreprise"),
        ("role", "role", _ROLES, "Membre, Membre fondateur, Membre du conseil d'administration, Partenaire"),
    ):
        if raw := values.get(key, ""):
            if normalize(raw) in mapping:
                cleaned[model_field] = mapping[normalize(raw)]
            else:
                errors.append(f"{_column_label(key)} « {raw} » inconnu{'e' if key in ('taille',) else ''} "
                              f"(valeurs admises : {accepted})")
    if raw := values.get("code_naf", ""):
        code = re.sub(r"[\s.]", "", raw).upper()
        code = f"{code[:2]}.{code[2:]}" if re.fullmatch(r"\d{4}[A-Z]", code) else raw
        try:
            validate_naf_code(code)
            cleaned["naf_code"] = code
        except ValidationError as error:
            errors.append(f"code NAF : {error.messages[0]}")
    if raw := values.get("region", ""):
        # "1" for Guadeloupe (01): a spreadsheet drops the zero.
        code = raw.strip().zfill(2) if raw.strip().isdigit() else ""
        region = regions.get(normalize(raw)) or regions.get(code)
        if region:
            cleaned["region"] = region
        else:
            errors.append(f"région « {raw} » inconnue (nom de l'une des 18 régions, ou son code INSEE)")
    if raw := values.get("site_web", ""):
        website = raw if "://" in raw else f"https://{raw}"
        try:
            _URL(website)
            cleaned["website"] = website
        except ValidationError:
            errors.append(f"site web « {raw} » : ce n'est pas une adresse web valide")
    for model_field, max_length in _MAX_LENGTHS.items():
        if len(cleaned.get(model_field, "")) > max_length:
            length = len(cleaned.pop(model_field))
            errors.append(f"{_FIELD_LABELS[model_field]} : {length} caractères, {max_length} au plus")
    return cleaned


def _column_label(key: str) -> str:
    return {"type": "type", "taille": "taille", "role": "rôle"}[key]


def _match(rows: list[RowPlan], cleaned_rows: list[dict]) -> list[int | None]:
    """For each row, the pk of the organisation it updates (None: a new one, or the row is invalid)."""
    sirens = sorted({cleaned["siren"] for cleaned in cleaned_rows if "siren" in cleaned})
    by_siren: dict[str, tuple[int, str, bool]] = {}
    for start in range(0, len(sirens), BATCH):
        found = Organisation.objects.filter(siren__in=sirens[start : start + BATCH])
        for pk, known_siren, name, is_synthetic in found.values_list("pk", "siren", "name", "is_synthetic"):
            by_siren[known_siren] = (pk, name, is_synthetic)
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, siren in Organisation.objects.real().values_list("pk", "name", "siren").iterator(chunk_size=2000):
        by_name[normalize(name)].append((pk, siren))

    targets: list[int | None] = []
    for row, cleaned in zip(rows, cleaned_rows, strict=True):
        target = None
        siren, name = cleaned.get("siren"), cleaned.get("name")
        if siren and siren in by_siren:
            pk, known_name, is_synthetic = by_siren[siren]
            if is_synthetic:
                row.errors.append(
                    f"ce SIREN est déjà celui d'une organisation synthétique (seed_demo) : « {known_name} »"
                )
            else:
                target = pk
        elif name:
            homonyms = by_name.get(normalize(name), [])
            candidates = [pk for pk, known_siren in homonyms if not siren or not known_siren]
            if siren and homonyms and not candidates:
                row.notes.append("une organisation de même nom a un autre SIREN : une nouvelle organisation sera créée")
            if len(candidates) == 1:
                target = candidates[0]
            elif len(candidates) > 1:
                row.errors.append(
                    f"{len(candidates)} organisations portent déjà ce nom : indiquez le SIREN pour choisir la bonne"
                )
        targets.append(target)
    return targets


def _flag_duplicates(rows: list[RowPlan], cleaned_rows: list[dict], targets: list[int | None]) -> None:
    """A row that names the same organisation as an earlier row is a duplicate of it."""
    by_siren: dict[str, int] = {}
    by_name: dict[str, int] = {}  # every row
    by_name_without_siren: dict[str, int] = {}
    by_target: dict[int, int] = {}
    for row, cleaned, target in zip(rows, cleaned_rows, targets, strict=True):
        siren, name = cleaned.get("siren"), normalize(cleaned.get("name", ""))
        reason = None
        if siren and siren in by_siren:
            reason = f"doublon de la ligne {by_siren[siren]} (même SIREN)"
        elif name and not siren and name in by_name:
            reason = f"doublon de la ligne {by_name[name]} (même nom)"
        elif name and siren and name in by_name_without_siren:
            reason = f"doublon de la ligne {by_name_without_siren[name]} (même nom, sans SIREN)"
        elif target and target in by_target:
            reason = f"doublon de la ligne {by_target[target]} (même organisation)"
        if reason:
            row.errors.append(reason)
        if siren:
            by_siren.setdefault(siren, row.line)
        if name:
            by_name.setdefault(name, row.line)
            if not siren:
                by_name_without_siren.setdefault(name, row.line)
        if target:
            by_target.setdefault(target, row.line)


def _choice_labels() -> dict[str, dict[str, str]]:
    """The choices' labels, translated once per plan (get_FOO_display() costs a translation lookup per call)."""
    return {
        "kind": {value: str(label) for value, label in Organisation.Kind.choices},
        "size_class": {value: str(label) for value, label in Organisation.SizeClass.choices},
        "status": {value: str(label) for value, label in PublicationStatus.choices},
        "role": {value: str(label) for value, label in Membership.Role.choices},
    }


def _display(organisation: Organisation, model_field: str, labels: dict) -> str:
    value = getattr(organisation, model_field)
    if model_field == "region":
        return value.name if value else ""
    if model_field in labels:
        return labels[model_field].get(value, value)
    return value


def _differs(organisation: Organisation, model_field: str, value) -> bool:
    """Names and cities that differ only by case, accents or punctuation are the same: an all-caps export must not
    overwrite "Société Générale" with "SOCIETE GENERALE"."""
    current = getattr(organisation, model_field)
    if model_field in _SPELLING_INSENSITIVE:
        return normalize(current) != normalize(value)
    return current != value


def _plan_organisation(row: RowPlan, cleaned: dict, existing: Organisation | None, publish: bool, labels: dict) -> None:
    if existing is None:
        status = PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT
        organisation = Organisation(status=status, kind=Organisation.Kind.COMPANY)
        fields = [name for name in ORGANISATION_FIELDS if name in cleaned or name == "kind"] + ["status"]
    else:
        organisation = existing
        fields = [name for name in ORGANISATION_FIELDS if name in cleaned and _differs(existing, name, cleaned[name])]
        visible_from = organisation.visible_from
        if visible_from is None or visible_from > timezone.now():
            state = getattr(organisation, "publication_state", labels["status"][organisation.status])
            row.notes.append(f"organisation non visible sur le site public ({state}) : l'import n'y change rien")
    old = {name: _display(organisation, name, labels) for name in fields} if existing else {}
    previous = {name: getattr(organisation, name) for name in fields}
    for name in fields:
        if name in cleaned:
            setattr(organisation, name, cleaned[name])
    try:
        organisation.clean()  # the rules between fields (a size is for companies only)
    except ValidationError as error:
        for model_field, messages in error.message_dict.items():
            label = _FIELD_LABELS.get(model_field)
            row.errors.extend(f"{label} : {message}" if label else message for message in messages)
        for name, value in previous.items():
            setattr(organisation, name, value)  # the plan leaves no half-changed object behind
        return
    row.organisation = organisation
    row.creates_organisation = existing is None
    row.organisation_fields = fields if existing else []
    row.changes = [
        Change(_FIELD_LABELS[name], old.get(name, ""), _display(organisation, name, labels)) for name in fields
    ]


def _plan_membership(
    row: RowPlan,
    cleaned: dict,
    membership: Membership | None,
    pole: Pole,
    year: int,
    source: Source | None,
    labels: dict,
) -> None:
    role = cleaned.get("role")
    if membership is None:
        membership = Membership(
            pole=pole, organisation=row.organisation, role=role or Membership.Role.MEMBER, since_year=year,
            source=source,
        )
        row.membership, row.creates_membership = membership, True
        detail = f"{labels['role'][membership.role]}, depuis {year}"
        row.membership_changes = [Change("adhésion au pôle", "", f"créée ({detail})")]
        return
    changes: dict[str, tuple[str, object, object]] = {}
    if membership.since_year is not None and membership.since_year > year:
        changes["since_year"] = ("membre depuis", membership.since_year, year)
    if membership.until_year is not None and membership.until_year < year:
        changes["until_year"] = ("jusqu'en", membership.until_year, year)
    if role and role != membership.role:
        changes["role"] = ("rôle", labels["role"][membership.role], labels["role"][role])
    if source is not None and membership.source_id is None:
        changes["source"] = ("source de l'adhésion", "", source.reference)
    row.membership_changes = [Change(label, str(old), str(new)) for label, old, new in changes.values()]
    row.membership_fields = list(changes)
    if changes:
        membership.since_year = min(year, membership.since_year) if "since_year" in changes else membership.since_year
        membership.until_year = year if "until_year" in changes else membership.until_year
        membership.role = role if "role" in changes else membership.role
        if "source" in changes:
            membership.source = source
    row.membership = membership


# --- Writing -----------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    organisations_created: int
    organisations_updated: int
    memberships_created: int
    memberships_updated: int

    def __str__(self) -> str:
        return (
            f"{self.organisations_created} organisation(s) créée(s), {self.organisations_updated} modifiée(s) ; "
            f"{self.memberships_created} adhésion(s) créée(s), {self.memberships_updated} modifiée(s)"
        )


@transaction.atomic
def apply_plan(plan: ImportPlan, *, user=None) -> ImportResult:
    """Write a valid plan, all or nothing. Bulk writes send no signals: what they would do is done here
    (stored search text, history versions by `user`, archive search index, content version)."""
    from events.indexing import reindex_events
    from events.models import Session
    from poles import versioning

    if not plan.is_valid:
        raise ValueError("an import plan with invalid rows cannot be applied")
    now = timezone.now()
    if plan.source is not None and plan.source.pk is None:
        plan.source.save()
    created = [row.organisation for row in plan.by_action(CREATE)]
    updated_rows = [row for row in plan.rows if row.organisation_fields]
    _assign_slugs(created)
    for organisation in created:
        organisation.search_text = organisation.build_search_text()  # what Organisation.save() does
    Organisation.objects.bulk_create(created, batch_size=BATCH)
    if updated_rows:
        fields = sorted({name for row in updated_rows for name in row.organisation_fields})
        for row in updated_rows:
            row.organisation.search_text = row.organisation.build_search_text()
            row.organisation.updated_at = now  # auto_now is not applied by bulk_update
        Organisation.objects.bulk_update(
            [row.organisation for row in updated_rows], [*fields, "search_text", "updated_at"], batch_size=BATCH
        )

    new_memberships = [row.membership for row in plan.rows if row.creates_membership]
    changed_memberships = [row for row in plan.rows if row.membership_fields]
    for membership in new_memberships + [row.membership for row in changed_memberships]:
        # Assigned before they had a primary key: assigning again copies it into organisation_id / source_id.
        membership.organisation = membership.organisation
        membership.source = membership.source
    Membership.objects.bulk_create(new_memberships, batch_size=BATCH)
    if changed_memberships:
        fields = sorted({name for row in changed_memberships for name in row.membership_fields})
        Membership.objects.bulk_update([row.membership for row in changed_memberships], fields, batch_size=BATCH)
    _record_versions(plan, created, updated_rows, new_memberships, changed_memberships, user)

    # The archive search index shows organisations' names (events.signals.organisation_saved does this per save).
    renamed = [row.organisation.pk for row in updated_rows if {"name", "short_name"} & set(row.organisation_fields)]
    if renamed:
        event_ids = set(
            Session.objects.filter(Q(organisations__in=renamed) | Q(appearances__organisation__in=renamed))
            .values_list("event_id", flat=True)
        )
        if event_ids:
            transaction.on_commit(lambda: reindex_events(event_ids))
    transaction.on_commit(versioning.bump)  # cached results must not outlive the import
    return ImportResult(
        organisations_created=len(created),
        organisations_updated=len(updated_rows),
        memberships_created=len(new_memberships),
        memberships_updated=len(changed_memberships),
    )


def _record_versions(plan, created, updated_rows, new_memberships, changed_memberships, user) -> None:
    """One history version per object created or changed, as a save in the admin writes (poles.history)."""
    from simple_history.utils import get_history_manager_for_model

    from poles.history import is_tracked, record_version

    reason = f"Import de la liste des membres {plan.year} de « {plan.pole.name} »"
    # A version made in bulk has no many-to-many values: complete for organisations without sources (all new ones,
    # and in practice those created by earlier imports); the others get theirs one by one, sources included.
    updated = [row.organisation for row in updated_rows]
    with_sources = set()
    through = Organisation.sources.through
    for start in range(0, len(updated), BATCH):
        chunk = [organisation.pk for organisation in updated[start : start + BATCH]]
        with_sources.update(through.objects.filter(organisation_id__in=chunk).values_list("organisation_id", flat=True))
    in_bulk = [
        (Organisation, created, False),
        (Organisation, [organisation for organisation in updated if organisation.pk not in with_sources], True),
        (Membership, new_memberships, False),
        (Membership, [row.membership for row in changed_memberships], True),
    ]
    for model, objects, update in in_bulk:
        if objects and is_tracked(model):
            get_history_manager_for_model(model).bulk_history_create(
                objects, batch_size=BATCH, update=update, default_user=user, default_change_reason=reason
            )
    if is_tracked(Organisation):
        for organisation in updated:
            if organisation.pk in with_sources:
                record_version(organisation, "~", reason=reason, user=user)


def _assign_slugs(organisations: list[Organisation]) -> None:
    max_length = Organisation._meta.get_field("slug").max_length
    bases = [slugify(o.name)[: max_length - 8].strip("-") or "organisation" for o in organisations]
    taken = set(Organisation.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    repeated = {base for base, count in Counter(bases).items() if count > 1}
    # "acme-2" may already exist even when "acme" does not.
    for base in taken | repeated:
        taken.update(Organisation.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
    for organisation, base in zip(organisations, bases, strict=True):
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        organisation.slug = slug
        taken.add(slug)
