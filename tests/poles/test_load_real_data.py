import json

import pytest
from django.core.management import CommandError, call_command

from events.models import Appearance, Event, Person, Session
from poles.models import Pole, PoleLabel, PoleName, Region
from policy.models import KeyFigure, Phase, Recommendation, Report

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    models = [Pole, PoleName, PoleLabel, Region, Phase, Report, Recommendation, KeyFigure, Event, Session, Person, Appearance]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_the_real_data_is_all_there():
    assert Pole.objects.real().count() == 91
    assert Region.objects.count() == 18
    assert Region.objects.get(slug="provence-alpes-cote-dazur").insee_code == "93"
    assert list(Phase.objects.values_list("number", "start_year", "end_year")) == [
        (1, 2005, 2008), (2, 2009, 2012), (3, 2013, 2018), (4, 2019, 2022), (5, 2023, 2026)
    ]
    assert Recommendation.objects.filter(report__slug="avis-cese-2017").count() == 12
    assert KeyFigure.objects.filter(year=2014, value=7547).exists()
    assert Event.objects.filter(date="2014-01-24").exists()
    assert Pole.objects.filter(sources__isnull=True).count() == 0


def test_loading_twice_changes_nothing(capsys):
    before = _snapshot()
    call_command("load_real_data")
    assert _snapshot() == before
    assert "0 créés, 0 mis à jour" in capsys.readouterr().out


def test_an_invalid_fixture_stops_the_load_with_a_clear_message_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([
        {"model": "poles.region", "fields": {"name": "Région valide", "slug": "region-valide", "insee_code": "98", "kind": "overseas"}},
        {"model": "poles.region", "fields": {"name": "Mauvaise", "slug": "mauvaise", "insee_code": "999", "kind": "overseas"}},
    ]))
    with pytest.raises(CommandError, match=r"bad.json.*mauvaise.*insee_code"):
        call_command("load_real_data", str(bad))
    assert not Region.objects.filter(slug="region-valide").exists()


def test_a_reference_to_a_missing_row_is_reported(tmp_path):
    bad = tmp_path / "dangling.json"
    bad.write_text(json.dumps([
        {"model": "poles.polelabel", "fields": {"pole": ["pole-qui-n-existe-pas"], "phase": [1]}},
    ]))
    with pytest.raises(CommandError, match="dangling.json"):
        call_command("load_real_data", str(bad))
