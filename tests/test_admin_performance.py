"""Admin lists stay fast at 100 000 members: a changelist's number of queries depends neither on how many rows the
table holds nor on how many the page shows (no query per row), and none counts the whole table twice."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from poles.models import Indicator, Membership, Organisation, Pole, PoleFigure, Region, Source
from poles.roles import EDITOR
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

STAFF_APPS = {"poles", "events", "policy"}
ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in STAFF_APPS
)
LARGE_TABLES = {"poles.pole", "poles.organisation", "events.event", "events.session", "events.person"}
# Two sessions, the user and the permissions, the count of the page's rows, the rows, one per related-field filter
# and per date level: past this, something runs per row or per option.
MAX_QUERIES = 14


@pytest.fixture
def editor_client() -> Client:
    client = Client()
    client.force_login(make_staff(EDITOR))
    return client


def changelist(client: Client, url: str) -> tuple[int, int]:
    """(queries, rows shown) for one changelist page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), len(response.context["cl"].result_list)


def add_members(count: int) -> None:
    """`count` organisations, each a member of one of the real pôles and in one of the regions."""
    poles = list(Pole.objects.real().order_by("pk")[:20])
    regions = list(Region.objects.order_by("pk"))
    first = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Membre d'essai {n}", slug=f"membre-essai-{n}", kind=Organisation.Kind.COMPANY,
            region=regions[n % len(regions)], city="Lyon", is_synthetic=True,
        )
        for n in range(first, first + count)
    )
    Membership.objects.bulk_create(
        Membership(pole=poles[n % len(poles)], organisation=organisation, since_year=2010, is_synthetic=True)
        for n, organisation in enumerate(organisations)
    )


def test_member_lists_make_as_many_queries_with_500_members_as_with_50(editor_client):
    urls = ["/admin/poles/membership/", "/admin/poles/organisation/", "/admin/poles/organisation/?kind__exact=company"]
    add_members(50)
    editor_client.get(urls[0])  # the first request of a session sets things up once
    with_50 = {url: changelist(editor_client, url) for url in urls}

    add_members(450)
    with_500 = {url: changelist(editor_client, url) for url in urls}

    assert with_50["/admin/poles/membership/"][1] == 50
    assert with_500["/admin/poles/membership/"][1] == 100  # a full page: twice the rows, not one more query
    assert {url: queries for url, (queries, _) in with_500.items()} == {url: q for url, (q, _) in with_50.items()}
    assert max(queries for queries, _ in with_500.values()) <= MAX_QUERIES


@pytest.fixture
def rows_everywhere():
    """Synthetic pôles, members, events, sessions, people and appearances, and figures for the pôles."""
    call_command("seed_demo", members=120, events=6, verbosity=0)
    source = Source.objects.order_by("pk").first()
    PoleFigure.objects.bulk_create(
        PoleFigure(pole=pole, indicator=Indicator.values[0], year=year, value=year, source=source)
        for pole in Pole.objects.order_by("pk")[:10]
        for year in range(2010, 2015)
    )


@pytest.mark.parametrize("app_label, model_name", ADMINS, ids=[f"{app}.{model}" for app, model in ADMINS])
def test_no_changelist_makes_a_query_per_row(app_label, model_name, editor_client, rows_everywhere, monkeypatch):
    model_admin = admin.site.get_model_admin(apps.get_model(app_label, model_name))
    url = f"/admin/{app_label}/{model_name}/"
    editor_client.get(url)

    monkeypatch.setattr(model_admin, "list_per_page", 1)
    one_row = changelist(editor_client, url)
    monkeypatch.setattr(model_admin, "list_per_page", 50)
    full_page = changelist(editor_client, url)

    assert one_row[1] == 1
    assert full_page[1] >= 5, "enough rows to see a per-row query"
    assert full_page[0] == one_row[0]
    assert full_page[0] <= MAX_QUERIES


def test_lists_of_large_tables_never_count_the_whole_table_twice():
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in LARGE_TABLES | {"poles.membership", "events.appearance", "poles.polefigure"}:
            assert model_admin.show_full_result_count is False, model


def test_rows_of_large_tables_are_chosen_by_autocomplete_never_from_a_full_list():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in STAFF_APPS:
            continue
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            shown = flatten_fieldsets(owner.fieldsets) if owner.fieldsets else owner.fields
            for field in owner.model._meta.get_fields():
                if not (field.concrete and field.is_relation and field.editable):
                    continue
                if field.related_model._meta.label_lower not in LARGE_TABLES or (shown and field.name not in shown):
                    continue
                if owner is not model_admin and field.related_model is model:
                    continue  # an inline's link to the page's own object is not in its form
                assert field.name in (*owner.autocomplete_fields, *owner.raw_id_fields), f"{owner}.{field.name}"
