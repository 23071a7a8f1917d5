"""The activities API: public reads with the pages' filters, role-checked writes through
the web form's rules and the services, JSON errors with reasons, constant queries."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from openapi_spec_validator import validate

from coalition.activities.models import (
    Activity,
    ProgrammeRole,
    Registration,
    State,
    Submission,
)
from coalition.activities.services import moderation
from coalition.activities.services import registration as registrations
from coalition.members.models import Organization
from tests.factories.activities import (
    activity_data,
    published_activity,
    submitted_activity,
    upcoming_event,
)
from tests.factories.members import (
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
    working_group,
)
from tests.support.clients import api_items, signed_in
from tests.support.roles import (
    anonymous,
    focal_point_of_another_organization,
    member,
    own_focal_point,
    secretariat,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
# Ten in the morning (UTC) a month from now, so that days in the filters are predictable.
SOON = (timezone.now() + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)


# Building activities ---------------------------------------------------------------------


def event(organization=None, *, start=SOON, hours=1, **overrides):
    """A published event starting at `start` (UTC), organized in Paris."""
    return published_activity(
        organization,
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=hours)).isoformat(),
        **overrides,
    )


def not_an_event(kind, organization=None, **overrides):
    fields = {
        "kind": kind,
        "event_format": "",
        "starts_at": None,
        "ends_at": None,
        "time_zone": "",
        "registration_required": False,
        "access_url": "",
    }
    if kind == "call":
        fields.update(deadline="2023-04-02T21:59:00+00:00", time_zone="Europe/Paris")
    fields.update(overrides)
    return published_activity(organization, **fields)


def registration(activity, status=Registration.Status.CONFIRMED, **fields):
    fields.setdefault("name", "Maha Bali")
    fields.setdefault("email", f"registrant{Registration.objects.count()}@example.net")
    return Registration.objects.create(activity=activity, status=status, **fields)


def slugs(response):
    return [item["slug"] for item in api_items(response)]


def titles(response):
    return [item["title"]["value"] for item in api_items(response)]


# Activities: reading ---------------------------------------------------------------------


def test_activity_list_shows_a_published_event_with_its_public_fields(client):
    organization = OrganizationFactory(name_en="UNESCO", slug="unesco")
    activity = published_activity(organization)

    response = client.get("/api/activities")

    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item == {
        "id": activity.pk,
        "slug": activity.slug,
        "kind": {"code": "event", "name": "Event"},
        "event_format": {"code": "webinar", "name": "Webinar"},
        "title": {
            "value": "OER Dynamic Coalition webinar for Open Education Week 2023",
            "language": "en",
            "is_fallback": False,
        },
        "summary": {
            "value": "<p>Best practices for open education.</p>",
            "language": "en",
            "is_fallback": False,
        },
        "organizations": [{"slug": "unesco", "name": "UNESCO", "name_language": "en"}],
        "action_areas": [1, 5],
        "working_groups": [],
        "languages": ["en", "fr"],
        "countries": [{"code": "MG", "name": "Madagascar"}],
        "regions": [],
        "links": [{"label": "Programme", "url": "https://example.org/programme"}],
        "cited_records": [],
        "contact": None,
        "url": f"http://testserver/en/activities/{activity.slug}/",
        "published_at": item["published_at"],
        "starts_at": "2023-03-09T15:00:00Z",
        "ends_at": "2023-03-09T16:00:00Z",
        "time_zone": "Europe/Paris",
        "organizer_time": "Thursday, 9 March 2023, 16:00–17:00 CET",
        "deadline": None,
        "deadline_organizer_time": None,
        "is_online": True,
        "location": "",
        "is_cancelled": False,
        # Over: no registration is taken any more.
        "registration": {"required": True, "open": False, "capacity": None, "places_left": None},
    }
    assert item["published_at"].startswith(str(activity.published_at.year))


def test_activity_list_never_shows_access_link_private_contact_or_registrants(client):
    activity = event(capacity=10)
    registration(activity, name="Registrant Person", email="registrant@example.net")

    body = client.get("/api/activities").content.decode()
    detail = client.get(f"/api/activities/{activity.slug}").content.decode()
    events = client.get("/api/events").content.decode()

    for answer in (body, detail, events):
        assert "zoom.example" not in answer
        assert "access_url" not in answer
        assert "aa.dabo@example.org" not in answer
        assert "Aissatou Dabo" not in answer
        assert "Registrant Person" not in answer
        assert "registrant@example.net" not in answer
    assert json.loads(detail)["contact"] is None


def test_activity_contact_is_shown_when_the_submitter_made_it_public(client):
    activity = published_activity(contact_is_public=True)

    [item] = api_items(client.get("/api/activities"))

    assert item["contact"] == {"name": "Aissatou Dabo", "email": "aa.dabo@example.org"}
    assert client.get(f"/api/activities/{activity.slug}").json()["contact"] == item["contact"]


def test_activity_list_leaves_out_what_is_not_published(client):
    published = published_activity(title_en="Published")
    submitted_activity(title_en="Waiting")
    unpublished = published_activity(title_en="Unpublished")
    Activity.objects.filter(pk=unpublished.pk).update(published_at=None)

    assert slugs(client.get("/api/activities")) == [published.slug]


def test_activity_list_is_newest_first(client):
    first = published_activity(title_en="First")
    second = published_activity(title_en="Second")
    Activity.objects.filter(pk=first.pk).update(published_at=timezone.now() - timedelta(days=2))

    assert slugs(client.get("/api/activities")) == [second.slug, first.slug]


def test_call_shows_its_deadline_on_both_clocks_and_takes_no_registration(client):
    not_an_event("call", title_en="UNDP and DPGA call for OER")

    [item] = api_items(client.get("/api/activities"))

    assert item["kind"] == {"code": "call", "name": "Call for submissions"}
    assert item["event_format"] is None
    assert item["deadline"] == "2023-04-02T21:59:00Z"
    assert item["deadline_organizer_time"] == "Sunday, 2 April 2023, 23:59 CEST"
    assert item["time_zone"] == "Europe/Paris"
    assert item["starts_at"] is None and item["organizer_time"] is None
    assert item["registration"] is None


def test_registration_shows_places_left_of_an_upcoming_event(client):
    activity = event(capacity=2)
    registration(activity)
    registration(activity, status=Registration.Status.CANCELLED)
    registration(activity, status=Registration.Status.WAITING)

    [item] = api_items(client.get("/api/activities"))

    assert item["registration"] == {
        "required": True,
        "open": True,
        "capacity": 2,
        "places_left": 1,
    }


def test_registration_of_a_cancelled_or_closed_event_is_not_open(client):
    cancelled = event(title_en="Cancelled")
    Activity.objects.filter(pk=cancelled.pk).update(is_cancelled=True)
    event(title_en="Closed", registration_open=False)

    found = {item["title"]["value"]: item for item in api_items(client.get("/api/events"))}

    assert found["Cancelled"]["is_cancelled"] is True
    assert found["Cancelled"]["registration"]["open"] is False
    assert found["Closed"]["registration"]["open"] is False


@pytest.fixture
def assorted():
    """One published activity per filter value, named after what sets it apart."""
    madagascar = OrganizationFactory(name_en="Madagascar OER", slug="madagascar-oer")
    group = working_group("supportive-policy")
    published_activity(
        madagascar,
        kind="initiative",
        event_format="",
        title_en="Policy initiative",
        starts_at=None,
        ends_at=None,
        time_zone="",
        registration_required=False,
        action_areas=[2],
        working_groups=[group.pk],
        languages=["fr"],
        countries=[],
        regions=["arab-states"],
    )
    event(
        title_en="Webinar in Madagascar",
        start=datetime(2024, 5, 10, 12, tzinfo=UTC),
        action_areas=[1],
        languages=["en"],
        countries=["MG"],
    )
    event(
        title_en="Conference in Brazil",
        start=datetime(2024, 9, 20, 12, tzinfo=UTC),
        action_areas=[4],
        languages=["pt"],
        countries=["BR"],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Conference in Brazil", "Policy initiative", "Webinar in Madagascar"]),
        ({"kind": "initiative"}, ["Policy initiative"]),
        ({"kind": "event"}, ["Conference in Brazil", "Webinar in Madagascar"]),
        ({"action_area": 4}, ["Conference in Brazil"]),
        ({"working_group": "supportive-policy"}, ["Policy initiative"]),
        ({"language": "pt"}, ["Conference in Brazil"]),
        ({"language": "PT"}, ["Conference in Brazil"]),
        ({"region": "arab-states"}, ["Policy initiative"]),
        ({"region": "africa"}, ["Webinar in Madagascar"]),
        ({"country": "br"}, ["Conference in Brazil"]),
        ({"organization": "madagascar-oer"}, ["Policy initiative"]),
        ({"date_from": "2024-06-01"}, ["Conference in Brazil", "Policy initiative"]),
        ({"date_to": "2024-06-01"}, ["Webinar in Madagascar"]),
        ({"date_from": "2024-05-01", "date_to": "2024-05-31"}, ["Webinar in Madagascar"]),
        ({"q": "webinar"}, ["Webinar in Madagascar"]),
        ({"q": "nothing like this"}, []),
        ({"language": "fr", "kind": "initiative", "action_area": 2}, ["Policy initiative"]),
    ],
)
def test_activity_list_filters_as_the_activities_page(client, assorted, query, expected):
    assert sorted(titles(client.get("/api/activities", query))) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"action_area": 9}, "action_area"),
        ({"working_group": "knitting"}, "working_group"),
        ({"language": "xx"}, "language"),
        ({"region": "mars"}, "region"),
        ({"country": "ZZ"}, "country"),
        ({"organization": "nobody"}, "organization"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "date_to"),
        ({"limit": 0}, "limit"),
        ({"lang": "de"}, "lang"),
    ],
)
def test_activity_list_with_invalid_filter_is_400_with_the_field(client, query, field):
    response = client.get("/api/activities", query)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Some values are not valid; see the errors by field."
    assert field in body["errors"], body


def test_activity_list_is_paginated_with_links(client):
    for number in range(5):
        published_activity(title_en=f"Activity {number}")

    first = client.get("/api/activities", {"limit": 2}).json()
    last = client.get("/api/activities", {"limit": 2, "offset": 4}).json()

    assert first["count"] == 5 and len(first["items"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/activities?limit=2&offset=2"
    assert [item["title"]["value"] for item in last["items"]] == ["Activity 0"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/activities?limit=2&offset=2"


def test_activity_title_falls_back_visibly_to_another_language(client):
    activity = published_activity(
        title_fr="Webinaire de la Coalition",
        summary_en="",
        summary_fr="<p>Résumé</p>",
        summary_ar="<p>ملخص</p>",
    )
    Activity.objects.filter(pk=activity.pk).update(title_en="")

    [item] = api_items(client.get("/api/activities", {"lang": "ar"}))

    assert item["title"] == {
        "value": "Webinaire de la Coalition",
        "language": "fr",
        "is_fallback": True,
    }
    assert item["summary"] == {"value": "<p>ملخص</p>", "language": "ar", "is_fallback": False}


def test_activity_list_speaks_the_language_of_accept_language(client):
    published_activity(title_fr="Webinaire de la Coalition")

    response = client.get("/api/activities", HTTP_ACCEPT_LANGUAGE="fr")

    [item] = api_items(response)
    assert response["Content-Language"] == "fr"
    assert item["title"]["value"] == "Webinaire de la Coalition"
    assert item["kind"]["name"] == "Événement"
    assert item["organizer_time"] == "jeudi 9 mars 2023, 16:00–17:00 CET"
    assert item["countries"] == [{"code": "MG", "name": "Madagascar"}]
    assert item["url"].startswith("http://testserver/fr/activities/")


def test_lang_parameter_wins_over_accept_language(client):
    published_activity()

    response = client.get("/api/activities?lang=es", HTTP_ACCEPT_LANGUAGE="fr")

    [item] = api_items(response)
    assert response["Content-Language"] == "es"
    assert item["title"] == {
        "value": "OER Dynamic Coalition webinar for Open Education Week 2023",
        "language": "en",
        "is_fallback": True,
    }


# Events ----------------------------------------------------------------------------------


def test_event_list_shows_upcoming_events_soonest_first(client):
    later = event(title_en="Later", start=SOON + timedelta(days=3))
    sooner = event(title_en="Sooner")
    event(title_en="Over", start=SOON - timedelta(days=365))
    not_an_event("news", title_en="News")

    assert slugs(client.get("/api/events")) == [sooner.slug, later.slug]


def test_event_list_shows_past_events_latest_first_when_asked(client):
    event(title_en="Upcoming")
    older = event(title_en="Older", start=SOON - timedelta(days=400))
    recent = event(title_en="Recent", start=SOON - timedelta(days=365))

    assert slugs(client.get("/api/events", {"when": "past"})) == [recent.slug, older.slug]


def test_event_list_keeps_an_event_on_until_it_ends(client):
    running = event(start=timezone.now() - timedelta(minutes=30), hours=2)

    assert slugs(client.get("/api/events")) == [running.slug]
    assert slugs(client.get("/api/events", {"when": "past"})) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"working_group": "capacity-building"}, ["In capacity building"]),
        ({"action_area": 3}, ["In Spanish"]),
        ({"language": "es"}, ["In Spanish"]),
        ({"country": "JP"}, ["In Japan"]),
        ({"region": "asia-pacific"}, ["In Japan"]),
        ({"organization": "hosts"}, ["By the hosts"]),
        ({"q": "japan"}, ["In Japan"]),
        (
            {"date_to": (SOON + timedelta(days=1)).date().isoformat()},
            ["By the hosts", "In capacity building"],
        ),
        ({"date_from": (SOON + timedelta(days=2)).date().isoformat()}, ["In Japan", "In Spanish"]),
    ],
)
def test_event_list_filters_as_the_events_page(client, query, expected):
    event(
        OrganizationFactory(slug="hosts"),
        title_en="By the hosts",
        countries=[],
        languages=[],
        action_areas=[],
    )
    event(
        title_en="In capacity building",
        start=SOON + timedelta(days=1, hours=12),
        working_groups=[working_group("capacity-building").pk],
        countries=[],
    )
    event(title_en="In Japan", start=SOON + timedelta(days=2), countries=["JP"])
    event(
        title_en="In Spanish",
        start=SOON + timedelta(days=3),
        languages=["es"],
        action_areas=[3],
        countries=[],
    )

    assert sorted(titles(client.get("/api/events", query))) == expected


def test_event_list_takes_no_kind_and_an_unknown_when_is_400(client):
    event()
    not_an_event("news")

    assert len(api_items(client.get("/api/events", {"kind": "news"}))) == 1
    response = client.get("/api/events", {"when": "tomorrow"})
    assert response.status_code == 400
    assert "when" in response.json()["errors"]


# One activity ----------------------------------------------------------------------------


def test_activity_detail_adds_state_and_the_public_programme(client):
    activity = published_activity()
    speaker = PersonFactory(name="Tel Amiel", slug="tel-amiel", public_profile=True)
    hidden = PersonFactory(name="Private Speaker", public_profile=False)
    ProgrammeRole.objects.create(
        activity=activity,
        person=speaker,
        role=ProgrammeRole.Role.SPEAKER,
        title_on_programme="UNESCO Chair in Distance Education",
    )
    ProgrammeRole.objects.create(activity=activity, person=hidden, role="chair")

    response = client.get(f"/api/activities/{activity.slug}")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == activity.slug
    assert body["state"] == "published"
    assert body["organizer_time"] == "Thursday, 9 March 2023, 16:00–17:00 CET"
    assert body["programme"] == [
        {
            "role": {"code": "speaker", "name": "Speaker"},
            "person": {
                "slug": "tel-amiel",
                "name": "Tel Amiel",
                "url": "http://testserver/en/people/tel-amiel/",
            },
            "title_on_programme": "UNESCO Chair in Distance Education",
        }
    ]
    assert "Private Speaker" not in response.content.decode()


def test_activity_detail_of_unknown_slug_is_404_json(client):
    response = client.get("/api/activities/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no published activity with this name."}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 404),
        (member, 404),
        (focal_point_of_another_organization, 404),
        (own_focal_point, 200),
        (secretariat, 200),
    ],
)
def test_unpublished_activity_is_shown_only_to_its_organizers_and_the_secretariat(
    client, who, status
):
    organization = OrganizationFactory()
    activity = submitted_activity(organization)

    response = signed_in(client, who(organization)).get(f"/api/activities/{activity.slug}")

    assert response.status_code == status
    if status == 200:
        assert response.json()["state"] == "submitted"
        assert "zoom.example" not in response.content.decode()
    else:
        assert response.json() == {"detail": "There is no published activity with this name."}


# Submitting ------------------------------------------------------------------------------


def payload(organization, **overrides):
    """The WSIS Action Line C7 session of 16 March 2023, as the API takes it."""
    data = {
        "on_behalf_of": organization.slug,
        "kind": "event",
        "event_format": "conference-session",
        "titles": {"en": "WSIS Action Line C7: e-Learning", "fr": "SMSI C7 : cyberapprentissage"},
        "summaries": {"en": "<p>The Recommendation.</p><script>alert(1)</script>"},
        "action_areas": [5],
        "working_groups": ["international-cooperation"],
        "languages": ["en", "fr"],
        "countries": ["ch"],
        "regions": ["africa"],
        "time_zone": "Europe/Zurich",
        "starts_at": "2023-03-16T15:00:00+01:00",
        "ends_at": "2023-03-16T14:30:00Z",
        "location": "Geneva",
        "is_online": True,
        "registration_required": True,
        "capacity": 100,
        "access_url": "https://unesco.zoom.example/j/456",
        "links": [{"label": "WSIS Forum", "url": "https://www.itu.int/net4/wsis/forum/2023/"}],
        "contact_name": "Zeynep Varoglu",
        "contact_email": "z.varoglu@example.org",
    }
    data.update(overrides)
    return data


def post_activity(client, data):
    return client.post("/api/activities", data, content_type=JSON)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (own_focal_point, 201),
        (secretariat, 201),
    ],
)
def test_submit_activity_role_matrix(client, who, status):
    organization = OrganizationFactory()

    response = post_activity(signed_in(client, who(organization)), payload(organization))

    assert response.status_code == status, response.content
    assert Activity.objects.exists() == (status == 201)
    if status == 401:
        assert response.json() == {"detail": "Please sign in first."}
    if status == 403:
        assert response.json() == {"detail": "You are not allowed to do this."}


def test_submitted_activity_waits_for_moderation_with_exact_times(client):
    organization = OrganizationFactory(name_en="ITU", slug="itu")
    user = focal_point_of(organization)

    response = post_activity(signed_in(client, user), payload(organization))

    assert response.status_code == 201, response.content
    activity = Activity.objects.get()
    submission = Submission.objects.get()
    assert activity.state == State.SUBMITTED and not activity.is_published
    assert activity.created_by == user
    # 15:00 in Geneva (CET) is 14:00 UTC; the end was given in UTC.
    assert activity.starts_at == datetime(2023, 3, 16, 14, tzinfo=UTC)
    assert activity.ends_at == datetime(2023, 3, 16, 14, 30, tzinfo=UTC)
    assert activity.time_zone == "Europe/Zurich"
    assert activity.title_fr == "SMSI C7 : cyberapprentissage"
    assert "<script>" not in activity.summary_en
    assert list(activity.working_groups.values_list("slug", flat=True)) == [
        "international-cooperation"
    ]
    body = response.json()
    assert body["id"] == submission.pk
    assert body["status"] == "pending"
    assert body["is_edit_of_published"] is False
    assert body["on_behalf_of"] == {"slug": "itu", "name": "ITU", "name_language": "en"}
    assert body["activity"]["slug"] == activity.slug
    assert body["activity"]["state"] == "submitted"
    assert body["activity"]["is_published"] is False
    proposed = body["proposed"]
    assert proposed["starts_at"] == "2023-03-16T14:00:00Z"
    assert proposed["ends_at"] == "2023-03-16T14:30:00Z"
    assert proposed["titles"] == {
        "en": "WSIS Action Line C7: e-Learning",
        "fr": "SMSI C7 : cyberapprentissage",
    }
    assert proposed["summaries"] == {"en": "<p>The Recommendation.</p>"}
    assert proposed["organizations"] == ["itu"]
    assert proposed["working_groups"] == ["international-cooperation"]
    assert proposed["countries"] == ["CH"]
    assert proposed["regions"] == ["africa"]
    # The submitter sees what they sent, the access link included.
    assert proposed["access_url"] == "https://unesco.zoom.example/j/456"
    assert proposed["links"] == [
        {"label": "WSIS Forum", "url": "https://www.itu.int/net4/wsis/forum/2023/"}
    ]


def test_submitted_activity_can_name_co_organizers_by_slug(client):
    organization = OrganizationFactory(slug="unesco")
    OrganizationFactory(slug="dpga")

    response = post_activity(
        signed_in(client, focal_point_of(organization)),
        payload(organization, organizations=["dpga"]),
    )

    assert response.status_code == 201, response.content
    assert sorted(response.json()["proposed"]["organizations"]) == ["dpga", "unesco"]
    assert set(Activity.objects.get().organizations.values_list("slug", flat=True)) == {
        "unesco",
        "dpga",
    }


def test_submitting_tells_the_submitter_and_the_secretariat(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    user = focal_point_of(organization)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_activity(signed_in(client, user), payload(organization))

    assert response.status_code == 201
    assert {message.to[0] for message in mail.outbox} == {user.email, "secretariat@localhost"}


def test_event_across_the_autumn_clock_change_keeps_the_instants_given(client):
    """01:30 UTC is 02:30 CET (the second 02:30 of that night in Paris); the session of
    45 minutes starts at 02:30 CEST, before it: as wall-clock times it would look
    reversed."""
    organization = OrganizationFactory()

    response = post_activity(
        signed_in(client, focal_point_of(organization)),
        payload(
            organization,
            time_zone="Europe/Paris",
            starts_at="2023-10-29T02:30:00+02:00",
            ends_at="2023-10-29T02:15:00+01:00",
        ),
    )

    assert response.status_code == 201, response.content
    activity = Activity.objects.get()
    assert activity.starts_at == datetime(2023, 10, 29, 0, 30, tzinfo=UTC)
    assert activity.ends_at == datetime(2023, 10, 29, 1, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2023-03-16T13:00:00Z"}, "ends_at"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"starts_at": "2023-03-16T15:00:00"}, "starts_at"),
        ({"starts_at": "the ides of March"}, "starts_at"),
        ({"links": [{"label": "Click", "url": "javascript:alert(1)"}]}, "links"),
        ({"access_url": "javascript:alert(1)"}, "access_url"),
        ({"titles": {}}, "titles"),
        ({"titles": {"en": "  "}}, "titles"),
        ({"titles": {"en": "x" * 256}}, "titles.en"),
        ({"titles": {"de": "Titel"}}, "titles.de"),
        ({"starts_at": None}, "starts_at"),
        ({"event_format": None}, "event_format"),
        ({"kind": "party"}, "kind"),
        ({"kind": "call", "starts_at": None, "ends_at": None}, "deadline"),
        ({"kind": "news", "registration_required": True}, "registration_required"),
        ({"action_areas": [9]}, "action_areas"),
        ({"working_groups": ["knitting"]}, "working_groups"),
        ({"organizations": ["nobody"]}, "organizations"),
        ({"languages": ["xx"]}, "languages"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"regions": ["mars"]}, "regions.0"),
        ({"capacity": 0}, "capacity"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"on_behalf_of": "nobody"}, "on_behalf_of"),
    ],
)
def test_submit_bad_input_is_400_with_the_field_and_saves_nothing(client, overrides, field):
    organization = OrganizationFactory()

    response = post_activity(
        signed_in(client, focal_point_of(organization)), payload(organization, **overrides)
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Some values are not valid; see the errors by field."
    assert field in body["errors"], body
    assert all(body["errors"][field]), body
    assert not Activity.objects.exists()
    assert not Submission.objects.exists()


def test_submit_bad_input_reasons_are_the_forms(client):
    organization = OrganizationFactory()
    client = signed_in(client, focal_point_of(organization))

    errors = post_activity(
        client,
        payload(
            organization,
            titles={},
            ends_at="2023-03-16T13:00:00Z",
            time_zone="Mars/Olympus_Mons",
            starts_at="2023-03-16T15:00:00+01:00",
            links=[{"label": "Click", "url": "javascript:alert(1)"}],
        ),
    ).json()["errors"]

    assert errors["titles"] == ["Give a title in at least one language."]
    assert errors["ends_at"] == ["The end is before the start."]
    assert errors["time_zone"] == [
        "“Mars/Olympus_Mons” is not a known time zone. Use a name such as Europe/Paris or "
        "Asia/Tokyo."
    ]
    assert errors["links"] == [
        "Line 1: “javascript:alert(1)” is not a web address starting with http:// or https://."
    ]


def test_submit_time_without_offset_is_explained(client):
    organization = OrganizationFactory()

    response = post_activity(
        signed_in(client, focal_point_of(organization)),
        payload(organization, starts_at="2023-03-16T15:00:00"),
    )

    assert response.json()["errors"]["starts_at"] == [
        "Give the time with its offset from UTC, e.g. 2023-03-09T15:00:00Z or "
        "2023-03-09T16:00:00+01:00."
    ]


def test_submit_reasons_follow_the_requested_language(client):
    organization = OrganizationFactory()

    response = post_activity(
        signed_in(client, focal_point_of(organization)),
        payload(organization, titles={}) | {"on_behalf_of": organization.slug},
    )
    in_french = client.post(
        "/api/activities?lang=fr", payload(organization, titles={}), content_type=JSON
    )

    assert response.json()["errors"]["titles"] == ["Give a title in at least one language."]
    assert in_french.status_code == 400
    assert in_french["Content-Language"] == "fr"
    assert in_french.json()["errors"]["titles"] != ["Give a title in at least one language."]


def test_secretariat_cannot_submit_for_an_organization_that_is_not_a_member(client):
    applicant = OrganizationFactory(status=Organization.Status.APPLIED)

    response = post_activity(signed_in(client, SecretariatFactory()), payload(applicant))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "on_behalf_of": ["Only member organizations can share activities."]
    }
    assert not Activity.objects.exists()


def test_submit_needs_the_csrf_token_of_the_session():
    organization = OrganizationFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point_of(organization))

    without_token = post_activity(client, payload(organization))
    client.get("/api/docs")  # like any page of the Hub, it sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    with_token = client.post(
        "/api/activities", payload(organization), content_type=JSON, HTTP_X_CSRFTOKEN=token
    )

    assert without_token.status_code == 403
    assert "CSRF" in without_token.json()["detail"]
    assert with_token.status_code == 201, with_token.content


# Proposing a change ----------------------------------------------------------------------


def put_activity(client, activity, data):
    return client.put(f"/api/activities/{activity.slug}", data, content_type=JSON)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (own_focal_point, 200),
        (secretariat, 200),
    ],
)
def test_propose_change_role_matrix(client, who, status):
    organization = OrganizationFactory()
    activity = published_activity(organization)

    response = put_activity(
        signed_in(client, who(organization)),
        activity,
        payload(organization, titles={"en": "Renamed webinar"}),
    )

    assert response.status_code == status, response.content
    changed = Submission.objects.filter(data__title_en="Renamed webinar").exists()
    assert changed == (status == 200)


def test_change_of_a_published_activity_waits_while_the_published_version_stays(client):
    organization = OrganizationFactory()
    activity = published_activity(organization)
    client = signed_in(client, focal_point_of(organization))

    response = put_activity(
        client, activity, payload(organization, titles={"en": "Renamed webinar"})
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["is_edit_of_published"] is True
    assert body["activity"]["is_published"] is True
    assert body["proposed"]["titles"] == {"en": "Renamed webinar"}
    activity.refresh_from_db()
    assert activity.title_en == "OER Dynamic Coalition webinar for Open Education Week 2023"
    public = client.get(f"/api/activities/{activity.slug}").json()
    assert public["title"]["value"] == activity.title_en


def test_change_of_an_unpublished_activity_replaces_the_proposal(client):
    organization = OrganizationFactory()
    activity = submitted_activity(organization)
    client = signed_in(client, activity.created_by)

    response = put_activity(
        client, activity, payload(organization, titles={"en": "Renamed webinar"})
    )

    assert response.status_code == 200, response.content
    activity.refresh_from_db()
    assert activity.title_en == "Renamed webinar"
    assert list(activity.submissions.values_list("status", flat=True)) == [
        "superseded",
        "pending",
    ]


def test_change_of_an_activity_one_cannot_see_is_404(client):
    activity = submitted_activity()

    response = put_activity(
        signed_in(client, UserFactory()), activity, payload(activity.organizations.get())
    )
    unknown = client.put(
        "/api/activities/nothing", payload(activity.organizations.get()), content_type=JSON
    )

    assert response.status_code == 404
    assert unknown.status_code == 404


def test_change_on_behalf_of_an_organization_one_does_not_belong_to_is_403(client):
    organization = OrganizationFactory()
    activity = published_activity(organization)

    response = put_activity(
        signed_in(client, focal_point_of(organization)), activity, payload(OrganizationFactory())
    )

    assert response.status_code == 403
    assert activity.submissions.count() == 1


def test_change_with_bad_input_is_400_and_changes_nothing(client):
    organization = OrganizationFactory()
    activity = published_activity(organization)

    response = put_activity(
        signed_in(client, focal_point_of(organization)),
        activity,
        payload(organization, ends_at="2023-03-16T13:00:00Z"),
    )

    assert response.status_code == 400
    assert response.json()["errors"]["ends_at"] == ["The end is before the start."]
    assert activity.submissions.count() == 1


# Moderating ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (own_focal_point, 403),
        (secretariat, 200),
    ],
)
def test_moderation_queue_role_matrix(client, who, status):
    organization = OrganizationFactory()
    submitted_activity(organization)

    response = signed_in(client, who(organization)).get("/api/submissions")

    assert response.status_code == status
    if status == 200:
        assert response.json()["count"] == 1


def test_moderation_queue_lists_pending_submissions_oldest_first(client):
    older = submitted_activity(title_en="Older")
    newer = submitted_activity(title_en="Newer")
    Submission.objects.filter(activity=older).update(
        submitted_at=timezone.now() - timedelta(days=1)
    )
    decided = submitted_activity(title_en="Decided")
    moderation.decline_submission(
        decided.submissions.get(), by=SecretariatFactory(), reason="Not about OER."
    )
    client = signed_in(client, SecretariatFactory())

    queue = api_items(client.get("/api/submissions"))
    declined = api_items(client.get("/api/submissions", {"status": "declined"}))

    assert [item["activity"]["slug"] for item in queue] == [older.slug, newer.slug]
    assert queue[0]["proposed"]["titles"] == {"en": "Older"}
    assert queue[0]["proposed"]["access_url"] == "https://unesco.zoom.example/j/123"
    assert [item["message"] for item in declined] == ["Not about OER."]
    assert client.get("/api/submissions", {"status": "lost"}).status_code == 400


def decide(client, submission, action, data=None):
    return client.post(f"/api/submissions/{submission.pk}/{action}", data or {}, content_type=JSON)


@pytest.mark.parametrize("action", ["approve", "request-changes", "decline"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (own_focal_point, 403),
        (secretariat, 200),
    ],
)
def test_moderation_decision_role_matrix(client, action, who, status):
    organization = OrganizationFactory()
    submission = submitted_activity(organization).submissions.get()

    response = decide(
        signed_in(client, who(organization)), submission, action, {"message": "Please add dates."}
    )

    assert response.status_code == status, response.content
    submission.refresh_from_db()
    assert (submission.status != Submission.Status.PENDING) == (status == 200)


def test_approval_publishes_the_activity_and_tells_the_submitter(
    client, django_capture_on_commit_callbacks
):
    activity = submitted_activity()
    submission = activity.submissions.get()
    client = signed_in(client, SecretariatFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, submission, "approve")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["decided_at"]
    assert body["activity"]["state"] == "published"
    assert body["activity"]["is_published"] is True
    assert slugs(client.get("/api/activities")) == [activity.slug]
    assert mail.outbox[-1].to == [activity.created_by.email]


def test_a_decided_submission_cannot_be_decided_again(client):
    submission = submitted_activity().submissions.get()
    client = signed_in(client, SecretariatFactory())
    decide(client, submission, "approve")

    again = decide(client, submission, "decline", {"message": "Changed my mind."})

    assert again.status_code == 409
    assert again.json() == {"detail": "This submission has already been decided."}


@pytest.mark.parametrize("action", ["request-changes", "decline"])
@pytest.mark.parametrize("data", [{}, {"message": "   "}])
def test_refusing_needs_a_message(client, action, data):
    submission = submitted_activity().submissions.get()

    response = decide(signed_in(client, SecretariatFactory()), submission, action, data)

    assert response.status_code == 400
    assert response.json()["errors"] == {"message": ["Please tell the submitter why."]}
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_request_changes_sends_the_message(client, django_capture_on_commit_callbacks):
    activity = submitted_activity()

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            signed_in(client, SecretariatFactory()),
            activity.submissions.get(),
            "request-changes",
            {"message": "Please add the speakers."},
        )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "changes-requested"
    assert body["message"] == "Please add the speakers."
    assert body["activity"]["state"] == "changes-requested"
    assert "Please add the speakers." in mail.outbox[-1].body


def test_declining_an_edit_keeps_the_published_version(client):
    organization = OrganizationFactory()
    activity = published_activity(organization)
    moderation.propose_change(
        activity,
        user=focal_point_of(organization),
        organization=organization,
        data=activity_data(title_en="Renamed webinar", organizations=[organization.pk]),
    )
    edit = activity.submissions.get(status=Submission.Status.PENDING)

    response = decide(
        signed_in(client, SecretariatFactory()), edit, "decline", {"message": "Keep the name."}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["activity"]["state"] == "published"
    assert titles(client.get("/api/activities")) == [
        "OER Dynamic Coalition webinar for Open Education Week 2023"
    ]


def test_deciding_an_unknown_submission_is_404(client):
    response = decide(signed_in(client, SecretariatFactory()), Submission(pk=999), "approve")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no submission with this number."}


# Registering -----------------------------------------------------------------------------


def register(client, activity, **fields):
    data = {"name": "Maha Bali", "organization_name": "AUC", "share_contact": True} | fields
    return client.post(f"/api/events/{activity.slug}/registrations", data, content_type=JSON)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (anonymous, 401),
        (member, 202),
        (focal_point_of_another_organization, 202),
        (own_focal_point, 202),
        (secretariat, 202),
    ],
)
def test_register_role_matrix(client, who, status):
    organization = OrganizationFactory()
    activity = event(organization)

    response = register(signed_in(client, who(organization)), activity)

    assert response.status_code == status, response.content
    assert Registration.objects.filter(activity=activity).exists() == (status == 202)


def test_registration_confirms_a_place_with_the_account(client):
    activity = event(capacity=2)
    user = UserFactory(email="maha@example.net")

    response = register(signed_in(client, user), activity)

    assert response.status_code == 202, response.content
    body = response.json()
    saved = Registration.objects.get()
    assert body == {
        "event": activity.slug,
        "status": "confirmed",
        "name": "Maha Bali",
        "email": "maha@example.net",
        "organization_name": "AUC",
        "share_contact": True,
    }
    assert saved.user == user
    assert "token" not in body and "zoom.example" not in response.content.decode()


def test_registration_remembers_the_language_of_the_request_for_its_e_mails(client):
    activity = event()
    client = signed_in(client, UserFactory())

    response = client.post(
        f"/api/events/{activity.slug}/registrations?lang=fr",
        {"name": "Maha Bali"},
        content_type=JSON,
    )

    assert response.status_code == 202, response.content
    assert Registration.objects.get().language == "fr"


def test_registration_when_full_goes_to_the_waiting_list(client):
    activity = event(capacity=1)
    registration(activity)

    response = register(signed_in(client, UserFactory()), activity, email="late@example.net")

    assert response.status_code == 202
    assert response.json()["status"] == "waiting"


def test_registration_answers_the_same_whether_or_not_the_address_is_registered(
    client, django_capture_on_commit_callbacks
):
    """Nobody learns who is registered: the same status and body for a registrant's address
    as for a new one; the registrant is reminded by e-mail instead."""
    activity = event()
    registration(activity, email="maha@example.net", name="Maha Bali")
    client = signed_in(client, UserFactory())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        fresh = register(client, activity, name="Maha Bali", email="someone.new@example.net")
        again = register(client, activity, name="Maha Bali", email="Maha@Example.net")

    assert fresh.status_code == again.status_code == 202
    assert {**again.json(), "email": ""} == {**fresh.json(), "email": ""}
    assert again.json()["email"] == "maha@example.net"
    assert activity.registrations.filter(email="maha@example.net").count() == 1
    reminder = [message for message in mail.outbox if message.to == ["maha@example.net"]]
    assert len(reminder) == 1
    assert "already registered" in reminder[0].subject


def test_registering_again_with_ones_own_account_answers_as_the_first_time(
    client, django_capture_on_commit_callbacks
):
    activity = event(capacity=5)
    user = UserFactory(email="maha@example.net")
    client = signed_in(client, user)

    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, activity)
        again = register(client, activity, email="other@example.net")

    assert first.status_code == again.status_code == 202
    assert again.json()["status"] == first.json()["status"] == "confirmed"
    assert activity.registrations.count() == 1
    assert any("already registered" in message.subject for message in mail.outbox)


@pytest.mark.parametrize(
    "change",
    [
        {"registration_open": False},
        {"is_cancelled": True},
        {"starts_at": SOON - timedelta(days=60), "ends_at": SOON - timedelta(days=59)},
    ],
    ids=["closed", "cancelled", "over"],
)
def test_registration_an_event_does_not_take_is_409_with_the_services_reason(client, change):
    activity = event()
    Activity.objects.filter(pk=activity.pk).update(**change)
    with pytest.raises(ValidationError) as refused:
        registrations.register(activity, name="Maha Bali", email="maha@example.net")

    response = register(signed_in(client, UserFactory()), activity)

    assert response.status_code == 409
    assert response.json() == {"detail": " ".join(refused.value.messages)}
    assert not Registration.objects.exists()


def test_registration_for_a_closed_event_says_it_is_closed(client):
    activity = event(registration_open=False)

    response = register(signed_in(client, UserFactory()), activity)

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_registration_for_what_is_not_a_published_event_is_404(client):
    client = signed_in(client, UserFactory())

    unpublished = register(client, submitted_activity())
    news = register(client, not_an_event("news"))
    unknown = client.post("/api/events/nothing/registrations", {"name": "X"}, content_type=JSON)

    for response in (unpublished, news, unknown):
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no event with this name."}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"email": "not an address"}, "email"),
        ({"name": "x" * 201}, "name"),
        ({"share_contact": "perhaps"}, "share_contact"),
    ],
)
def test_registration_with_bad_input_is_400_with_the_field(client, fields, field):
    activity = event()

    response = register(signed_in(client, UserFactory()), activity, **fields)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Registration.objects.exists()


# Queries ---------------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def add_events(n):
    co_organizer = OrganizationFactory()
    for number in range(n):
        activity = event(
            start=SOON + timedelta(hours=number),
            organizations=[co_organizer.pk],
            working_groups=[working_group().pk, working_group("supportive-policy").pk],
            regions=["africa"],
            capacity=50,
            title_fr=f"Événement {number}",
        )
        registration(activity)
        activity.links.create(label="Slides", url="https://example.org/slides")


@override_settings(HUB_PAGE_CACHE_SECONDS=0)  # counted as rendered, not as kept
def test_activity_and_event_lists_query_count_does_not_grow_with_rows(client):
    urls = [
        "/api/activities?limit=100&lang=fr",
        "/api/events?limit=100&lang=ar",
        "/api/events?limit=100&working_group=capacity-building&language=en&region=africa",
    ]
    add_events(5)
    for url in urls:  # warm the short-lived caches (languages in use) once
        client.get(url)
    few = [queries_for(client, url) for url in urls]
    add_events(20)
    many = [queries_for(client, url) for url in urls]

    assert len(api_items(client.get("/api/events?limit=100"))) == 25
    assert few == many
    assert max(many) <= 13


def test_lists_are_kept_for_anonymous_callers_until_their_content_changes(client):
    event = upcoming_event(title_en="First Kept Event", capacity=5)
    assert [item["title"]["value"] for item in api_items(client.get("/api/events"))] == [
        "First Kept Event"
    ]
    assert queries_for(client, "/api/events") == 1  # the versions of the content
    upcoming_event(title_en="Second Kept Event")
    titles = {item["title"]["value"] for item in api_items(client.get("/api/events"))}
    assert titles == {"First Kept Event", "Second Kept Event"}
    registrations.register(event, name="Ada", email="ada@example.org")
    (first,) = [i for i in api_items(client.get("/api/events")) if i["slug"] == event.slug]
    assert first["registration"]["places_left"] == 4


def test_lists_are_never_kept_for_signed_in_callers(client):
    upcoming_event()
    client.get("/api/events")  # kept for anonymous callers
    client = signed_in(client, UserFactory())
    assert queries_for(client, "/api/events") > 1


def test_moderation_queue_query_count_does_not_grow_with_rows(client):
    client = signed_in(client, SecretariatFactory())
    for _ in range(5):
        submitted_activity(working_groups=[working_group().pk])
    few = queries_for(client, "/api/submissions?limit=100")
    for _ in range(20):
        submitted_activity(working_groups=[working_group().pk])
    many = queries_for(client, "/api/submissions?limit=100")

    assert len(api_items(client.get("/api/submissions?limit=100"))) == 25
    assert few == many


def test_activity_list_selects_no_private_column(client):
    published_activity()

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/activities")

    page_query = next(q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"])
    assert "access_url" not in page_query


# OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_is_valid_and_describes_the_activities_api():
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    validate(document)  # raises if it breaks the OpenAPI specification
    paths = document["paths"]
    assert set(paths) >= {
        "/api/activities",
        "/api/activities/{slug}",
        "/api/events",
        "/api/events/{slug}/registrations",
        "/api/submissions",
        "/api/submissions/{submission_id}/approve",
        "/api/submissions/{submission_id}/request-changes",
        "/api/submissions/{submission_id}/decline",
    }
    assert set(paths["/api/activities"]) == {"get", "post"}
    assert set(paths["/api/activities/{slug}"]) == {"get", "put"}
    for public in (paths["/api/activities"]["get"], paths["/api/events"]["get"]):
        assert "security" not in public
    assert paths["/api/activities/{slug}"]["get"].get("security") is None
    for write in (
        paths["/api/activities"]["post"],
        paths["/api/activities/{slug}"]["put"],
        paths["/api/submissions"]["get"],
        paths["/api/submissions/{submission_id}/approve"]["post"],
        paths["/api/events/{slug}/registrations"]["post"],
    ):
        assert write["security"]
    filters = {"q", "action_area", "working_group", "language", "region", "country"}
    filters |= {"organization", "date_from", "date_to", "lang", "limit", "offset"}
    activity_parameters = {p["name"] for p in paths["/api/activities"]["get"]["parameters"]}
    event_parameters = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert activity_parameters == filters | {"kind"}
    assert event_parameters == filters | {"when"}
    schemas = json.dumps(document["components"]["schemas"]["ActivityOut"])
    assert "access_url" not in schemas and "contact_email" not in schemas


def test_submit_activity_refuses_a_summary_past_the_limit_with_a_reason(client):
    from coalition.activities.forms.activities import SUMMARY_MAX_LENGTH

    organization = OrganizationFactory()
    client.force_login(own_focal_point(organization))
    data = payload(organization)
    data["summaries"] = {"en": "<p>" + "x" * 220_000 + "</p>"}

    response = post_activity(client, data)

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"]["summaries.en"]
    assert f"{SUMMARY_MAX_LENGTH}" in message


def test_submitted_title_with_a_line_break_is_refused(client):
    organization = OrganizationFactory()
    user = focal_point_of(organization)
    data = payload(organization)
    data["titles"] = {"en": "Webinar\r\nBcc: someone@example.org"}

    response = post_activity(signed_in(client, user), data)

    assert response.status_code == 400, response.content
    assert "This must be a single line of text." in response.json()["errors"]["titles.en"]
    assert not Activity.objects.exists()
