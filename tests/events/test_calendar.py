import datetime

import pytest

from events.calendar import escape_text, fold
from events.models import Event
from tests.factories import make_event

pytestmark = pytest.mark.django_db

THIRTEENTH = "13e-journee-nationale-des-poles-2014"


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def parse(body: bytes) -> tuple[list[str], list[dict[str, tuple[str, str]]]]:
    """A small RFC 5545 reader: checks the lines, unfolds them, and gives the VEVENTs as {name: (params, raw value)}."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, line  # CRLF only, never a bare LF or CR
        assert len(line.encode()) <= 75, line
    unfolded: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded and any(line.startswith("PRODID:") for line in unfolded)
    events, current = [], None
    for line in unfolded:
        name_params, _, value = line.partition(":")
        name, _, params = name_params.partition(";")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one VEVENT"
            current[name] = (params, value)
    return physical, events


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def by_uid(events: list[dict]) -> dict[str, dict]:
    return {event["UID"][1]: event for event in events}


def test_it_writes_one_vevent_per_published_event(client):
    make_event(status="draft", title="Brouillon qui ne doit pas paraître")
    response = client.get("/evenements/calendrier.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="evenements.ics"'
    body = read(response)
    _, events = parse(body)
    published = Event.objects.published()
    assert len(events) == published.count()
    slugs = published.values_list("slug", flat=True)
    assert set(by_uid(events)) == {f"{slug}@poles-de-competitivite" for slug in slugs}
    assert "Brouillon".encode() not in body
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION", "URL"} <= set(event)


def test_the_13th_national_day_has_its_date_place_stamp_and_links(client):
    event = Event.objects.get(slug=THIRTEENTH)
    response = client.get(f"/evenements/{THIRTEENTH}.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{THIRTEENTH}.ics"'
    physical, events = parse(response.content)
    [vevent] = events
    assert vevent["UID"] == ("", f"{THIRTEENTH}@poles-de-competitivite")
    assert vevent["DTSTART"] == ("VALUE=DATE", "20140124")
    assert vevent["DTEND"] == ("VALUE=DATE", "20140125")
    assert vevent["DTSTAMP"][1] == event.updated_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert unescape(vevent["SUMMARY"][1]) == event.title
    # The comma between venue and city is escaped, and so are the commas of the summary.
    assert vevent["LOCATION"][1] == "Bercy\\, Paris"
    assert "\\," in vevent["DESCRIPTION"][1]
    url = f"http://testserver/evenements/{THIRTEENTH}/"
    assert vevent["URL"][1] == url
    description = unescape(vevent["DESCRIPTION"][1])
    assert description.startswith(event.summary[:40]) and description.endswith(url)
    # The description is far longer than a line: it is folded, and unfolds to the whole text.
    assert len(vevent["DESCRIPTION"][1]) > 300
    assert any(line.startswith(" ") for line in physical)


def test_a_date_known_to_the_month_is_placed_on_its_first_day_and_says_so(client):
    _, events = parse(client.get("/evenements/15e-journee-nationale-des-poles-2016.ics").content)
    [vevent] = events
    assert vevent["DTSTART"] == ("VALUE=DATE", "20160301")
    assert "Date connue au mois près (mars 2016)" in unescape(vevent["DESCRIPTION"][1])


def test_the_list_calendar_honours_the_list_filters(client):
    _, events = parse(read(client.get("/evenements/calendrier.ics", {"year": "2014"})))
    assert set(by_uid(events)) == {
        f"{slug}@poles-de-competitivite"
        for slug in Event.objects.published().filter(date__year=2014).values_list("slug", flat=True)
    }
    assert f"{THIRTEENTH}@poles-de-competitivite" in by_uid(events)

    _, events = parse(read(client.get("/evenements/calendrier.ics", {"kind": "atelier"})))
    ateliers = set(Event.objects.published().filter(kind="atelier").values_list("slug", flat=True))
    assert ateliers and set(by_uid(events)) == {f"{slug}@poles-de-competitivite" for slug in ateliers}
    assert all(event["DTSTART"][1] != "20140124" for event in events)


def test_invalid_parameters_are_a_400_with_a_message(client):
    response = client.get("/evenements/calendrier.ics", {"year": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "year" in response.content.decode()


def test_drafts_never_appear(client):
    draft = make_event(status="draft")
    assert client.get(f"/evenements/{draft.slug}.ics").status_code == 404
    body = read(client.get("/evenements/calendrier.ics", {"kind": draft.kind, "year": draft.date.year}))
    assert draft.slug.encode() not in body


def test_it_refuses_post(client):
    assert client.post("/evenements/calendrier.ics").status_code == 405
    assert client.post(f"/evenements/{THIRTEENTH}.ics").status_code == 405


def test_lines_are_folded_at_75_octets_without_splitting_a_character_or_an_escape():
    line = "DESCRIPTION:" + escape_text("é,è;à\\ " * 40)
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert all(not piece.endswith("\\") or piece.endswith("\\\\") for piece in pieces)
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line
    assert fold("SUMMARY:court") == "SUMMARY:court"


def test_text_values_are_escaped():
    assert escape_text("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert unescape(escape_text("Bercy, Paris; 1\\2\nfin")) == "Bercy, Paris; 1\\2\nfin"


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1) as before:
        read(client.get("/evenements/calendrier.ics", {"kind": "atelier"}))
    for _ in range(25):
        make_event(sessions=2, kind="atelier")
    with django_assert_max_num_queries(len(before.captured_queries)):
        _, events = parse(read(client.get("/evenements/calendrier.ics", {"kind": "atelier"})))
    assert len(events) >= 25
    with django_assert_max_num_queries(1):
        client.get(f"/evenements/{THIRTEENTH}.ics")
