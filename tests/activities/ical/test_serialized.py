"""The fast feed path gives what the library would give: serialized VEVENTs kept per event,
joined in a library-made envelope, rebuilt one event at a time, one request at a time.

No timing here (timings belong to the benchmark): these tests pin down that the shortcuts
change nothing in the output and that the work they save is really saved.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from icalendar import Calendar, Event, vText

from coalition.activities.ical import components, feeds, serialized, zones
from coalition.activities.models import Activity
from coalition.activities.services import moderation
from coalition.activities.services import registration as registrations
from coalition.activities.snapshot import snapshot_of
from tests.factories.activities import EventFactory, soon, upcoming_event
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_feeds")]

ALL = "/en/events/calendar.ics"
ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]


def varied_events(count=10):
    """Events in several zones, one cancelled, one with a public contact, one whose title is
    only in French, long and non-ASCII text that has to be folded."""
    events = []
    for n in range(count):
        start = soon(days=5 + n * 17, hour=(7 * n) % 24)
        events.append(
            EventFactory(
                starts_at=start,
                ends_at=start + timedelta(hours=1 + n % 3),
                time_zone=ZONES[n % len(ZONES)],
                title_en=("" if n == 3 else f"Open education webinar {n} — ressources éducatives"),
                title_fr=f"Webinaire {n} sur les REL",
                title_ar="ندوة عبر الإنترنت حول الموارد التعليمية المفتوحة" if n % 2 else "",
                summary_en="<p>"
                + "Éducation ouverte, 开放教育 and open licences. " * (n + 1)
                + "</p>",
                location="UNESCO, 7 place de Fontenoy, Paris" if n % 4 == 0 else "",
                is_cancelled=n == 5,
                contact_is_public=n == 2,
                contact_name="Aïssatou Dabo",
            )
        )
    return events


def feed_bytes(language="en", name="OER Dynamic Coalition events"):
    with translation.override(language):
        rows = feeds.for_feed(feeds.feed_events())
        return feeds.feed_calendar(rows, name=name, language=language)


def library_whole_calendar(activities, language="en", name="OER Dynamic Coalition events"):
    """The same feed the plain way: every component added to one Calendar, serialized once."""
    with translation.override(language):
        calendar = components.new_calendar(method=components.Method.PUBLISH, name=name)
        for component in zones.timezones(activities):
            calendar.add_component(component)
        for activity in activities:
            calendar.add_component(
                components.event_component(
                    activity,
                    language=language,
                    stamp=activity.updated_at,
                    description_limit=feeds.FEED_DESCRIPTION_LIMIT,
                )
            )
        return calendar.to_ical(sorted=False)


def vevents(body):
    return {str(event["UID"]): event for event in Calendar.from_ical(body).walk("VEVENT")}


def vevent_bytes(body):
    """Each VEVENT's serialized lines, by UID."""
    blocks = {}
    for block in body.split(b"BEGIN:VEVENT\r\n")[1:]:
        block = block.split(b"END:VEVENT\r\n")[0]
        uid = next(line for line in block.split(b"\r\n") if line.startswith(b"UID:"))
        blocks[uid[4:].decode()] = block
    return blocks


def uid(activity):
    return f"activity-{activity.pk}@127.0.0.1"


def approve_change(event, organization, **changes):
    data = snapshot_of(event)
    data.update(changes)
    submission = moderation.propose_change(
        event, user=focal_point_of(organization), organization=organization, data=data
    )
    moderation.approve_submission(submission, by=SecretariatFactory())
    event.refresh_from_db()


class TestSameBytesAsTheLibrary:
    @pytest.mark.parametrize("language", ["en", "fr", "ar"])
    def test_joined_feed_is_byte_for_byte_the_library_serialization(self, language):
        events = varied_events()
        ordered = list(
            Activity.objects.filter(pk__in=[e.pk for e in events])
            .order_by("starts_at", "pk")
            .prefetch_related("organizations")
        )
        assert feed_bytes(language) == library_whole_calendar(ordered, language)
        # And again from the kept VEVENTs, without building any.
        assert feed_bytes(language) == library_whole_calendar(ordered, language)

    @pytest.mark.parametrize("length", range(66, 86))
    @pytest.mark.parametrize("filler", ["a", "é", "开", "🎓"])
    def test_serialize_folds_exactly_like_to_ical_around_75_octets(self, length, filler):
        event = Event()
        event["UID"] = vText("x" * (length - 4))
        text = (filler * length)[:length]
        event["SUMMARY"] = vText(text)
        event["DESCRIPTION"] = vText(f"{text}\n\n{text}, {text}; {text}")
        event["LOCATION"] = vText("L" * (length - 9) + filler)
        summary = vText(text)
        summary.params["LANGUAGE"] = "fr"
        event.add("comment", summary)
        assert serialized.serialize(event) == event.to_ical(sorted=False)

    def test_envelope_with_components_is_refused(self):
        calendar = components.new_calendar(method=components.Method.PUBLISH)
        calendar.add_component(Event())
        with pytest.raises(ValueError):
            serialized.join(calendar, [])


