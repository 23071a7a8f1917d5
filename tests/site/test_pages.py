import pytest
from django.test import Client

from tests.factories.members import OrganizationFactory, SecretariatFactory, UserFactory
from tests.support.queries import assert_list_queries_flat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es", "ru", "zh-hans"])
def test_home_renders_in_every_un_language_with_direction(client, language):
    OrganizationFactory(name_en="Nantes Université")
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert ('dir="rtl"' in response.text) is (language == "ar")


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_home_title_is_words_only(client, language):
    from django.utils import translation

    response = client.get(f"/{language}/")
    title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
    with translation.override(language):
        expected = f"{translation.gettext('Home')} · {translation.gettext('OER Coalition Hub')}"
    assert title == expected
    assert "<script" not in title


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    page = client.get("/en/organizations/?region=africa").text
    for language in ["ar", "fr", "es", "ru", "zh-hans"]:
        assert f'href="/{language}/organizations/?region=africa"' in page


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_404_page_is_translated_and_in_the_layout(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert 'lang="fr"' in response.text
    assert "<main" in response.text


def test_500_page_renders_without_database_or_context():
    from coalition.site.views import server_error

    client = Client(raise_request_exception=False)
    response = server_error(client.get("/en/").wsgi_request)
    assert response.status_code == 500
    assert b"<h1>" in response.content


def test_my_hub_needs_sign_in(client):
    assert client.get("/en/my-hub/").status_code == 302


def test_my_hub_shows_secretariat_queue(client):
    client.force_login(SecretariatFactory())
    assert "membership application" in client.get("/en/my-hub/").text


def test_secretariats_my_hub_links_to_the_update_editor_and_names_the_update_once(client):
    client.force_login(SecretariatFactory())
    page = client.get("/en/my-hub/").text
    assert 'href="/en/updates/manage/"' in page
    assert 'href="/en/updates/subscribers/"' in page
    assert page.count(">The Update</h2>") == 1


def test_members_my_hub_has_no_update_editor_link(client):
    client.force_login(UserFactory())
    page = client.get("/en/my-hub/").text
    assert "/en/updates/manage/" not in page
    assert page.count(">The Update</h2>") == 1


def test_logout_requires_post_with_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post("/en/accounts/logout/").status_code == 403


# What each page lists of the group's member organizations.
LISTED = {
    "/en/": lambda response: response.context["member_count"],
    "/en/working-groups/": lambda response: sum(
        group.organization_count for group in response.context["groups"]
    ),
    "/en/working-groups/capacity-building/": lambda response: len(
        response.context["organizations"]
    ),
}


@pytest.mark.parametrize("url", list(LISTED))
def test_query_count_does_not_grow_with_members(client, url):
    from tests.factories.members import MembershipFactory, working_group

    group = working_group()

    def add(n):
        for _ in range(n):
            group.organizations.add(OrganizationFactory())
            MembershipFactory(working_group=group)
        return n

    add(2)
    assert_list_queries_flat(client, url, grow=lambda: add(20), rows=LISTED[url], most=12)


def test_favicon_leads_to_the_hubs_icon(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/site/favicon.svg")
    with open(finders.find("site/favicon.svg"), encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")
    page = client.get("/en/")
    assert 'rel="icon"' in page.text


def test_my_hub_request_count_of_a_chair_follows_the_requests_page(client):
    from coalition.members.models import WorkingGroupMembership
    from tests.factories.members import MembershipFactory, chair_of, working_group

    group = working_group("capacity-building")
    chair = chair_of(group)
    requests = [
        MembershipFactory(working_group=group, status=WorkingGroupMembership.Status.REQUESTED)
        for _ in range(3)
    ]
    client.force_login(chair)
    assert "3 requests to decide" in client.get("/en/my-hub/").text

    response = client.post(
        f"/en/working-groups/{group.slug}/requests/",
        {"membership": requests[0].pk, "decision": "accept"},
    )
    assert response.status_code == 302

    page = client.get("/en/my-hub/").text
    assert "2 requests to decide" in page
    assert page.count("requests to decide") == 1
