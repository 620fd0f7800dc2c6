import pytest
from django.core.exceptions import ValidationError

from poles.validators import validate_naf_code, validate_siren


@pytest.mark.parametrize("siren", ["732829320", "552100554", "130025265"])
def test_it_accepts_sirens_whose_luhn_key_matches(siren):
    validate_siren(siren)


@pytest.mark.parametrize("siren", ["732829321", "12345678", "abcdefghi", "1234567890"])
def test_it_rejects_sirens_with_a_bad_key_or_format(siren):
    with pytest.raises(ValidationError):
        validate_siren(siren)


def test_naf_codes_are_checked_against_the_nomenclature():
    validate_naf_code("62.01Z")
    with pytest.raises(ValidationError):
        validate_naf_code("99.99Z")