class TestFeedParsesBack:
    def test_every_event_with_its_time_zone_and_start(self, client):
        events = varied_events(12)
        calendar = Calendar.from_ical(client.get(ALL).content)
        zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        assert zones == {"Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney"}
        parsed = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
        assert set(parsed) == {uid(event) for event in events}
        for event in events:
            vevent = parsed[uid(event)]
            if event.time_zone == "UTC":
                assert "TZID" not in vevent["DTSTART"].params
                assert vevent["DTSTART"].to_ical().endswith(b"Z")
            else:
                assert vevent["DTSTART"].params["TZID"] == event.time_zone
                local = event.starts_at.astimezone(ZoneInfo(event.time_zone))
                assert vevent["DTSTART"].to_ical() == local.strftime("%Y%m%dT%H%M%S").encode()
            assert vevent.decoded("DTSTART").astimezone(UTC) == event.starts_at
            assert vevent.decoded("DTEND").astimezone(UTC) == event.ends_at
        # The list order is the feed's: soonest first.
        assert list(parsed) == [uid(e) for e in sorted(events, key=lambda e: e.starts_at)]

    def test_title_only_in_french_is_marked_in_an_english_feed(self):
        events = varied_events(5)
        summary = vevents(feed_bytes())[uid(events[3])]["SUMMARY"]
        assert summary == "Webinaire 3 sur les REL"
        assert summary.params["LANGUAGE"] == "fr"


class TestOneEventAtATime:
    def test_editing_one_event_rebuilds_only_its_vevent(self, count_builds):
        events = varied_events(8)
        first = feed_bytes()
        assert sorted(count_builds) == sorted(e.pk for e in events)
        count_builds.clear()

        edited = events[4]
        edited.title_en = "A new title"
        edited.save()
        second = feed_bytes()
        assert count_builds == [edited.pk]
        before, after = vevent_bytes(first), vevent_bytes(second)
        assert {u for u in before if before[u] != after[u]} == {uid(edited)}
        assert vevents(second)[uid(edited)]["SUMMARY"] == "A new title"

    def test_approved_schedule_change_raises_the_sequence_of_that_event_only(
        self, client, count_builds
    ):
        organization = OrganizationFactory()
        moved, other = upcoming_event(organization), upcoming_event(organization)
        before = vevent_bytes(client.get(ALL).content)
        count_builds.clear()
        later = moved.starts_at + timedelta(hours=3)
        approve_change(
            moved,
            organization,
            starts_at=later.isoformat(),
            ends_at=(later + timedelta(hours=1)).isoformat(),
        )
        body = client.get(ALL).content
        assert count_builds == [moved.pk]
        parsed = vevents(body)
        assert parsed[uid(moved)]["SEQUENCE"] == 1
        assert parsed[uid(moved)].decoded("DTSTART").astimezone(UTC) == later
        assert parsed[uid(other)]["SEQUENCE"] == 0
        assert vevent_bytes(body)[uid(other)] == before[uid(other)]

    def test_cancelled_event_is_cancelled_in_the_rebuilt_feed(self, client):
        organization = OrganizationFactory()
        event, other = upcoming_event(organization), upcoming_event(organization)
        client.get(ALL)
        registrations.cancel_event(event, by=focal_point_of(organization))
        parsed = vevents(client.get(ALL).content)
        assert parsed[uid(event)]["STATUS"] == "CANCELLED"
        assert parsed[uid(event)]["SEQUENCE"] == 1
        assert parsed[uid(event)]["DESCRIPTION"].startswith("This event is cancelled.")
        assert parsed[uid(other)]["STATUS"] == "CONFIRMED"

    def test_a_row_written_without_touching_updated_at_is_not_served_stale(self):
        (event,) = varied_events(1)
        feed_bytes()
        Activity.objects.filter(pk=event.pk).update(location="Nairobi")  # updated_at unchanged
        assert vevents(feed_bytes())[uid(event)]["LOCATION"] == "Online · Nairobi"

    def test_a_renamed_organization_is_renamed_in_the_feed(self):
        organization = OrganizationFactory(name_en="Old name")
        event = EventFactory(organizations=[organization])
        feed_bytes()
        organization.name_en = "New name"
        organization.save()
        assert "Organized by: New name" in vevents(feed_bytes())[uid(event)]["DESCRIPTION"]

    def test_each_language_keeps_its_own_vevents(self, count_builds):
        (event,) = varied_events(1)
        english, french = feed_bytes("en"), feed_bytes("fr")
        assert count_builds == [event.pk, event.pk]
        assert feed_bytes("en") == english and feed_bytes("fr") == french
        assert count_builds == [event.pk, event.pk]

    # Kept in the process: the events, then their organizations' names. In a new process,
    # also the stored VEVENTs and VTIMEZONEs.
    @pytest.mark.parametrize(("memo", "expected"), [("cold", 4), ("kept", 2)])
    def test_query_count_does_not_grow_with_the_number_of_events(self, memo, expected):
        def queries():
            if memo == "cold":
                feeds.clear_memos()
            with CaptureQueriesContext(connection) as context:
                feed_bytes()
            return len(context.captured_queries)

        varied_events(2)
        feed_bytes()
        few = queries()
        varied_events(10)
        feed_bytes()
        assert queries() == few == expected

    def test_organizers_are_listed_alike_on_every_database(self):
        names = ["Zeta Institute", "Ākona Trust", "alpha University", "Beta College"]
        event = EventFactory(organizations=[OrganizationFactory(name_en=n) for n in names])
        description = vevents(feed_bytes())[uid(event)]["DESCRIPTION"]
        assert "Organized by: Ākona Trust, alpha University, Beta College, Zeta Institute" in (
            description
        )


