"""Staff preview: what is not public yet (or any more) shows at its own address to staff, under an « Aperçu » banner,
never cached nor indexed; the public gets a 404."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from events.models import Session
from poles.roles import EDITOR, WRITER
from tests.factories import make_appearance, make_event, make_organisation, make_person, make_pole, make_staff
from tests.policy.factories import make_report

pytestmark = pytest.mark.django_db

BANNER = "Aperçu : cette page montre du contenu qui n'est pas public."


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_items():
    future = timezone.now() + datetime.timedelta(days=3)
    return {
        "draft pôle": make_pole(status="draft"),
        "scheduled organisation": make_organisation(status="published", publish_at=future),
        "archived event": make_event(status="archived"),
        "draft person": make_person(status="draft"),
        "scheduled report": make_report(status="published", publish_at=future),
    }


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_staff_preview_a_page_that_is_not_public(role):
    staff = logged_in(make_staff(role))
    for label, item in draft_items().items():
        response = staff.get(item.get_absolute_url())
        html = response.content.decode()

        assert response.status_code == 200, label
        assert BANNER in html, label
        assert item.publication_state in html, label
        assert '<meta name="robots" content="noindex, nofollow">' in html, label
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/" in html, label


def test_the_banner_says_when_a_scheduled_item_will_be_public():
    report = make_report(status="published", publish_at=datetime.datetime(2031, 3, 5, 9, 30, tzinfo=datetime.UTC))

    html = logged_in(make_staff(EDITOR)).get(report.get_absolute_url()).content.decode()

    assert "programmé pour le 5 mars 2031 à 10:30" in html  # Paris time


def test_the_public_and_staff_without_view_permission_get_a_404(client):
    no_permission = logged_in(User.objects.create_user("stagiaire", is_staff=True))
    not_staff = logged_in(User.objects.create_user("visiteur"))
    for label, item in draft_items().items():
        for who, visitor in [("anonymous", client), ("staff without permission", no_permission), ("not staff", not_staff)]:
            assert visitor.get(item.get_absolute_url()).status_code == 404, (label, who)


def test_a_public_page_has_no_banner_even_for_staff(client):
    pole = make_pole()
    for visitor in (client, logged_in(make_staff(EDITOR))):
        response = visitor.get(pole.get_absolute_url())
        assert BANNER not in response.content.decode()
        assert "X-Robots-Tag" not in response
        assert "noindex" not in response.content.decode()


def test_deleted_items_are_not_previewed():
    person = make_person(status="draft")
    person.soft_delete()

    assert logged_in(make_staff(EDITOR)).get(person.get_absolute_url()).status_code == 404


def test_staff_see_the_unpublished_sessions_of_an_event_in_their_place(client):
    event = make_event(sessions=1)
    draft = Session.objects.create(event=event, order=2, anchor="brouillon", kind="speech", title="Séquence en préparation")
    draft.status = "draft"
    draft.save()
    make_appearance(draft, make_person())
    deleted = Session.objects.create(event=event, order=3, anchor="supprimee", kind="speech", title="Séquence supprimée")
    deleted.soft_delete()

    staff_html = logged_in(make_staff(WRITER)).get(event.get_absolute_url()).content.decode()
    public_html = client.get(event.get_absolute_url()).content.decode()

    assert 'id="brouillon"' in staff_html
    assert "Aperçu : brouillon" in staff_html
    assert BANNER in staff_html and 'href="#brouillon"' in staff_html
    assert 'id="supprimee"' not in staff_html
    assert 'id="brouillon"' not in public_html and BANNER not in public_html


def test_staff_preview_in_english_under_en_with_the_same_guarantees():
    staff = logged_in(make_staff(EDITOR))
    report = make_report(status="published", publish_at=datetime.datetime(2031, 3, 5, 9, 30, tzinfo=datetime.UTC))
    draft = make_pole(status="draft")
    urls = {item: item.get_absolute_url() for item in (report, draft)}

    response = staff.get(f"/en{urls[report]}")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    assert "Preview: this page shows content that is not public." in html and BANNER not in html
    assert "scheduled for 5 March 2031, 10:30" in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert "ETag" not in response
    html = staff.get(f"/en{urls[draft]}").content.decode()
    assert "Cluster “" in html and "draft" in html
    assert f"/admin/poles/pole/{draft.pk}/change/" in html
    assert Client().get(f"/en{urls[draft]}").status_code == 404
