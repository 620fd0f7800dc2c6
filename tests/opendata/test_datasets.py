"""A re-user downloads each dataset, as CSV and as JSON, and reads it with the data dictionary in hand."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from events.models import Appearance, Session
from opendata.datasets import DATASETS
from poles.models import Organisation, Pole
from tests.factories import make_appearance, make_event, make_membership, make_organisation, make_person, make_pole
from tests.opendata.conftest import MARKER, STATES, body, read_csv, read_json

pytestmark = pytest.mark.django_db

SLUGS = ["poles", "regions", "thematiques", "membres", "adhesions", "evenements", "sequences", "interventions",
         "phases", "chiffres-cles"]


@pytest.fixture
def membership():
    """The real fixtures name no membership yet: one, public, with every optional value given."""
    from tests.policy.factories import make_source

    organisation = make_organisation(name="Fonderie témoin", slug="fonderie-temoin", size_class="pme",
                                     siren="552100554", naf_code="24.51Z", city="Besançon")
    return make_membership(make_pole(slug="pole-de-la-fonderie"), organisation, role="founder", since_year=2006,
                           until_year=2019, source=make_source())


@pytest.fixture
def dictionary(client) -> dict:
    return {dataset["slug"]: dataset for dataset in read_json(client.get("/donnees/dictionnaire.json"))["datasets"]}


def test_the_dictionary_lists_every_dataset_with_its_stable_addresses(dictionary):
    assert list(dictionary) == SLUGS
    for slug, dataset in dictionary.items():
        assert dataset["csv"] == f"http://testserver/donnees/{slug}.csv"
        assert dataset["json"] == f"http://testserver/donnees/{slug}.json"
        assert dataset["title"] and dataset["description"] and dataset["last_change"]
        for column in dataset["columns"]:
            assert column["name"] and column["type_label"] and column["description"], (slug, column)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_dataset_parses_with_exactly_the_documented_columns(client, dictionary, membership, slug):
    columns = [column["name"] for column in dictionary[slug]["columns"]]
    csv_response = client.get(f"/donnees/{slug}.csv")
    assert csv_response.streaming
    assert csv_response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    rows = read_csv(csv_response)
    assert rows, slug
    assert list(rows[0]) == columns
    records = read_json(client.get(f"/donnees/{slug}.json"))
    assert [list(record) for record in records] == [columns] * len(records)
    # The same rows, in the same order, in both files.
    assert len(records) == len(rows)
    key = columns[0]
    assert [str(record[key]) for record in records] == [row[key] for row in rows]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_value_has_its_documented_type(client, dictionary, membership, slug):
    python_types = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list}
    records = read_json(client.get(f"/donnees/{slug}.json"))
    for column in dictionary[slug]["columns"]:
        schema = column["type"]
        codes = {value["code"] for value in column["values"]}
        for record in records:
            value = record[column["name"]]
            if value is None:
                assert column["nullable"], (slug, column["name"])
                continue
            assert isinstance(value, python_types[schema["type"]]), (slug, column["name"], value)
            if schema.get("format") == "date":
                datetime.date.fromisoformat(value)
            if schema.get("format") == "date-time":
                assert value.endswith("Z") and datetime.datetime.fromisoformat(value)
            if schema.get("format") == "uri":
                assert value.startswith(("http://", "https://")), value
            if codes:
                assert value in codes, (slug, column["name"], value)


def test_lists_numbers_booleans_and_absent_values_read_as_documented(client):
    pole = make_pole(name="Pôle aux listes", slug="pole-aux-listes", specialities="Drones ; Satellites",
                     founded_year=2005, category_2007="national", category_2007_inferred=True)
    record = next(r for r in read_json(client.get("/donnees/poles.json")) if r["slug"] == pole.slug)
    row = next(r for r in read_csv(client.get("/donnees/poles.csv")) if r["slug"] == pole.slug)
    assert record["specialities"] == ["Drones", "Satellites"] and row["specialities"] == "Drones|Satellites"
    assert record["regions"] == [pole.regions.get().slug] and row["regions"] == pole.regions.get().slug
    assert record["founded_year"] == 2005 and row["founded_year"] == "2005"
    assert record["category_2007_inferred"] is True and row["category_2007_inferred"] == "true"
    assert record["short_name"] is None and row["short_name"] == ""
    assert record["member_count"] == 0 and record["url"] == "http://testserver/poles/pole-aux-listes/"
    figure = next(r for r in read_json(client.get("/donnees/chiffres-cles.json")) if r["slug"] == "entreprises-2014")
    assert figure["value"] == 7547 and figure["unit"] == "count" and figure["sources"]


def test_datasets_link_to_each_other_by_identifier(client, hidden):
    pole, session = hidden["pole"], hidden["session"]
    organisation = make_organisation(name="Membre témoin", slug="membre-temoin", region=pole.regions.get())
    make_membership(pole, organisation, since_year=2012)
    region_slugs = {r["slug"] for r in read_json(client.get("/donnees/regions.json"))}
    memberships = read_json(client.get("/donnees/adhesions.json"))
    assert {"pole": pole.slug, "organisation": "membre-temoin", "role": "member", "since_year": 2012,
            "until_year": None, "source": None} in memberships
    member = next(r for r in read_json(client.get("/donnees/membres.json")) if r["slug"] == "membre-temoin")
    assert member["region"] in region_slugs and member["pole_count"] == 1
    sessions = read_json(client.get("/donnees/sequences.json"))
    mine = next(r for r in sessions if r["event"] == session.event.slug and r["anchor"] == session.anchor)
    assert mine["url"] == f"http://testserver/evenements/{session.event.slug}/#{session.anchor}"
    appearances = [r for r in read_json(client.get("/donnees/interventions.json")) if r["event"] == session.event.slug]
    assert {r["session"] for r in appearances} == {session.anchor}


def test_nothing_the_public_may_not_see_is_in_any_file(client, hidden):
    pole, event = hidden["pole"], hidden["event"]
    for slug in SLUGS:
        for extension in ("csv", "json"):
            assert MARKER not in body(client.get(f"/donnees/{slug}.{extension}")), (slug, extension)
    record = next(r for r in read_json(client.get("/donnees/poles.json")) if r["slug"] == pole.slug)
    # Its hidden members are not counted, its hidden successor and phases are not named.
    assert record["member_count"] == 0 and record["successor"] is None
    assert not {90, 91, 92, 93} & set(record["phases"])
    event_record = next(r for r in read_json(client.get("/donnees/evenements.json")) if r["slug"] == event.slug)
    assert event_record["session_count"] == 1
    speakers = [r for r in read_json(client.get("/donnees/interventions.json")) if r["event"] == event.slug]
    assert {r["person"] for r in speakers} == {"personne-temoin-donnees", *(f"personne-au-titre-{s}" for s in STATES)}
    assert {r["organisation"] for r in speakers} == {None}  # their organisation is not public
    public_member = next(r for r in read_json(client.get("/donnees/membres.json"))
                         if r["slug"] == "membre-d-un-pole-non-public-draft")
    assert public_member["pole_count"] == 0


def test_a_scheduled_row_appears_once_its_time_has_come(client):
    import time_machine

    opening = timezone.now() + datetime.timedelta(hours=5)
    make_pole(slug="pole-a-venir", publish_at=opening)
    assert "pole-a-venir" not in body(client.get("/donnees/poles.csv"))
    with time_machine.travel(opening + datetime.timedelta(minutes=1)):
        assert "pole-a-venir" in body(client.get("/donnees/poles.csv"))


def test_a_download_costs_the_same_few_queries_whatever_the_number_of_rows(client, django_assert_max_num_queries):
    def download_all() -> dict:
        counts = {}
        for slug in SLUGS:
            with django_assert_max_num_queries(4) as queries:
                assert body(client.get(f"/donnees/{slug}.csv")) and body(client.get(f"/donnees/{slug}.json"))
            counts[slug] = len(queries.captured_queries)
        return counts

    before = download_all()
    pole = make_pole()
    for _ in range(20):
        make_membership(make_pole(successor=pole), make_organisation(region=pole.regions.get()))
        make_membership(pole, make_organisation())
    for _ in range(8):
        event = make_event(sessions=3)
        for session in event.sessions.all():
            session.poles.add(pole)
            session.organisations.add(make_organisation())
            make_appearance(session, make_person(), organisation=make_organisation())
    assert download_all() == before


def test_a_dataset_of_thousands_of_members_streams_from_one_query(client, django_assert_max_num_queries):
    pole = make_pole()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Membre {n}", slug=f"membre-de-masse-{n}", kind="company", search_text=f"membre {n}")
        for n in range(3000)
    )
    from poles.models import Membership

    Membership.objects.bulk_create(Membership(pole=pole, organisation=organisation) for organisation in organisations)
    response = client.get("/donnees/adhesions.json")
    assert response.streaming
    with django_assert_max_num_queries(2):  # the rows, and the date of the last change for Last-Modified
        records = read_json(client.get("/donnees/membres.json"))
    assert sum(1 for r in records if r["slug"].startswith("membre-de-masse-")) == 3000
    assert sum(1 for r in read_json(response) if r["pole"] == pole.slug) == 3000


def test_downloads_carry_an_etag_and_their_last_change(client):
    first = client.get("/donnees/poles.csv")
    body(first)
    assert first["Cache-Control"] == "no-cache"
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Last-Modified"].endswith("GMT")
    again = client.get("/donnees/poles.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Pole.objects.get(slug="cara").save()
    changed = client.get("/donnees/poles.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_unknown_dataset_is_a_404_and_only_reads_are_answered(client):
    assert client.get("/donnees/inconnu.csv").status_code == 404
    assert client.get("/donnees/inconnu.json").status_code == 404
    assert client.post("/donnees/poles.csv").status_code in {403, 405}
    assert client.head("/donnees/poles.json").status_code == 200


def test_each_dataset_definition_reads_every_column_it_documents():
    for dataset in DATASETS.values():
        assert len(set(dataset.column_names)) == len(dataset.columns), dataset.slug
        assert dataset.json_schema()["required"] == dataset.column_names


def test_appearances_keep_the_position_held_at_the_time(client):
    appearance = Appearance.objects.filter(position__gt="").select_related("person", "session__event").first()
    records = read_json(client.get("/donnees/interventions.json"))
    assert {"event": appearance.session.event.slug, "session": appearance.session.anchor,
            "person": appearance.person.slug, "position": appearance.position} in [
        {key: r[key] for key in ("event", "session", "person", "position")} for r in records
    ]
    assert Session.objects.published().count() >= len({(r["event"], r["session"]) for r in records})