def test_kept_vevents_are_bounded_least_recently_used_first():
    store = serialized.Serialized(size=3)
    store.set_many({1: b"a", 2: b"b", 3: b"c"})
    assert store.get_many([1]) == [b"a"]  # 1 is now the most recently used
    store.set_many({4: b"d"})
    assert len(store) == 3
    assert store.get_many([1, 2, 3, 4]) == [b"a", None, b"c", b"d"]


class TestOneRebuildAtATime:
    @pytest.fixture
    def builds(self, monkeypatch):
        calls = []
        original = feeds.feed_calendar

        def counting(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(feeds, "feed_calendar", counting)
        return calls

    def body(self):
        return feeds.cached_feed(feeds.feed_events(), key="all", name="Events", language="en")

    def lock(self):
        return f"activities:ical:all:en:{settings.SITE_URL}:rebuilding"

    def test_feed_is_built_once_per_change(self, builds):
        event = EventFactory(title_en="First")
        first = self.body()
        assert self.body() == first and len(builds) == 1
        event.title_en = "Second"
        event.save()
        assert b"SUMMARY:Second" in self.body() and len(builds) == 2
        assert cache.get(self.lock()) is None  # the lock is given back

    def test_while_another_request_rebuilds_the_previous_version_is_served(self, builds):
        event = EventFactory(title_en="First")
        previous = self.body()
        event.title_en = "Second"
        event.save()
        assert cache.add(self.lock(), "another request", 30)
        assert self.body() == previous
        assert len(builds) == 1
        cache.delete(self.lock())
        assert b"SUMMARY:Second" in self.body()
        assert len(builds) == 2

    def test_first_request_waits_for_the_build_under_way(self, builds, monkeypatch):
        EventFactory()
        assert cache.add(self.lock(), "another request", 30)
        # The other request finishes while this one waits.
        finished = feeds.feed_calendar(
            feeds.for_feed(feeds.feed_events()), name="Events", language="en"
        )
        builds.clear()
        cache_key = self.lock().removesuffix(":rebuilding")

        def other_request_finishes(seconds):
            cache.set(cache_key, (feeds.fingerprint(feeds.feed_events()), finished), 60)
            cache.delete(self.lock())

        monkeypatch.setattr(feeds, "sleep", other_request_finishes)
        assert self.body() == finished
        assert builds == []

    def test_a_stuck_build_is_not_waited_for_forever(self, builds, monkeypatch):
        EventFactory()
        assert cache.add(self.lock(), "a request that died", 30)
        monkeypatch.setattr(feeds, "FIRST_BUILD_WAIT_SECONDS", 0.2)
        monkeypatch.setattr(feeds, "_POLL_SECONDS", 0.01)
        assert b"BEGIN:VEVENT" in self.body()
        assert len(builds) == 1

    def test_a_failed_build_gives_the_lock_back(self, monkeypatch):
        EventFactory()

        def broken(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(feeds, "feed_calendar", broken)
        with pytest.raises(RuntimeError):
            self.body()
        assert cache.get(self.lock()) is None


def test_datetime_values_are_typed_as_the_rfc_says():
    event = EventFactory(
        starts_at=datetime(2023, 3, 9, 15, tzinfo=UTC), ends_at=datetime(2023, 3, 9, 16, tzinfo=UTC)
    )
    (vevent,) = Calendar.from_ical(
        feeds.feed_calendar([event], name="", language="en", description_limit=None)
    ).walk("VEVENT")
    assert vevent["DTSTART"].to_ical() == b"20230309T160000"
    assert vevent["DTSTAMP"].to_ical().endswith(b"Z")
    assert vevent["LAST-MODIFIED"].to_ical().endswith(b"Z")
