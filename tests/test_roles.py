"""Staff roles: what a rédacteur, an éditeur and an administrateur may do, in the admin and by direct POST.

The publication boundaries (`publish_<model>` permissions, status and publish_at refused without them) come with
the publication workflow (issue 5, part A); the tests that prove them say so, and fail until that work is in.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from events.models import Person
from poles.models import Region
from poles.roles import ADMINISTRATOR, EDITOR, WRITER, role_permissions
from tests.factories import STAFF_PASSWORD, make_person, staff_client

pytestmark = pytest.mark.django_db

PERSONS = "/admin/events/person/"


def person_form(person: Person | None = None, **fields) -> dict:
    """What the admin's person form posts: the person's current values (or a new draft), with `fields` changed."""
    data = {"name": "Camille Essai", "sort_name": "Essai, Camille", "slug": "camille-essai", "summary": ""}
    data["status"] = "draft"
    if person is not None:
        data.update(name=person.name, sort_name=person.sort_name, slug=person.slug, summary=person.summary)
        data["status"] = person.status
    data.update({"publish_at_0": "", "publish_at_1": "", **fields})
    return data


def status_options(html: str) -> list[str]:
    select = re.search(r'<select name="status"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []


def group_codenames(role: str) -> set[str]:
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


# The groups themselves


def test_migrate_creates_the_three_roles_with_their_permissions():
    writer, editor, administrator = (group_codenames(role) for role in (WRITER, EDITOR, ADMINISTRATOR))

    assert {"view_pole", "add_pole", "change_pole", "add_membership", "change_session", "view_region"} <= writer
    assert not {name for name in writer if name.startswith(("delete_", "publish_"))}
    assert not {"change_region", "change_theme", "add_correction"} & writer  # the editors' business
    assert not {name for name in writer if name.endswith(("_user", "_group"))}

    assert writer < editor
    assert {"delete_pole", "delete_person", "delete_membership", "change_region", "add_correction"} <= editor
    assert {"view_historicalpole", "change_historicalpole"} <= editor  # reading and restoring versions
    assert not {name for name in editor if name.endswith(("_user", "_group"))}

    assert administrator == set(Permission.objects.values_list("codename", flat=True))
    assert {"add_user", "change_user", "change_group"} <= administrator


def test_editors_alone_may_publish_every_public_content_type():
    # Needs part A: the publish_<model> permissions.
    content_types = ["pole", "organisation", "event", "session", "person", "phase", "report", "keyfigure", "decision"]
    publish = {f"publish_{name}" for name in content_types}

    assert publish <= group_codenames(EDITOR)
    assert not publish & group_codenames(WRITER)


def test_create_roles_puts_the_definition_back_and_can_run_twice(capsys):
    writer = Group.objects.get(name=WRITER)
    writer.permissions.add(Permission.objects.get(codename="delete_pole"))
    writer.permissions.remove(Permission.objects.get(codename="change_pole"))
    expected = group_codenames(EDITOR)

    call_command("create_roles")
    call_command("create_roles")

    assert Group.objects.filter(name__in=[WRITER, EDITOR, ADMINISTRATOR]).count() == 3
    assert "change_pole" in group_codenames(WRITER)
    assert "delete_pole" not in group_codenames(WRITER)
    assert group_codenames(EDITOR) == expected
    assert "rédacteur : " in capsys.readouterr().out


def test_a_permission_that_does_not_exist_yet_is_reported_not_fatal(capsys):
    # Like a publish_<model> permission before the migration that declares it.
    Permission.objects.get(content_type__app_label="events", codename="change_person").delete()

    call_command("create_roles")

    assert "events.change_person" in capsys.readouterr().err
    assert "view_person" in group_codenames(WRITER)
    assert ("events", "change_person") in role_permissions()[WRITER]


# rédacteur: drafts only, never a deletion


def test_a_writer_creates_a_draft():
    response = staff_client(WRITER).post(PERSONS + "add/", person_form())

    assert response.status_code == 302
    assert Person.objects.get(slug="camille-essai").status == "draft"


def test_a_writer_is_not_offered_publication():
    # Needs part A: the status choices follow the publish_<model> permission.
    writer = staff_client(WRITER)
    person = make_person(status="draft")

    assert "published" not in status_options(writer.get(PERSONS + "add/").content.decode())
    assert "published" not in status_options(writer.get(f"{PERSONS}{person.pk}/change/").content.decode())
    assert "published" in status_options(staff_client(EDITOR).get(PERSONS + "add/").content.decode())


@pytest.mark.parametrize(
    "fields",
    [{"status": "published"}, {"status": "archived"}, {"publish_at_0": "2030-01-01", "publish_at_1": "08:00:00"}],
    ids=["publish", "archive", "schedule"],
)
def test_a_writer_cannot_publish_archive_or_schedule_by_direct_post(fields):
    # Needs part A: status and publish_at refused without publish_<model>.
    writer = staff_client(WRITER)
    draft = make_person(status="draft")

    created = writer.post(PERSONS + "add/", person_form(**fields))
    changed = writer.post(f"{PERSONS}{draft.pk}/change/", person_form(draft, **fields))

    assert created.status_code == 200 and created.context["errors"], "the form is shown again, with an error"
    assert not Person.objects.filter(slug="camille-essai").exists()
    assert changed.status_code == 200 and changed.context["errors"]
    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == ("draft", None)


def test_a_writer_cannot_unpublish_or_archive_published_content():
    # Needs part A, as above.
    writer = staff_client(WRITER)
    person = make_person(status="published")

    response = writer.post(f"{PERSONS}{person.pk}/change/", person_form(person, status="archived"))

    assert response.status_code == 200 and response.context["errors"]
    person.refresh_from_db()
    assert person.status == "published"


def test_a_writer_sees_no_delete_link_and_cannot_delete_by_direct_post():
    writer = staff_client(WRITER)
    person = make_person(status="draft")
    delete_url = f"{PERSONS}{person.pk}/delete/"

    assert delete_url not in writer.get(f"{PERSONS}{person.pk}/change/").content.decode()
    assert delete_url in staff_client(EDITOR).get(f"{PERSONS}{person.pk}/change/").content.decode()
    assert writer.get(delete_url).status_code == 403
    assert writer.post(delete_url, {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_writer_is_not_offered_bulk_deletion_and_a_forged_one_deletes_nothing():
    writer = staff_client(WRITER)
    person = make_person(status="draft")

    assert 'value="delete_selected"' not in writer.get(PERSONS).content.decode()
    writer.post(PERSONS, {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_writer_is_offered_no_publication_or_trash_action_and_forged_ones_change_nothing():
    # Needs part A: the publication and trash actions.
    writer = staff_client(WRITER)
    draft = make_person(status="draft")
    trashed = make_person(status="published")
    trashed.soft_delete()

    offered = writer.get(PERSONS).content.decode()
    for action in ("publish", "archive", "restore_from_trash", "delete_selected"):
        assert f'value="{action}"' not in offered, action
    writer.post(PERSONS, {"action": "publish", "_selected_action": [draft.pk]})
    writer.post(PERSONS + "?corbeille=1", {"action": "restore_from_trash", "_selected_action": [trashed.pk]})

    draft.refresh_from_db()
    trashed.refresh_from_db()
    assert draft.status == "draft"
    assert trashed.deleted_at is not None


def test_only_editors_read_and_restore_earlier_versions():
    # Needs part A: the history pages.
    from poles.history import versions

    editor = staff_client(EDITOR)
    editor.post(PERSONS + "add/", person_form())
    person = Person.objects.get(slug="camille-essai")
    editor.post(f"{PERSONS}{person.pk}/change/", person_form(person, name="Camille Essai-Martin"))
    first = versions(person).last()
    restore = f"{PERSONS}{person.pk}/history/{first.history_id}/restore/"

    writer = staff_client(WRITER)
    assert writer.get(f"{PERSONS}{person.pk}/history/").status_code == 403
    assert writer.post(restore).status_code == 403
    person.refresh_from_db()
    assert person.name == "Camille Essai-Martin"

    assert editor.get(f"{PERSONS}{person.pk}/history/").status_code == 200
    assert editor.post(restore).status_code == 302
    person.refresh_from_db()
    assert person.name == "Camille Essai"


def test_a_writer_cannot_change_the_regions():
    writer = staff_client(WRITER)
    region = Region.objects.order_by("pk").first()

    assert writer.get(f"/admin/poles/region/{region.pk}/change/").status_code == 200  # read-only view
    response = writer.post(f"/admin/poles/region/{region.pk}/change/", {"name": "Atlantide", "slug": "atlantide"})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name != "Atlantide"


# éditeur: publishes, archives, deletes; no accounts


def test_an_editor_publishes_a_draft(client):
    person = make_person(status="draft")
    assert client.get(person.get_absolute_url()).status_code == 404

    response = staff_client(EDITOR).post(f"{PERSONS}{person.pk}/change/", person_form(person, status="published"))

    assert response.status_code == 302
    assert client.get(person.get_absolute_url()).status_code == 200


def test_an_editor_archives_published_content(client):
    person = make_person(status="published")

    staff_client(EDITOR).post(f"{PERSONS}{person.pk}/change/", person_form(person, status="archived"))

    person.refresh_from_db()
    assert person.status == "archived"
    assert client.get(person.get_absolute_url()).status_code == 404


def test_an_editor_deletes_and_the_public_no_longer_sees_it(client):
    person = make_person(status="published")

    response = staff_client(EDITOR).post(f"{PERSONS}{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert client.get(person.get_absolute_url()).status_code == 404


def test_an_editor_restores_from_the_trash(client):
    # Needs part A: the trash.
    person = make_person(status="published")
    person.soft_delete()
    assert client.get(person.get_absolute_url()).status_code == 404

    restore = {"action": "restore_from_trash", "_selected_action": [person.pk]}
    staff_client(EDITOR).post(PERSONS + "?corbeille=1", restore)

    assert client.get(person.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_writers_and_editors_cannot_manage_accounts(role):
    staff = staff_client(role)

    assert staff.get("/admin/auth/user/").status_code == 403
    assert staff.get("/admin/auth/group/").status_code == 403
    response = staff.post(
        "/admin/auth/user/add/",
        {"username": "intrus", "password1": STAFF_PASSWORD, "password2": STAFF_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="intrus").exists()
    me = staff.user
    response = staff.post(f"/admin/auth/user/{me.pk}/change/", {"username": me.username, "is_superuser": "on"})
    assert response.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser


# administrateur: accounts too, without being a superuser


def test_an_administrator_manages_accounts_and_roles():
    administrator = staff_client(ADMINISTRATOR)
    form = {"username": "nouvelle-redactrice", "usable_password": "true"}

    assert administrator.get("/admin/auth/user/").status_code == 200
    weak = administrator.post("/admin/auth/user/add/", {**form, "password1": "motdepasse", "password2": "motdepasse"})
    assert weak.status_code == 200 and weak.context["errors"]
    assert not User.objects.filter(username="nouvelle-redactrice").exists()

    strong = administrator.post(
        "/admin/auth/user/add/", {**form, "password1": STAFF_PASSWORD, "password2": STAFF_PASSWORD}
    )
    assert strong.status_code == 302
    user = User.objects.get(username="nouvelle-redactrice")
    assert administrator.get(f"/admin/auth/user/{user.pk}/change/").status_code == 200


def test_an_administrator_deletes_content():
    person = make_person(status="published")

    staff_client(ADMINISTRATOR).post(f"{PERSONS}{person.pk}/delete/", {"post": "yes"})

    assert not Person.objects.published().filter(pk=person.pk).exists()
