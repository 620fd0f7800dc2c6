"""The public never sees a draft, a scheduled, an archived or a deleted item: not in lists, counts, search, feeds,
exports, sitemaps, nor on the pages of related items, nor at its own address (404)."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
import time_machine
from django.utils import timezone

from events.models import Appearance, Event, Person, SearchEntry, Session
from poles.content import ALWAYS_VISIBLE, PublicationStatus
from poles.models import Pole, PoleLabel
from policy.models import Phase
from tests.events.test_archive_search import events_of, hits
from tests.factories import make_appearance, make_event, make_membership, make_organisation, make_person, make_pole
from tests.listing_checks import facet_options, listed_count
from tests.policy.factories import make_decision, make_key_figure, make_report

pytestmark = pytest.mark.django_db

TOKEN = "Zephyrin"  # in the name of every hidden item
OWN_WORD = "ocelot"  # only in the hidden event's and session's own texts (what the archive search indexes of them)
STATES = ["draft", "scheduled", "archived", "deleted"]


def hide(item, state: str):
    if state == "deleted":
        item.deleted_at = timezone.now()
    elif state == "scheduled":
        item.status, item.publish_at = PublicationStatus.PUBLISHED, timezone.now() + datetime.timedelta(days=1)
    else:
        item.status = state
    item.save()
    return item


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


# The model: one rule, three ways to read it


def test_visible_from_is_public_and_published_agree_in_every_state():
    now = timezone.now()
    person = make_person()
    moments = [None, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)]
    for status, publish_at, deleted_at in itertools.product(PublicationStatus.values, moments, [None, now]):
        Person.objects.filter(pk=person.pk).update(status=status, publish_at=publish_at, deleted_at=deleted_at)
        person.refresh_from_db()
        listed = Person.objects.published().filter(pk=person.pk).exists()
        state = (status, publish_at, deleted_at)
        assert person.is_public == listed, state
        assert (person.visible_from is not None and person.visible_from <= now) == listed, state
        if deleted_at is not None or status != PublicationStatus.PUBLISHED:
            assert person.visible_from is None, state
        else:
            assert person.visible_from == (publish_at or ALWAYS_VISIBLE), state


def test_a_deleted_event_and_session_leave_the_search_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=2)
    session = event.sessions.first()
    with django_capture_on_commit_callbacks(execute=True):
        session.soft_delete()
    assert SearchEntry.objects.get(session=session).visible_from is None
    assert SearchEntry.objects.visible().filter(event=event).count() == 2  # the event's own entry and the other session
    with django_capture_on_commit_callbacks(execute=True):
        event.soft_delete()
    assert not SearchEntry.objects.visible().filter(event=event).exists()


# Every public surface, with hidden items linked to public ones


@pytest.fixture(params=STATES)
def hidden(request, django_capture_on_commit_callbacks):
    """Public items, and one hidden item of every kind linked to them, hidden in the state of the parameter."""
    state = request.param
    phase = Phase.objects.get(number=4)
    with django_capture_on_commit_callbacks(execute=True):  # the search index follows edits at commit time
        public = {
            "pole": make_pole(name="Pôle public d'essai"),
            "organisation": make_organisation(name="Organisation publique d'essai"),
            "event": make_event(sessions=1, title="Rencontre publique d'essai"),
            "person": make_person(name="Personne Publique"),
        }
        public["session"] = public["event"].sessions.get()
        make_membership(public["pole"], public["organisation"])
        make_appearance(public["session"], public["person"])
        PoleLabel.objects.create(pole=public["pole"], phase=phase)

        pole = make_pole(name=f"Pôle {TOKEN}")
        make_membership(pole, public["organisation"])
        public["session"].poles.add(pole)
        PoleLabel.objects.create(pole=pole, phase=phase)
        merged = make_pole(name="Pôle fusionné d'essai", fate=Pole.Fate.MERGED, successor=pole)

        organisation = make_organisation(name=f"Organisation {TOKEN}")
        make_membership(public["pole"], organisation)
        public["session"].organisations.add(organisation)
        Appearance.objects.create(session=public["session"], person=public["person"], role="moderator", organisation=organisation)

        event = make_event(sessions=1, title=f"Journée {TOKEN} {OWN_WORD}", series=Event.Series.NATIONAL_MEETING)
        make_appearance(event.sessions.get(), public["person"])
        event.sessions.get().poles.add(public["pole"])
        session = Session.objects.create(
            event=public["event"], order=2, anchor="sequence-cachee", kind=Session.Kind.SPEECH,
            title=f"Séquence {TOKEN} {OWN_WORD}",
        )
        make_appearance(session, public["person"])
        session.poles.add(public["pole"])
        session.organisations.add(public["organisation"])

        person = make_person(name=f"Personne {TOKEN}")
        make_appearance(public["session"], person)

        hidden_phase = Phase.objects.create(
            number=9, name=f"Phase {TOKEN}", slug="phase-9", start_year=2031, end_year=2034, summary="Phase d'essai."
        )
        PoleLabel.objects.create(pole=public["pole"], phase=hidden_phase)
        report = make_report(title=f"Rapport {TOKEN}", phase=phase)
        decision = make_decision(title=f"Décision {TOKEN}", date=datetime.date(2026, 1, 1))
        figure = make_key_figure(label=f"Chiffre {TOKEN}")
        report_in_hidden_phase = make_report(title="Rapport public d'essai", phase=hidden_phase)

        items = {
            "pole": pole, "organisation": organisation, "event": event, "session": session, "person": person,
            "phase": hidden_phase, "report": report, "decision": decision, "figure": figure,
        }
        for item in items.values():
            hide(item, state)
    return {"state": state, "public": public, "merged": merged, "report_in_hidden_phase": report_in_hidden_phase, **items}


def public_pages(hidden) -> list[str]:
    public = hidden["public"]
    return [
        "/",
        "/poles/",
        "/poles/?phase=4",
        f"/poles/?region={Pole.objects.get(pk=public['pole'].pk).regions.get().slug}",
        "/membres/",
        f"/membres/?q={public['organisation'].name}",
        "/evenements/",
        "/evenements/?q=essai",  # the archive search, facets included
        "/politique/",
        "/politique/phase-4/",
        "/politique/chiffres-cles/",
        "/politique/comparer/?de=3&a=4",
        "/plan-du-site/",
        "/sitemap.xml",
        "/poles/export.csv",
        "/membres/export.csv",
        "/evenements/export.csv",
        "/evenements/calendrier.ics",
        public["pole"].get_absolute_url(),
        hidden["merged"].get_absolute_url(),
        public["organisation"].get_absolute_url(),
        public["event"].get_absolute_url(),
        public["person"].get_absolute_url(),
        hidden["report_in_hidden_phase"].get_absolute_url(),
    ]


def test_no_public_page_names_a_hidden_item(client, hidden):
    leaks = []
    for url in public_pages(hidden):
        response = client.get(url)
        assert response.status_code == 200, url
        if TOKEN in body(response):
            leaks.append(url)
    assert leaks == []


def test_hidden_items_are_not_found_at_their_own_address(client, hidden):
    items = [hidden[name] for name in ("pole", "organisation", "event", "person", "phase", "report")]
    for item in items:
        assert client.get(item.get_absolute_url()).status_code == 404, item
    assert client.get(f"/evenements/{hidden['event'].slug}.ics").status_code == 404
    # The hidden session's anchor is not on its event's page.
    assert 'id="sequence-cachee"' not in client.get(hidden["public"]["event"].get_absolute_url()).content.decode()


def test_the_archive_search_finds_no_hidden_event_or_session(client, hidden):
    assert hits(client, q=OWN_WORD) == []
    for fmt in ("csv", "json", "atom"):
        assert OWN_WORD not in body(client.get(f"/evenements/recherche.{fmt}", {"q": OWN_WORD})).lower().replace(
            f"?q={OWN_WORD}", ""
        ).replace(f"« {OWN_WORD} »", "").replace(f'"query": "{OWN_WORD}"', "")


def test_search_snippets_name_no_hidden_item(client, hidden):
    assert TOKEN not in body(client.get("/evenements/", {"q": "Rencontre publique"}))
    assert hidden["public"]["event"].slug not in events_of(hits(client, q=TOKEN))


def counts(client, region: str) -> dict:
    poles = client.get("/poles/").content.decode()
    members = client.get("/membres/").content.decode()
    events = client.get("/evenements/").content.decode()
    return {
        "poles": listed_count(client, "/poles/", {}),
        "poles in region": listed_count(client, "/poles/", {"region": region}),
        "region facet": facet_options(poles, "region"),
        "phase facet": facet_options(poles, "phase"),
        "members": listed_count(client, "/membres/", {}),
        "pole facet of members": facet_options(members, "pole"),
        "events": listed_count(client, "/evenements/", {}),
        "pole facet of events": facet_options(events, "pole"),
        "home": re.findall(r"\d+ pôles", client.get("/").content.decode()),
    }


def counts_with_and_without(client, hidden, django_capture_on_commit_callbacks) -> tuple[dict, dict]:
    """The counts of the lists with the hidden items, and once they are gone for good."""
    region = Pole.objects.get(pk=hidden["public"]["pole"].pk).regions.get().slug
    with_hidden = counts(client, region)
    with django_capture_on_commit_callbacks(execute=True):
        PoleLabel.objects.filter(phase=hidden["phase"]).delete()
        for name in ("pole", "organisation", "event", "session", "person", "phase", "report", "decision", "figure"):
            hidden[name].delete()
    return with_hidden, counts(client, region)


def test_hidden_items_count_in_no_facet_and_no_total(client, hidden, django_capture_on_commit_callbacks):
    with_hidden, without = counts_with_and_without(client, hidden, django_capture_on_commit_callbacks)
    assert with_hidden == without


def test_a_related_pages_counts_leave_hidden_items_out(client, hidden):
    public_pole = Pole.objects.get(pk=hidden["public"]["pole"].pk)
    assert public_pole.member_breakdown()["total"] == 1  # the public organisation only
    html = client.get(public_pole.get_absolute_url()).content.decode()
    assert "Organisation publique d&#x27;essai" in html
    member = client.get(hidden["public"]["organisation"].get_absolute_url()).content.decode()
    assert "Pôle public d&#x27;essai" in member


# Scheduled: public at its time, with nothing else happening


def test_a_scheduled_item_appears_everywhere_at_its_time(client, django_capture_on_commit_callbacks):
    opening = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(sessions=1, title=f"Journée programmée {OWN_WORD}", status="published", publish_at=opening)
        pole = make_pole(name="Pôle programmé d'essai", status="published", publish_at=opening)
    surfaces = {
        "detail": lambda: client.get(event.get_absolute_url()).status_code == 200,
        "pole detail": lambda: client.get(pole.get_absolute_url()).status_code == 200,
        "list": lambda: event.get_absolute_url() in client.get("/evenements/").content.decode(),
        "pole list": lambda: "Pôle programmé" in client.get("/poles/?q=programme").content.decode(),
        "search": lambda: events_of(hits(client, q=OWN_WORD)) == {event.slug},
        "calendar": lambda: f"UID:{event.slug}@" in body(client.get("/evenements/calendrier.ics")),
        "sitemap": lambda: event.get_absolute_url() in client.get("/sitemap.xml").content.decode(),
    }
    assert {name: check() for name, check in surfaces.items()} == dict.fromkeys(surfaces, False)
    with time_machine.travel(opening + datetime.timedelta(minutes=1)):
        assert {name: check() for name, check in surfaces.items()} == dict.fromkeys(surfaces, True)
