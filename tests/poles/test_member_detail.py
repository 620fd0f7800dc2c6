import pytest

from tests.factories import make_membership, make_organisation, make_pole

pytestmark = pytest.mark.django_db


def test_it_shows_the_naf_label_and_the_poles_with_dates(client):
    organisation = make_organisation(naf_code="62.01Z", siren="732829320")
    make_membership(make_pole(name="Pôle témoin"), organisation, since_year=2012)
    html = client.get(f"/membres/{organisation.slug}/").content.decode()
    assert "Programmation informatique" in html
    assert "Pôle témoin" in html
    assert '<time datetime="2012">2012</time>' in html


def test_a_draft_organisation_is_a_404(client):
    organisation = make_organisation(status="draft")
    assert client.get(f"/membres/{organisation.slug}/").status_code == 404


def test_query_count_does_not_grow_with_memberships(client, django_assert_max_num_queries):
    organisation = make_organisation()
    make_membership(make_pole(), organisation)
    with django_assert_max_num_queries(9) as before:
        client.get(organisation.get_absolute_url())
    for _ in range(10):
        make_membership(make_pole(), organisation)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(organisation.get_absolute_url())
