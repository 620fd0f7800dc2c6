"""The content version that keeps cached results fresh moves with every kind of change."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from poles import versioning
from poles.models import Pole, Theme

pytestmark = pytest.mark.django_db


def test_it_stays_put_while_nothing_changes():
    assert versioning.current() == versioning.current()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda pole: pole.save(), id="save"),
        pytest.param(lambda pole: pole.themes.add(Theme.objects.exclude(poles=pole).first()), id="many-to-many"),
        pytest.param(lambda pole: pole.former_names.all().delete(), id="delete"),
    ],
)
def test_it_moves_with_every_edit(change):
    pole = Pole.objects.filter(former_names__isnull=False).first()
    before = versioning.current()
    change(pole)
    assert versioning.current() != before


def test_it_moves_at_commit_too(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Pole.objects.first().save()
        during = versioning.current()
    assert versioning.current() != during


def test_bulk_loads_move_it():
    before = versioning.current()
    call_command("load_real_data", verbosity=0)
    assert versioning.current() != before


def test_a_version_stored_by_an_older_release_or_lost_is_replaced_not_an_error():
    from django.core.cache import cache

    before = versioning.current()
    cache.set(versioning.KEY, "a-token-without-its-expiry", None)  # how the previous release stored it
    replaced = versioning.current()
    assert replaced != before and "a-token-without-its-expiry" not in replaced
    assert versioning.current() == replaced
    cache.delete(versioning.KEY)
    assert versioning.current() not in {before, replaced}
