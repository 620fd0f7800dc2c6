import pytest
from django.contrib import admin
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "un-mot-de-passe-solide")
    client.force_login(user)
    return client


def test_every_model_has_a_working_changelist_search_and_add_form(staff_client):
    for model in admin.site._registry:
        if model._meta.app_label not in {"poles", "events", "policy"}:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert staff_client.get(base).status_code == 200, base
        assert staff_client.get(base + "?q=Pellerin").status_code == 200, base
        assert staff_client.get(base + "add/").status_code == 200, base
        instance = model.objects.first()
        if instance is not None:
            assert staff_client.get(f"{base}{instance.pk}/change/").status_code == 200, base


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/admin/poles/pole/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_autocomplete_finds_a_pole_by_its_former_name(staff_client):
    response = staff_client.get(
        "/admin/autocomplete/", {"term": "Orpheme", "app_label": "events", "model_name": "session", "field_name": "poles"}
    )
    assert response.status_code == 200
    assert "Eurobiomed" in response.content.decode()
