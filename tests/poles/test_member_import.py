"""A pôle's yearly member list imported from a CSV file: the parser, the plan, the writes and the admin views."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from poles import imports, versioning
from poles.imports import CREATE, INVALID, UNCHANGED, UPDATE, ImportFileError, apply_plan, plan_import, read_file
from poles.models import Membership, Organisation, Pole
from poles.validators import luhn_is_valid
from tests.factories import make_membership, make_organisation

IMPORT_URL = "/admin/poles/membership/import/"


def siren(prefix: str) -> str:
    """A valid SIREN: the 8 digits given and the Luhn key that completes them."""
    return next(prefix + str(key) for key in range(10) if luhn_is_valid(prefix + str(key)))


def bad_key(valid: str) -> str:
    return valid[:8] + str((int(valid[8]) + 1) % 10)


def csv_file(*lines: str, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(line.replace(";", delimiter) for line in lines).encode(encoding) + b"\r\n"


ACME, BETA, GAMMA = siren("73282932"), siren("55210055"), siren("13002526")
GOOD = csv_file(
    "nom;siren;taille;code_naf;ville;region;site_web",
    f"Acmé Robotique;{ACME};PME;2899B;Toulouse;Occitanie;www.acme-robotique.fr",
    f"Bêta Composites;{BETA};Grande entreprise;;Bordeaux;Nouvelle-Aquitaine;",
    "Laboratoire Gamma;;;;Pau;;",
)


# --- Reading the file ---------------------------------------------------------------------------------------------


def test_it_reads_utf8_with_semicolons_and_keeps_the_line_numbers():
    parsed = read_file(csv_file("nom;ville", "Acmé;Toulouse", "", "Bêta;Bordeaux"))
    assert (parsed.encoding, parsed.delimiter) == ("UTF-8", ";")
    assert [(row.line, row.values) for row in parsed.rows] == [
        (2, {"nom": "Acmé", "ville": "Toulouse"}),
        (4, {"nom": "Bêta", "ville": "Bordeaux"}),
    ]


def test_it_reads_windows_1252_with_commas_as_excel_writes_them():
    parsed = read_file(csv_file("Nom,Ville", '"Société Générale, SA",Île-de-Bréhat', encoding="cp1252"))
    assert (parsed.encoding, parsed.delimiter) == ("Windows-1252", ",")
    assert parsed.rows[0].values == {"nom": "Société Générale, SA", "ville": "Île-de-Bréhat"}


def test_it_drops_the_utf8_byte_order_mark():
    parsed = read_file(b"\xef\xbb\xbf" + csv_file("nom;siren", f"Acmé;{ACME}"))
    assert parsed.encoding == "UTF-8 (avec BOM)"
    assert parsed.columns == ["nom", "siren"]


def test_header_names_are_matched_without_case_accents_or_punctuation_and_unknown_ones_are_reported():
    parsed = read_file(csv_file("Raison sociale;N° SIREN;TAILLE;Code_NAF;Rôle;Site Internet;Téléphone", "Acmé;;;;;;05"))
    assert parsed.columns == ["nom", "siren", "taille", "code_naf", "role", "site_web"]
    assert parsed.ignored_columns == ["Téléphone"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (b"\r\n  \r\n", "vide"),
        (csv_file("nom;siren"), "aucune ligne de membre"),
        (csv_file("entreprise;siren", "Acmé;1"), "pas de colonne « nom »"),
        (csv_file("nom;Raison sociale", "a;b"), "apparaît deux fois"),
        (b"PK\x03\x04\x14\x00\x06\x00", "classeur Excel"),
        (b"\xff\xfen\x00o\x00m\x00", "UTF-16"),
        (b"nom\r\n\x00\x01\x02\x03binary", "caractères de contrôle"),
        (b"nom\r\n\x81\x8d\x8f", "ni UTF-8 ni Windows-1252"),
        (b"\xef\xbb\xbfnom\r\n\xff", "UTF-8 mais contient un octet invalide"),
    ],
)
def test_a_file_that_cannot_be_read_gives_a_clear_message(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_file(data)


def test_files_over_the_size_or_row_limit_are_refused(monkeypatch):
    with pytest.raises(ImportFileError, match="la limite est de 5 Mo"):
        read_file(b"nom\r\n" + b"x" * imports.MAX_BYTES)
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    read_file(csv_file("nom", "a", "b", "c"))
    with pytest.raises(ImportFileError, match="plus de 3 lignes"):
        read_file(csv_file("nom", "a", "b", "c", "d"))


# --- Checking rows and comparing them with the database ----------------------------------------------------------


@pytest.fixture
def pole(db) -> Pole:
    return Pole.objects.get(slug="aerospace-valley")


def plan_of(data: bytes, pole: Pole, year: int = 2024, **kwargs):
    return plan_import(read_file(data), pole, year, **kwargs)


def reasons(plan) -> dict[int, list[str]]:
    return {row.line: row.errors for row in plan.rows if row.errors}


def test_every_invalid_row_is_reported_with_its_reason(pole):
    make_organisation(name="Homonyme Industrie")
    make_organisation(name="HOMONYME  industrie")
    plan = plan_of(
        csv_file(
            "nom;siren;taille;code_naf;type;region;site_web",
            f"Clé fausse;{bad_key(ACME)};;;;;",
            f"Zéro perdu;{ACME[1:]};;;;;",
            "Taille inconnue;;moyenne;;;;",
            f"Premier;{BETA};;;;;",
            f"Deuxième;{BETA};;;;;",
            "Même nom;;;;;;",
            "même NOM;;;;;;",
            ";;PME;;;;",
            "NAF faux;;;99.99Z;;;",
            "Trop de colonnes;;;;;;;en trop",
            "Type inconnu;;;;coopérative;;",
            "Labo avec taille;;PME;;recherche;;",
            "Région inconnue;;;;;Atlantide;",
            "Site faux;;;;;;http://exa mple",
            "Homonyme Industrie;;;;;;",
            "N" * 201 + ";;;;;;",
            'Guillemet;;;;;;"non fermé',
            "Ligne avalée;;;;;;",
        ),
        pole,
    )
    found = reasons(plan)
    assert "clé de contrôle de Luhn" in found[2][0]
    assert "9 chiffres" in found[3][0] and "zéro initial" in found[3][0]
    assert found[4] == ["taille « moyenne » inconnue (valeurs admises : TPE, PME, ETI, GE ou Grande entreprise)"]
    assert 5 not in found
    assert found[6] == ["doublon de la ligne 5 (même SIREN)"]
    assert 7 not in found
    assert found[8] == ["doublon de la ligne 7 (même nom)"]
    assert found[9] == ["nom manquant"]
    assert found[10][0].startswith("code NAF :") and "99.99Z" in found[10][0]
    assert found[11][0].startswith("trop de colonnes : la ligne compte 8 cellules pour 7 colonnes")
    assert found[12][0].startswith("type « coopérative » inconnu")
    assert found[13] == ["taille : La taille ne s'applique qu'aux entreprises."]
    assert found[14][0].startswith("région « Atlantide » inconnue")
    assert found[15] == ["site web « http://exa mple » : ce n'est pas une adresse web valide"]
    assert found[16] == ["2 organisations portent déjà ce nom : indiquez le SIREN pour choisir la bonne"]
    assert found[17] == ["nom : 201 caractères, 200 au plus"]
    assert found[18][0] == (
        "la ligne se poursuit jusqu'à la ligne 19 du fichier : un guillemet ouvert n'est sans doute pas refermé"
    )
    assert not plan.is_valid
    assert plan.counts[INVALID] == len(found)


def test_size_classes_naf_codes_and_regions_are_accepted_in_their_usual_spellings(pole):
    plan = plan_of(
        csv_file(
            "nom;taille;code_naf;region",
            "A;pme;6201Z;occitanie",
            "B;Grande entreprise;62.01z;84",
            "C;GE;62 01 Z;auvergne-rhone-alpes",
            "D;TPE;;",
        ),
        pole,
    )
    assert plan.is_valid, reasons(plan)
    organisations = [row.organisation for row in plan.rows]
    assert [o.size_class for o in organisations] == ["pme", "ge", "ge", "tpe"]
    assert {o.naf_code for o in organisations[:3]} == {"62.01Z"}
    assert [o.region.name for o in organisations[:3]] == ["Occitanie", "Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"]


def test_a_row_finds_its_organisation_by_siren_else_by_name_and_shows_what_changes(pole):
    by_siren = make_organisation(name="Ancien Nom", siren=ACME, city="Albi", size_class="tpe")
    by_name = make_organisation(name="Société Générale d'Essais", city="Toulouse")
    plan = plan_of(
        csv_file(
            "nom;siren;taille;ville",
            f"Nouveau Nom;{ACME};PME;",
            f"SOCIETE GENERALE D ESSAIS;{BETA};;TOULOUSE",
            "Tout Nouveau;;;Pau",
        ),
        pole,
    )
    first, second, third = plan.rows
    assert (first.action, first.organisation.pk) == (UPDATE, by_siren.pk)
    assert [(c.label, c.old, c.new) for c in first.changes] == [
        ("nom", "Ancien Nom", "Nouveau Nom"),
        ("taille", "TPE", "PME"),
    ]
    # Same name once case and accents are ignored: the known spelling stays, the SIREN is added.
    assert (second.action, second.organisation.pk) == (UPDATE, by_name.pk)
    assert [(c.label, c.old, c.new) for c in second.changes] == [("SIREN", "", BETA)]
    assert third.action == CREATE
    assert ("état de publication", "", "Publié") in [(c.label, c.old, c.new) for c in third.changes]
    assert plan.counts == {CREATE: 1, UPDATE: 2, UNCHANGED: 0, INVALID: 0}


def test_an_update_leaves_a_history_version_with_the_sources_kept(pole):
    organisation = Organisation.objects.get(slug="bpifrance")
    sources = set(organisation.sources.values_list("pk", flat=True))
    assert sources
    plain = make_organisation(name="Sans Source")
    apply_plan(plan_of(csv_file("nom;ville", "Bpifrance;Maisons-Alfort", "Sans Source;Albi"), pole))
    version = organisation.history.order_by("-history_date", "-history_id").first()
    assert (version.history_type, version.city) == ("~", "Maisons-Alfort")
    assert set(version.sources.values_list("source_id", flat=True)) == sources
    version = plain.history.order_by("-history_date", "-history_id").first()
    assert (version.history_type, version.city, version.history_change_reason) == (
        "~", "Albi", f"Import de la liste des membres 2024 de « {pole.name} »"
    )


def test_an_organisation_hidden_from_the_public_is_flagged(pole):
    make_organisation(name="Brouillon Industrie", status="draft")
    row = plan_of(csv_file("nom", "Brouillon Industrie"), pole).rows[0]
    assert row.action == UPDATE  # its membership is created
    assert row.notes == ["organisation non visible sur le site public (brouillon) : l'import n'y change rien"]


def test_an_unknown_siren_never_takes_over_a_namesake_that_has_another(pole):
    make_organisation(name="Acmé Robotique", siren=BETA)
    row = plan_of(csv_file("nom;siren", f"Acmé Robotique;{ACME}"), pole).rows[0]
    assert row.action == CREATE
    assert "autre SIREN" in row.notes[0]


def test_synthetic_rows_are_never_matched(pole):
    make_organisation(name="Organisation démo", siren=ACME, is_synthetic=True)
    row = plan_of(csv_file("nom;siren", f"Organisation démo;{ACME}"), pole).rows[0]
    assert row.errors and "synthétique" in row.errors[0]


def test_the_membership_is_created_for_the_year_or_widened_to_cover_it(pole):
    earlier = make_organisation(name="Depuis 2020")
    ended = make_organisation(name="Partie en 2019")
    current = make_organisation(name="Toujours là")
    make_membership(pole, earlier, since_year=2020)
    make_membership(pole, ended, since_year=2010, until_year=2019)
    make_membership(pole, current, since_year=2015, role="founder")
    plan = plan_of(
        csv_file("nom;role", "Depuis 2020;", "Partie en 2019;", "Toujours là;", "Nouveau;partenaire"), pole, year=2018
    )
    changes = {row.name: [(c.label, c.old, c.new) for c in row.membership_changes] for row in plan.rows}
    assert changes == {
        "Depuis 2020": [("membre depuis", "2020", "2018")],
        "Partie en 2019": [],
        "Toujours là": [],
        "Nouveau": [("adhésion au pôle", "", "créée (Partenaire, depuis 2018)")],
    }
    apply_plan(plan)
    plan = plan_of(csv_file("nom", "Partie en 2019"), pole, 2021)
    assert [(c.label, c.old, c.new) for c in plan.rows[0].membership_changes] == [("jusqu'en", "2019", "2021")]
    apply_plan(plan)
    years = dict(Membership.objects.filter(pole=pole).values_list("organisation__name", "since_year"))
    assert years["Depuis 2020"] == 2018 and years["Nouveau"] == 2018 and years["Toujours là"] == 2015
    assert Membership.objects.get(pole=pole, organisation=ended).until_year == 2021
    assert Membership.objects.get(pole=pole, organisation__name="Nouveau").role == "partner"


def test_an_import_writes_the_plan_and_a_second_import_of_the_same_file_changes_nothing(pole):
    plan = plan_of(GOOD, pole, source_reference="Liste des membres 2024 transmise par le pôle")
    assert plan.counts[CREATE] == 3
    result = apply_plan(plan)
    assert (result.organisations_created, result.memberships_created) == (3, 3)
    acme = Organisation.objects.get(siren=ACME)
    assert (acme.name, acme.size_class, acme.naf_code, acme.city, acme.region.name, acme.website, acme.status) == (
        "Acmé Robotique", "pme", "28.99B", "Toulouse", "Occitanie", "https://www.acme-robotique.fr", "published"
    )
    assert acme.slug == "acme-robotique"
    assert Organisation.objects.get(name="Laboratoire Gamma").kind == "company"
    membership = Membership.objects.get(pole=pole, organisation=acme)
    assert (membership.since_year, membership.until_year, membership.source.reference) == (
        2024, None, "Liste des membres 2024 transmise par le pôle"
    )
    before = everything()

    again = plan_of(GOOD, pole, source_reference="Liste des membres 2024 transmise par le pôle")
    assert again.counts == {CREATE: 0, UPDATE: 0, UNCHANGED: 3, INVALID: 0}
    assert not again.has_changes
    apply_plan(again)
    assert everything() == before


def everything() -> tuple[list, list]:
    return list(Organisation.objects.order_by("pk").values()), list(Membership.objects.order_by("pk").values())


def test_new_organisations_get_free_addresses(pole):
    make_organisation(name="Acmé Robotique", slug="acme-robotique", siren=BETA)
    make_organisation(name="Autre", slug="acme-robotique-2")
    apply_plan(plan_of(csv_file("nom;siren", f"Acmé Robotique;{ACME}"), pole))
    assert Organisation.objects.get(siren=ACME).slug == "acme-robotique-3"


def test_a_plan_with_an_invalid_row_cannot_be_applied(pole):
    plan = plan_of(csv_file("nom;siren", "Bonne ligne;", f"Mauvaise;{bad_key(ACME)}"), pole)
    with pytest.raises(ValueError):
        apply_plan(plan)
    assert not Organisation.objects.filter(name="Bonne ligne").exists()


def test_a_failure_half_way_leaves_nothing_written(pole, monkeypatch):
    plan = plan_of(GOOD, pole)

    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Membership.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        apply_plan(plan)
    assert not Organisation.objects.filter(siren__in=[ACME, BETA]).exists()


def test_what_the_save_signals_do_is_done_for_the_bulk_writes(client, pole, django_capture_on_commit_callbacks):
    token = versioning.current()
    with django_capture_on_commit_callbacks(execute=True):
        apply_plan(plan_of(csv_file("nom;ville", "Acmé Robotique;Toulouse"), pole))
    assert versioning.current() != token  # cached results made before the import are not served any more
    assert "Acmé Robotique" in client.get("/membres/", {"q": "acme toulouse"}).content.decode()

    # DGCIS speaks in the archive: its new acronym must be found by the archive search.
    assert archive_hits(client, "zorglub") == []
    with django_capture_on_commit_callbacks(execute=True):
        dgcis = "Direction générale de la compétitivité, de l'industrie et des services"
        apply_plan(plan_of(csv_file("nom;sigle", f"{dgcis};Zorglub"), pole))
    assert archive_hits(client, "zorglub") != []


def archive_hits(client, query: str) -> list[str]:
    html = client.get("/evenements/", {"q": query}).content.decode()
    return re.findall(r'<h2 class="fr-h6 fr-mb-1v"><a href="(/evenements/[^"]+)">', html)


# --- Admin views ---------------------------------------------------------------------------------------------------


def user_with(*codenames: str, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser("chef", "chef@example.org", "un-mot-de-passe-solide")
    user = User.objects.create_user("agent", password="un-mot-de-passe-solide", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="poles", codename__in=codenames))
    return user


IMPORTER = ("add_organisation", "change_organisation", "add_membership", "change_membership", "view_membership")


@pytest.fixture
def staff(client, db):
    client.force_login(user_with(superuser=True))
    return client


def upload(client, pole, data: bytes, year=2024, name="membres.csv", **extra):
    return client.post(
        IMPORT_URL, {"pole": pole.pk, "year": year, "file": SimpleUploadedFile(name, data), "source": "", **extra}
    )


def confirm(client, preview_url: str):
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', client.get(preview_url).content.decode()).group(1)
    return client.post(preview_url, {"fingerprint": fingerprint})


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("codenames", [(), ("change_organisation", "change_membership", "view_membership")])
def test_staff_without_the_rights_to_add_and_change_members_are_refused(client, db, codenames):
    client.force_login(user_with(*codenames))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {}).status_code == 403


def test_staff_with_those_rights_import_and_find_the_link_on_the_pole(client, pole):
    client.force_login(user_with(*IMPORTER, "view_pole"))
    assert client.get(IMPORT_URL).status_code == 200
    assert IMPORT_URL in client.get("/admin/poles/membership/").content.decode()
    html = client.get(f"/admin/poles/pole/{pole.pk}/change/").content.decode()
    assert f'href="{IMPORT_URL}?pole={pole.pk}">Importer la liste des membres</a>' in html
    response = upload(client, pole, GOOD)
    assert response.status_code == 302
    assert confirm(client, response["Location"]).status_code == 302
    assert Membership.objects.filter(pole=pole, organisation__siren=ACME).exists()


def test_the_form_chooses_the_pole_from_the_address_and_documents_the_format(staff, pole):
    html = staff.get(IMPORT_URL, {"pole": pole.pk}).content.decode()
    assert f'<option value="{pole.pk}" selected>' in html
    assert "code_naf" in html and "Windows-1252" in html
    for nonsense in ("nimporte", "9" * 30, "-1"):
        response = staff.get(IMPORT_URL, {"pole": nonsense})
        assert response.status_code == 200
        assert '<option value="" selected>' in response.content.decode()
    response = staff.post(IMPORT_URL, {"pole": "9" * 30, "year": 2024, "file": SimpleUploadedFile("m.csv", GOOD)})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_template_file_has_every_documented_column(staff):
    response = staff.get(IMPORT_URL + "modele.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_file(response.content + b"x\r\n").columns == imports.COLUMN_NAMES


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Le fichier soumis est vide."),
        (b"PK\x03\x04", "classeur Excel"),
        (csv_file("entreprise;ville", "a;b"), "pas de colonne « nom »"),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_kept(staff, pole, data, message):
    response = upload(staff, pole, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "member_imports" not in staff.session


def test_a_year_outside_the_policy_is_a_form_error(staff, pole):
    assert "supérieure ou égale à 2004" in upload(staff, pole, GOOD, year=1999).content.decode()
    assert "ne peut pas dépasser" in upload(staff, pole, GOOD, year=2999).content.decode()
    assert upload(staff, pole, GOOD, year="deux mille").status_code == 200


def test_a_file_with_a_bad_row_shows_why_and_cannot_be_confirmed(staff, pole):
    response = upload(staff, pole, csv_file("nom;siren;taille", f"Bonne;{ACME};PME", f"Mauvaise;{bad_key(BETA)};XXL"))
    html = staff.get(response["Location"]).content.decode()
    assert "clé de contrôle de Luhn" in html
    assert "taille « XXL » inconnue" in html
    assert "rien ne peut être importé" in html
    assert 'name="fingerprint"' not in html
    # Even a hand-made confirmation is refused.
    refused = staff.post(response["Location"], {"fingerprint": "x"})
    assert refused.status_code == 400
    assert not Organisation.objects.filter(siren=ACME).exists()
    assert not Membership.objects.filter(pole=pole).exists()


def test_preview_then_confirm_imports_and_logs_and_a_second_upload_has_nothing_to_do(staff, pole, client):
    response = upload(staff, pole, GOOD, source="https://www.aerospace-valley.com/membres-2024")
    preview_url = response["Location"]
    html = staff.get(preview_url).content.decode()
    assert "Organisations à créer (3)" in html
    assert "taille : PME" in html and "code NAF : 28.99B" in html
    assert not Organisation.objects.filter(siren=ACME).exists()  # a preview writes nothing

    done = confirm(staff, preview_url)
    assert done.status_code == 302
    assert done["Location"] == f"/admin/poles/membership/?pole__id__exact={pole.pk}"
    assert "3 organisation(s) créée(s)" in staff.get(done["Location"]).content.decode()
    assert Membership.objects.filter(pole=pole).count() == 3
    assert "Acmé Robotique" in client.get(pole.get_absolute_url()).content.decode()
    pole_type = ContentType.objects.get_for_model(Pole)
    pole_history = LogEntry.objects.filter(content_type=pole_type, object_id=str(pole.pk))
    assert pole_history.filter(change_message__contains="membres.csv").exists()
    assert LogEntry.objects.filter(object_repr="Acmé Robotique").exists()
    version = Organisation.objects.get(siren=ACME).history.get()
    assert (version.history_type, version.history_user.username) == ("+", "chef")
    assert version.history_change_reason == f"Import de la liste des membres 2024 de « {pole.name} »"

    # The same preview cannot be confirmed twice.
    again = staff.post(preview_url, {"fingerprint": "whatever"})
    assert again.status_code == 302 and again["Location"] == IMPORT_URL
    assert "expiré ou a déjà été importé" in staff.get(IMPORT_URL).content.decode()

    html = staff.get(upload(staff, pole, GOOD, source="https://www.aerospace-valley.com/membres-2024")["Location"]).content.decode()
    assert "Lignes inchangées (3)" in html
    assert "Rien à importer" in html and 'name="fingerprint"' not in html


def test_a_confirmation_is_refused_when_the_data_changed_since_the_preview(staff, pole):
    preview_url = upload(staff, pole, GOOD)["Location"]
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', staff.get(preview_url).content.decode()).group(1)
    make_organisation(name="Laboratoire Gamma", kind="research")  # someone else adds it meanwhile
    response = staff.post(preview_url, {"fingerprint": fingerprint})
    assert response.status_code == 302 and response["Location"] == preview_url
    assert "ont changé depuis l" in staff.get(preview_url).content.decode()
    assert not Organisation.objects.filter(siren=ACME).exists()


def test_writers_who_may_not_publish_create_drafts_once_the_workflow_exists(client, pole):
    content_type = ContentType.objects.get_for_model(Organisation)
    Permission.objects.get_or_create(codename="publish_organisation", content_type=content_type, defaults={"name": "p"})
    client.force_login(user_with(*IMPORTER))
    preview_url = upload(client, pole, csv_file("nom", "Brouillon SA"))["Location"]
    assert "état de publication : Brouillon" in client.get(preview_url).content.decode()
    confirm(client, preview_url)
    assert Organisation.objects.get(name="Brouillon SA").status == "draft"


def test_other_methods_and_unknown_previews_are_answered_cleanly(staff):
    assert staff.put(IMPORT_URL).status_code == 405
    assert staff.delete(IMPORT_URL + "modele.csv").status_code == 405
    response = staff.get(IMPORT_URL + "jeton-inconnu/")
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
