"""What the open-data tests share: rows the public must never see, each linked to public rows that would show it."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from events.models import Session
from policy.models import Phase
from tests.factories import make_appearance, make_event, make_membership, make_organisation, make_person, make_pole
from tests.policy.factories import label, make_key_figure

MARKER = "cachexq"  # in the slug and the name of every hidden row: it must never appear in any file or answer
STATES = ["draft", "scheduled", "archived", "deleted"]


def _hidden_fields(state: str) -> dict:
    if state == "deleted":
        return {"deleted_at": timezone.now()}
    if state == "scheduled":
        return {"publish_at": timezone.now() + datetime.timedelta(days=2)}
    return {"status": state}


@pytest.fixture
def hidden():
    """For each state the public must not see: a pôle, an organisation, an event, a session, a person, a phase and a
    key figure in that state, each one reachable from a public row (a membership of a public pôle, a session of a
    public event, a speaker of a public session, a successor, a label…). Returns the public rows they hang on."""
    pole = make_pole(name="Pôle témoin des données", slug="pole-temoin-donnees")
    event = make_event(sessions=1, title="Événement témoin des données", slug="evenement-temoin-donnees")
    session = event.sessions.get()
    make_appearance(session, make_person(slug="personne-temoin-donnees"))
    for state in STATES:
        fields = _hidden_fields(state)
        hidden_pole = make_pole(name=f"Pôle {MARKER} {state}", slug=f"pole-{MARKER}-{state}", **fields)
        organisation = make_organisation(name=f"Organisation {MARKER} {state}", slug=f"organisation-{MARKER}-{state}",
                                         **fields)
        make_membership(pole, organisation)
        make_membership(hidden_pole, make_organisation(slug=f"membre-d-un-pole-non-public-{state}"))
        session.poles.add(hidden_pole)
        session.organisations.add(organisation)
        make_event(sessions=1, title=f"Événement {MARKER} {state}", slug=f"evenement-{MARKER}-{state}", **fields)
        Session.objects.create(event=event, order=10 + STATES.index(state), anchor=f"sequence-{MARKER}-{state}",
                               kind=Session.Kind.SPEECH, title=f"Séquence {MARKER} {state}", **fields)
        make_appearance(session, make_person(name=f"Personne {MARKER} {state}", slug=f"personne-{MARKER}-{state}",
                                             **fields))
        make_appearance(session, make_person(slug=f"personne-au-titre-{state}"), organisation=organisation)
        make_key_figure(slug=f"chiffre-{MARKER}-{state}", label=f"Chiffre {MARKER} {state}", **fields)
        phase = Phase.objects.create(number=90 + STATES.index(state), name=f"Phase {MARKER} {state}",
                                     slug=f"phase-{MARKER}-{state}", start_year=2040, end_year=2041, summary=MARKER,
                                     **fields)
        label(pole, phase.number)
    pole.successor = make_pole(slug=f"successeur-{MARKER}", status="draft")
    pole.save()
    return {"pole": pole, "event": event, "session": session}


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


def read_json(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(body(response))
