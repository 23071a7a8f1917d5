"""iCalendar feeds, parsed back with the icalendar library and read field by field."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from coalition.activities.ical import feeds
from coalition.activities.services import moderation
from coalition.activities.services import registration as registrations
from coalition.activities.snapshot import snapshot_of
from coalition.members.models import Organization
from tests.factories.activities import (
    WEBINAR_END,
    WEBINAR_START,
    EventFactory,
    RegistrationFactory,
    soon,
    upcoming_event,
)
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    focal_point_of,
    working_group,
)

pytestmark = pytest.mark.django_db

ALL = "/en/events/calendar.ics"
SECRETS = ("secret-room", "hidden.contact@", "Hidden Person", "registrant@", "Registrant Name")


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(activity):
    return f"activity-{activity.pk}@127.0.0.1"


def event_ics(client, activity, language="en"):
    return client.get(f"/{language}/activities/{activity.slug}/calendar.ics")


class TestOpenEducationWeekWebinar:
    """9 March 2023, 16:00–17:00 CET: 15:00–16:00 UTC."""

    @pytest.fixture
    def webinar(self):
        return EventFactory(
            title_en="OER Dynamic Coalition webinar for Open Education Week 2023",
            starts_at=WEBINAR_START,
            ends_at=WEBINAR_END,
            time_zone="Europe/Paris",
        )

    def test_event_ics_has_its_time_in_paris_with_a_vtimezone(self, client, webinar):
        response = event_ics(client, webinar)
        assert response["Content-Disposition"] == f'attachment; filename="{webinar.slug}.ics"'
        calendar = parse(response)
        assert calendar["VERSION"] == "2.0"
        assert calendar["METHOD"] == "PUBLISH"
        (event,) = calendar.walk("VEVENT")
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.hour, start.minute, end.hour) == (16, 0, 17)
        assert start.astimezone(UTC) == datetime(2023, 3, 9, 15, 0, tzinfo=UTC)
        assert end.astimezone(UTC) == datetime(2023, 3, 9, 16, 0, tzinfo=UTC)
        (vtimezone,) = calendar.walk("VTIMEZONE")
        assert vtimezone["TZID"] == "Europe/Paris"
        offsets = {(c.name, c.decoded("TZOFFSETTO")) for c in vtimezone.subcomponents}
        assert offsets == {("STANDARD", timedelta(hours=1)), ("DAYLIGHT", timedelta(hours=2))}

    def test_event_fields(self, client, webinar):
        (event,) = parse(event_ics(client, webinar)).walk("VEVENT")
        assert str(event["UID"]) == uid(webinar)
        assert event["SUMMARY"] == "OER Dynamic Coalition webinar for Open Education Week 2023"
        assert event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event["LOCATION"] == "Online"
        assert str(event["URL"]) == f"http://127.0.0.1:8000/en/activities/{webinar.slug}/"
        assert event["DESCRIPTION"] == (
            "A webinar of the Coalition on open licences.\n\n"
            f"Organized by: {webinar.organizations.get().name}\n\n"
            f"http://127.0.0.1:8000/en/activities/{webinar.slug}/"
        )
        assert event.decoded("DTSTAMP") == webinar.updated_at.replace(microsecond=0)
        assert event["CATEGORIES"].cats == ["Webinar"]
        assert event.decoded("LAST-MODIFIED") == webinar.updated_at.replace(microsecond=0)

    def test_unpublished_event_has_no_ics(self, client):
        draft = EventFactory(published_at=None, state="submitted")
        assert event_ics(client, draft).status_code == 404


class TestTimeZones:
    def test_event_across_the_spring_dst_change(self, client):
        # 26 March 2023, 01:30 CET to 03:30 CEST in Paris: one hour long, not two.
        event = EventFactory(
            starts_at=datetime(2023, 3, 26, 0, 30, tzinfo=UTC),
            ends_at=datetime(2023, 3, 26, 1, 30, tzinfo=UTC),
            time_zone="Europe/Paris",
        )
        calendar = parse(event_ics(client, event))
        (vevent,) = calendar.walk("VEVENT")
        assert vevent["DTSTART"].to_ical() == b"20230326T013000"
        assert vevent["DTEND"].to_ical() == b"20230326T033000"
        # (Python subtracts two times of one zone on the wall clock, so compare in UTC.)
        start, end = (vevent.decoded(name).astimezone(UTC) for name in ("DTSTART", "DTEND"))
        assert end - start == timedelta(hours=1)
        (vtimezone,) = calendar.walk("VTIMEZONE")
        daylight = [c for c in vtimezone.subcomponents if c.name == "DAYLIGHT"]
        onsets = {c.decoded("DTSTART").date() for c in daylight}
        assert datetime(2023, 3, 26).date() in onsets

    def test_event_in_utc_is_written_with_z_and_no_vtimezone(self, client):
        event = EventFactory(time_zone="UTC", starts_at=WEBINAR_START, ends_at=WEBINAR_END)
        calendar = parse(event_ics(client, event))
        (vevent,) = calendar.walk("VEVENT")
        assert vevent["DTSTART"].to_ical() == b"20230309T150000Z"
        assert calendar.walk("VTIMEZONE") == []

    def test_one_vtimezone_per_zone_in_a_feed(self, client):
        for zone in ("Europe/Paris", "Europe/Paris", "Asia/Tokyo", "America/New_York", "UTC"):
            EventFactory(time_zone=zone)
        calendar = parse(client.get(ALL))
        zones = sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE"))
        assert zones == ["America/New_York", "Asia/Tokyo", "Europe/Paris"]
        tzids = {e["DTSTART"].params.get("TZID") for e in calendar.walk("VEVENT")}
        assert tzids == {"America/New_York", "Asia/Tokyo", "Europe/Paris", None}


class TestSequenceAndCancellation:
    def change(self, event, organization, **changes):
        data = snapshot_of(event)
        data.update(changes)
        submission = moderation.propose_change(
            event, user=focal_point_of(organization), organization=organization, data=data
        )
        moderation.approve_submission(submission, by=SecretariatFactory())
        event.refresh_from_db()

    def test_uid_is_stable_and_sequence_rises_with_an_approved_schedule_change(self, client):
        organization = OrganizationFactory()
        event = upcoming_event(organization)
        before = vevents(parse(client.get(ALL)))[uid(event)]
        assert before["SEQUENCE"] == 0

        later = event.starts_at + timedelta(hours=2)
        self.change(
            event,
            organization,
            starts_at=later.isoformat(),
            ends_at=(later + timedelta(hours=1)).isoformat(),
        )
        after = vevents(parse(client.get(ALL)))[uid(event)]
        assert after["SEQUENCE"] == 1
        assert after.decoded("DTSTART").astimezone(UTC) == later

        # A change of the summary only is no news for calendars: same SEQUENCE, same UID.
        self.change(event, organization, summary_en="<p>Now with a programme.</p>")
        again = vevents(parse(client.get(ALL)))[uid(event)]
        assert again["SEQUENCE"] == 1
        assert "Now with a programme." in again["DESCRIPTION"]

    def test_an_edit_waiting_for_moderation_changes_nothing_in_the_feed(self, client):
        organization = OrganizationFactory()
        event = upcoming_event(organization)
        data = snapshot_of(event)
        data["starts_at"] = (event.starts_at + timedelta(days=1)).isoformat()
        data["ends_at"] = (event.ends_at + timedelta(days=1)).isoformat()
        moderation.propose_change(
            event, user=focal_point_of(organization), organization=organization, data=data
        )
        vevent = vevents(parse(client.get(ALL)))[uid(event)]
        assert vevent["SEQUENCE"] == 0
        assert vevent.decoded("DTSTART").astimezone(UTC) == event.starts_at

    def test_cancelled_event_stays_in_the_feed_cancelled_with_a_higher_sequence(self, client):
        organization = OrganizationFactory()
        event = upcoming_event(organization)
        registrations.cancel_event(event, by=focal_point_of(organization))
        vevent = vevents(parse(client.get(ALL)))[uid(event)]
        assert vevent["STATUS"] == "CANCELLED"
        assert vevent["SEQUENCE"] == 1
        assert vevent["DESCRIPTION"].startswith("This event is cancelled.")
        (single,) = parse(event_ics(client, event)).walk("VEVENT")
        assert single["STATUS"] == "CANCELLED"
        assert (single["SEQUENCE"], str(single["UID"])) == (1, uid(event))


class TestWhichEvents:
    def test_all_events_feed_holds_upcoming_and_recent_published_events(self, client):
        upcoming = EventFactory()
        recent = EventFactory(starts_at=soon(days=-30), ends_at=soon(days=-30) + timedelta(hours=1))
        old = EventFactory(starts_at=soon(days=-200), ends_at=soon(days=-200) + timedelta(hours=1))
        draft = EventFactory(published_at=None, state="submitted")
        news = EventFactory(kind="news")
        undated = EventFactory(starts_at=None, ends_at=None)
        uids = set(vevents(parse(client.get(ALL))))
        assert uids == {uid(upcoming), uid(recent)}
        assert not uids & {uid(a) for a in (old, draft, news, undated)}

    def test_feeds_are_soonest_first(self, client):
        later = EventFactory(starts_at=soon(days=20))
        sooner = EventFactory(starts_at=soon(days=10))
        assert list(vevents(parse(client.get(ALL)))) == [uid(sooner), uid(later)]

    def test_working_group_feed(self, client):
        group = working_group("supportive-policy")
        inside = EventFactory()
        inside.working_groups.add(group)
        outside = EventFactory()
        outside.working_groups.add(working_group("capacity-building"))
        calendar = parse(client.get("/en/events/calendar/working-groups/supportive-policy.ics"))
        assert set(vevents(calendar)) == {uid(inside)}
        assert calendar["X-WR-CALNAME"] == f"OER Dynamic Coalition events: {group.name_en}"

    def test_organization_feed(self, client):
        organization = OrganizationFactory(name_en="Commonwealth of Learning")
        mine = EventFactory(organizations=[organization, OrganizationFactory()])
        EventFactory()
        calendar = parse(client.get(f"/en/events/calendar/organizations/{organization.slug}.ics"))
        assert set(vevents(calendar)) == {uid(mine)}
        assert calendar["X-WR-CALNAME"] == "Events of Commonwealth of Learning"

    def test_organization_feed_only_for_members(self, client):
        applicant = OrganizationFactory(status=Organization.Status.APPLIED)
        url = f"/en/events/calendar/organizations/{applicant.slug}.ics"
        assert client.get(url).status_code == 404

    def test_action_area_feed(self, client):
        inside = EventFactory()
        inside.action_areas.add(3)
        EventFactory().action_areas.add(4)
        calendar = parse(client.get("/en/events/calendar/action-areas/3.ics"))
        assert set(vevents(calendar)) == {uid(inside)}
        assert client.get("/en/events/calendar/action-areas/9.ics").status_code == 404

    def test_feed_is_named_for_calendar_apps(self, client):
        calendar = parse(client.get(ALL))
        assert calendar["X-WR-CALNAME"] == "OER Dynamic Coalition events"
        assert calendar["NAME"] == "OER Dynamic Coalition events"
        assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"


class TestLanguage:
    def test_feed_in_french_uses_french_titles_and_marks_fallbacks(self, client):
        translated = EventFactory(title_en="Webinar", title_fr="Webinaire")
        english_only = EventFactory(title_en="Only in English", title_fr="")
        events = vevents(parse(client.get("/fr/events/calendar.ics")))
        assert events[uid(translated)]["SUMMARY"] == "Webinaire"
        assert "LANGUAGE" not in events[uid(translated)]["SUMMARY"].params
        fallback = events[uid(english_only)]["SUMMARY"]
        assert fallback == "Only in English"
        assert fallback.params["LANGUAGE"] == "en"
        assert str(events[uid(translated)]["URL"]).startswith(
            "http://127.0.0.1:8000/fr/activities/"
        )


class TestPrivacy:
    def test_no_private_data_in_any_feed(self, client):
        organization = OrganizationFactory()
        event = EventFactory(
            organizations=[organization],
            access_url="https://zoom.example/j/secret-room",
            contact_name="Hidden Person",
            contact_email="hidden.contact@example.org",
            contact_is_public=False,
        )
        event.working_groups.add(working_group())
        event.action_areas.add(1)
        RegistrationFactory(activity=event, email="registrant@example.org", name="Registrant Name")
        urls = [
            ALL,
            "/en/events/calendar/working-groups/capacity-building.ics",
            f"/en/events/calendar/organizations/{organization.slug}.ics",
            "/en/events/calendar/action-areas/1.ics",
            f"/en/activities/{event.slug}/calendar.ics",
        ]
        for url in urls:
            calendar = parse(client.get(url))
            assert uid(event) in vevents(calendar), url
            text = calendar.to_ical().decode()
            for secret in SECRETS:
                assert secret not in text, (url, secret)
            assert "ORGANIZER" not in text
            assert "ATTENDEE" not in text

    def test_public_contact_is_the_organizer(self, client):
        event = EventFactory(
            contact_name="Aissatou Dabo", contact_email="a.dabo@example.org", contact_is_public=True
        )
        (vevent,) = parse(event_ics(client, event)).walk("VEVENT")
        assert str(vevent["ORGANIZER"]) == "mailto:a.dabo@example.org"
        assert vevent["ORGANIZER"].params["CN"] == "Aissatou Dabo"


class TestPerformance:
    def queries(self, client, url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    @pytest.mark.parametrize(
        "url",
        [
            ALL,
            "/en/events/calendar/working-groups/capacity-building.ics",
            "/en/events/calendar/organizations/{org}.ics",
            "/en/events/calendar/action-areas/1.ics",
        ],
    )
    def test_query_count_does_not_grow_with_the_number_of_events(self, client, url):
        from django.core.cache import cache

        organization = OrganizationFactory()
        url = url.format(org=organization.slug)

        def add(count):
            for _ in range(count):
                event = EventFactory(organizations=[organization, OrganizationFactory()])
                event.working_groups.add(working_group())
                event.action_areas.add(1)

        add(2)
        few = self.queries(client, url)
        cache.clear()
        add(10)
        many = self.queries(client, url)
        assert few == many
        # The check (1), the events (1), their organizers (1), the stored VEVENTs and
        # VTIMEZONEs (2), the new ones stored (a savepoint, one insert, its release: 2 × 3),
        # and the feed's subject on the filtered feeds (1).
        assert many <= 12

    def test_rendered_feed_is_reused_until_an_event_changes(self, client):
        event = EventFactory(title_en="First title")
        first = client.get(ALL)
        with CaptureQueriesContext(connection) as context:
            second = client.get(ALL)
        assert second.content == first.content
        assert len(context.captured_queries) == 1  # the fingerprint only
        event.title_en = "Second title"
        event.save()
        assert "Second title" in client.get(ALL).content.decode()

    def test_unchanged_feed_answers_304(self, client):
        EventFactory()
        etag = client.get(ALL)["ETag"]
        response = client.get(ALL, headers={"if-none-match": etag})
        assert response.status_code == 304
        assert response["ETag"] == etag


def test_feed_description_is_cut_at_a_word(client):
    EventFactory(summary_en="<p>" + "open " * 400 + "</p>")
    (vevent,) = parse(client.get(ALL)).walk("VEVENT")
    summary = vevent["DESCRIPTION"].split("\n\n")[0]
    assert summary.endswith("open…")
    assert len(summary) <= feeds.FEED_DESCRIPTION_LIMIT + 1


def test_feed_url_names(client):
    assert reverse("activities:calendar") == "/en/events/calendar.ics"
    assert reverse("activities:calendar-action-area", kwargs={"number": 2}) == (
        "/en/events/calendar/action-areas/2.ics"
    )
