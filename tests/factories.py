"""Plain factories for tests that need rows of their own on top of the real fixtures."""

from __future__ import annotations

import datetime
import itertools

from events.models import Appearance, Event, Person, Session
from poles.models import Membership, Organisation, Pole, Region, Theme

_counter = itertools.count(1)


def make_pole(**fields) -> Pole:
    n = next(_counter)
    regions = fields.pop("regions", None) or [Region.objects.order_by("pk").first()]
    themes = fields.pop("themes", None) or [Theme.objects.order_by("pk").first()]
    pole = Pole.objects.create(**{"name": f"Pôle d'essai {n}", "slug": f"pole-essai-{n}", **fields})
    pole.regions.set(regions)
    pole.themes.set(themes)
    return pole


def make_organisation(**fields) -> Organisation:
    n = next(_counter)
    defaults = {"name": f"Organisation d'essai {n}", "slug": f"organisation-essai-{n}", "kind": Organisation.Kind.COMPANY}
    return Organisation.objects.create(**{**defaults, **fields})


def make_membership(pole: Pole, organisation: Organisation, **fields) -> Membership:
    return Membership.objects.create(pole=pole, organisation=organisation, **fields)


def make_person(**fields) -> Person:
    n = next(_counter)
    return Person.objects.create(**{"name": f"Personne Essai{n}", "sort_name": f"Essai{n}, Personne", "slug": f"personne-essai-{n}", **fields})


def make_event(sessions: int = 1, **fields) -> Event:
    n = next(_counter)
    defaults = {
        "title": f"Événement d'essai {n}",
        "slug": f"evenement-essai-{n}",
        "kind": Event.Kind.WORKSHOP,
        "date": datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
    }
    event = Event.objects.create(**{**defaults, **fields})
    for order in range(1, sessions + 1):
        Session.objects.create(event=event, order=order, anchor=f"sequence-{order}", kind=Session.Kind.SPEECH, title=f"Séquence {order}")
    return event


def make_appearance(session: Session, person: Person, **fields) -> Appearance:
    return Appearance.objects.create(session=session, person=person, **fields)


STAFF_PASSWORD = "Un mot de passe de test assez long"


def make_staff(role: str, username: str | None = None, password: str = STAFF_PASSWORD):
    """A staff account in one of the groups of poles.roles (rédacteur, éditeur, administrateur); never a superuser."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"{role}-{next(_counter)}", password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def staff_client(role: str):
    """A test client logged in as a new staff account of that role; the account is `client.user`."""
    from django.test import Client

    client = Client()
    client.user = make_staff(role)
    client.force_login(client.user)
    return client
