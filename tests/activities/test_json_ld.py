"""schema.org JSON-LD on activity pages: an Event for events, a CreativeWork or NewsArticle else."""

import json
import re

import pytest

from coalition.activities.models import ProgrammeRole
from tests.factories.activities import WEBINAR_END, WEBINAR_START, EventFactory
from tests.factories.members import OrganizationFactory, PersonFactory, focal_point_of

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(client, activity, language="en"):
    html = client.get(f"/{language}/activities/{activity.slug}/").content.decode()
    scripts = SCRIPT.findall(html)
    assert len(scripts) == 1
    return json.loads(scripts[0]), scripts[0]


def test_event_for_the_open_education_week_webinar(client):
    organization = OrganizationFactory(name_en="UNESCO")
    webinar = EventFactory(
        title_en="OER Dynamic Coalition webinar",
        starts_at=WEBINAR_START,
        ends_at=WEBINAR_END,
        time_zone="Europe/Paris",
        organizations=[organization],
        summary_en="<p>Best practices for <em>open</em> education.</p>",
    )
    webinar.languages.add("en", "fr")
    speaker = PersonFactory(name="Zeynep Varoglu")
    ProgrammeRole.objects.create(activity=webinar, person=speaker, role="speaker")
    hidden = PersonFactory(name="Private Speaker", public_profile=False)
    ProgrammeRole.objects.create(activity=webinar, person=hidden, role="speaker")
    data, _raw = json_ld(client, webinar)
    page = f"http://127.0.0.1:8000/en/activities/{webinar.slug}/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "OER Dynamic Coalition webinar",
        "startDate": "2023-03-09T16:00:00+01:00",
        "endDate": "2023-03-09T17:00:00+01:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": page},
        "organizer": [
            {
                "@type": "Organization",
                "name": "UNESCO",
                "url": f"http://127.0.0.1:8000/en/organizations/{organization.slug}/",
            }
        ],
        "performer": [{"@type": "Person", "name": "Zeynep Varoglu"}],
        "description": "Best practices for open education.",
        "inLanguage": ["en", "fr"],
        "url": page,
    }


def test_access_link_never_appears(client):
    event = EventFactory(
        access_url="https://zoom.example/j/secret-room", contact_email="c@example.org"
    )
    _data, raw = json_ld(client, event)
    assert "secret-room" not in raw
    assert "c@example.org" not in raw


def test_cancelled_event(client):
    data, _raw = json_ld(client, EventFactory(is_cancelled=True))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("is_online", "location", "mode", "location_types"),
    [
        (False, "UNESCO Headquarters, Paris", "Offline", ["Place"]),
        (True, "Geneva, CICG", "Mixed", ["VirtualLocation", "Place"]),
    ],
)
def test_attendance_mode_and_location(client, is_online, location, mode, location_types):
    data, _raw = json_ld(client, EventFactory(is_online=is_online, location=location))
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode"
    places = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [place["@type"] for place in places] == location_types
    assert places[-1] == {"@type": "Place", "name": location, "address": location}


def test_title_cannot_close_the_script_element(client):
    event = EventFactory(title_en='Webinar</script><script>alert("x")</script> & more')
    data, raw = json_ld(client, event)
    assert "</script>" not in raw and "<" not in raw and "&" not in raw
    assert data["name"] == 'Webinar</script><script>alert("x")</script> & more'


def test_page_language_and_fallback(client):
    event = EventFactory(title_en="Webinar", title_fr="Webinaire")
    data, _raw = json_ld(client, event, "fr")
    assert data["name"] == "Webinaire"
    assert data["url"].startswith("http://127.0.0.1:8000/fr/")


def test_news_is_a_news_article(client):
    news = EventFactory(
        kind="news",
        title_en="National reports published",
        starts_at=None,
        ends_at=None,
        registration_required=False,
    )
    data, _raw = json_ld(client, news)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "National reports published"
    assert data["datePublished"] == news.published_at.isoformat()
    assert data["author"][0]["@type"] == "Organization"
    assert "startDate" not in data


def test_call_is_a_creative_work_that_expires_at_its_deadline(client):
    call = EventFactory(
        kind="call",
        title_en="UNDP and DPGA call",
        starts_at=None,
        ends_at=None,
        deadline=WEBINAR_START,
        time_zone="Europe/Paris",
        registration_required=False,
    )
    data, _raw = json_ld(client, call)
    assert data["@type"] == "CreativeWork"
    assert data["expires"] == "2023-03-09T16:00:00+01:00"


def test_unpublished_activity_has_none(client):
    organization = OrganizationFactory()
    draft = EventFactory(published_at=None, state="submitted", organizations=[organization])
    client.force_login(focal_point_of(organization))
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
