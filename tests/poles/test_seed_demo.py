import pytest
from django.core.management import CommandError, call_command

from events.models import Appearance, Event, Person, Session
from poles.models import Membership, Organisation, Pole

pytestmark = pytest.mark.django_db


def _real_counts():
    return {model.__name__: model.objects.filter(is_synthetic=False).count() for model in (Pole, Organisation, Event, Person)}


def test_it_adds_marked_synthetic_rows_and_clear_removes_only_them(client):
    real = _real_counts()
    real_sessions = Session.objects.real().count()
    call_command("seed_demo", members=400, events=12, verbosity=0)

    assert Organisation.objects.synthetic().count() == 400
    assert Event.objects.synthetic().count() == 12
    assert Session.objects.synthetic().count() == 120
    assert Membership.objects.filter(is_synthetic=True).count() >= 400
    assert Appearance.objects.filter(is_synthetic=True).exists()
    assert _real_counts() == real
    # Synthetic rows never hang off real ones.
    assert not Membership.objects.filter(is_synthetic=True, pole__is_synthetic=False).exists()
    assert not Session.objects.synthetic().filter(poles__is_synthetic=False).exists()

    html = client.get("/poles/").content.decode()
    assert "Données de démonstration" in html

    call_command("seed_demo", clear=True, verbosity=0)
    assert not Organisation.objects.synthetic().exists()
    assert not Event.objects.synthetic().exists()
    assert Session.objects.real().count() == real_sessions
    assert _real_counts() == real
    assert "Données de démonstration" not in client.get("/poles/").content.decode()


def test_it_refuses_to_run_twice_without_clearing():
    call_command("seed_demo", members=10, events=1, verbosity=0)
    with pytest.raises(CommandError, match="--clear"):
        call_command("seed_demo", members=10, events=1, verbosity=0)


def test_synthetic_texts_use_the_real_vocabulary_but_never_a_real_name(client):
    from events.models import SearchEntry

    call_command("seed_demo", members=50, events=40, verbosity=0)
    synthetic = " ".join(SearchEntry.objects.filter(is_synthetic=True).values_list("body", flat=True))
    assert "pôles" in synthetic and "innovation" in synthetic  # words as frequent as in the real texts
    for name in ("Pellerin", "Orpheme", "Eurobiomed", "Montebourg"):
        assert name not in synthetic
    response = client.get("/evenements/", {"q": "Pellerin"})
    assert "Journée démo" not in response.content.decode()
