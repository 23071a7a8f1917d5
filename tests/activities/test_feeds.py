"""The Atom feed of published activities: newest first, the list's filters, the page language."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.activities import EventFactory, RegistrationFactory
from tests.factories.members import OrganizationFactory, working_group

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/en/activities/feed.atom"


def entries(client, url=FEED):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the Hub's own output
    return root, root.findall(f"{ATOM}entry")


def titles(client, url=FEED):
    return [entry.findtext(f"{ATOM}title") for entry in entries(client, url)[1]]


def published(days_ago, **kwargs):
    return EventFactory(published_at=timezone.now() - timedelta(days=days_ago), **kwargs)


def test_newest_first_and_only_published(client):
    published(3, title_en="Older")
    published(1, title_en="Newer", kind="news", starts_at=None, ends_at=None)
    EventFactory(title_en="Draft", published_at=None, state="submitted")
    assert titles(client) == ["Newer", "Older"]


def test_entry_links_to_the_activity_page_with_its_summary_and_organizations(client):
    organization = OrganizationFactory(name_en="Commonwealth of Learning")
    event = published(1, title_en="OER webinar", organizations=[organization])
    event.action_areas.add(2)
    root, (entry,) = entries(client)
    page = f"http://127.0.0.1:8000/en/activities/{event.slug}/"
    assert entry.find(f"{ATOM}link").get("href") == page
    assert entry.findtext(f"{ATOM}id") == page
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Commonwealth of Learning"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>A webinar of the Coalition on <strong>open licences</strong>.</p>"
    categories = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert categories[0] == "Event" and len(categories) == 2
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"http://127.0.0.1:8000{FEED}"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


@pytest.mark.parametrize(
    "query",
    ["kind=news", "working_group=supportive-policy", "action_area=4", "organization={org}"],
)
def test_filters_are_the_lists(client, query):
    organization = OrganizationFactory()
    wanted = published(
        1,
        title_en="Wanted",
        kind="news",
        starts_at=None,
        ends_at=None,
        organizations=[organization],
    )
    wanted.working_groups.add(working_group("supportive-policy"))
    wanted.action_areas.add(4)
    published(2, title_en="Other")
    query = query.format(org=organization.slug)
    root, found = entries(client, f"{FEED}?{query}")
    assert [entry.findtext(f"{ATOM}title") for entry in found] == ["Wanted"]
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://127.0.0.1:8000/en/activities/?{query}"
    )


def test_feed_in_the_page_language_with_fallback(client):
    published(1, title_en="Webinar", title_fr="Webinaire")
    published(2, title_en="Only English")
    root, _entries = entries(client, "/fr/activities/feed.atom")
    assert titles(client, "/fr/activities/feed.atom") == ["Webinaire", "Only English"]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert root.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("http://127.0.0.1:8000/fr/")


def test_no_private_data(client):
    event = published(
        1,
        access_url="https://zoom.example/j/secret-room",
        contact_name="Hidden Person",
        contact_email="hidden.contact@example.org",
        contact_is_public=False,
    )
    RegistrationFactory(activity=event, email="registrant@example.org", name="Registrant Name")
    body = client.get(FEED).content.decode()
    assert event.slug in body
    secrets = ("secret-room", "hidden.contact@", "Hidden Person", "registrant@", "Registrant Name")
    for secret in secrets:
        assert secret not in body


def test_query_count_does_not_grow_with_the_number_of_activities(client):
    def count():
        with CaptureQueriesContext(connection) as context:
            client.get(f"{FEED}?working_group=capacity-building")
        return len(context.captured_queries)

    def add(number):
        for _ in range(number):
            event = published(1, organizations=[OrganizationFactory(), OrganizationFactory()])
            event.working_groups.add(working_group())
            event.action_areas.add(1, 2)

    add(2)
    count()  # the first request also reads the Site, which Django then keeps in memory
    few = count()
    add(15)
    assert count() == few
    assert few <= 6
