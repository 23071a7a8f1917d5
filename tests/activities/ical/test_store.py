"""Serialized VEVENTs and VTIMEZONEs kept in the database: a new process builds its feeds
from them, and nothing stale is ever served from them."""

import logging
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError
from icalendar import Timezone

from coalition.activities.ical import feeds
from coalition.activities.ical import store as calendar_store
from coalition.activities.models import Activity, CalendarEntry, CalendarTimeZone
from tests.activities.ical.test_serialized import feed_bytes, uid, varied_events, vevents
from tests.factories.activities import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_feeds")]


@pytest.fixture
def count_zone_builds(monkeypatch):
    built = []
    original = Timezone.from_tzid

    def counting(name, *args, **kwargs):
        built.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(Timezone, "from_tzid", counting)
    return built


def new_process():
    """What a process that has just started has: the database, and nothing in memory."""
    feeds.clear_memos()


class TestANewProcess:
    def test_builds_the_same_feed_from_the_store_without_serializing_any_event(
        self, count_builds, count_zone_builds
    ):
        events = varied_events(6)
        first = feed_bytes()
        assert sorted(count_builds) == sorted(event.pk for event in events)
        assert count_zone_builds  # Paris, New York, Tokyo, Sydney
        count_builds.clear()
        count_zone_builds.clear()
        new_process()
        assert feed_bytes() == first
        assert count_builds == []
        assert count_zone_builds == []

    def test_keeps_one_entry_per_event_and_language(self):
        events = varied_events(3)
        feed_bytes("en")
        feed_bytes("fr")
        new_process()
        feed_bytes("en")
        assert CalendarEntry.objects.count() == 2 * len(events)
        assert set(CalendarEntry.objects.values_list("language", flat=True)) == {"en", "fr"}


class TestNothingStale:
    def test_an_edited_event_is_serialized_again_and_its_entry_replaced(self, count_builds):
        event, _other = varied_events(2)
        feed_bytes()
        count_builds.clear()
        event.title_en = "A new title"
        event.save()
        new_process()
        body = feed_bytes()
        assert count_builds == [event.pk]
        assert str(vevents(body)[uid(event)]["SUMMARY"]) == "A new title"
        assert CalendarEntry.objects.filter(activity=event).count() == 1

    def test_a_row_written_without_touching_updated_at_is_not_served_from_the_store(self):
        event = EventFactory(title_en="Before")
        feed_bytes()
        Activity.objects.filter(pk=event.pk).update(title_en="After")
        new_process()
        assert str(vevents(feed_bytes())[uid(event)]["SUMMARY"]) == "After"

    def test_an_entry_from_other_code_is_not_served(self, monkeypatch, count_builds):
        event = EventFactory()
        feed_bytes()
        count_builds.clear()
        calendar_store.writer_version.cache_clear()
        monkeypatch.setattr(calendar_store, "writer_version", lambda: "another version")
        new_process()
        feed_bytes()
        assert count_builds == [event.pk]

    def test_a_time_zone_whose_tzdata_changed_is_built_again(self, monkeypatch, count_zone_builds):
        EventFactory(time_zone="Europe/Paris")
        feed_bytes()
        count_zone_builds.clear()
        monkeypatch.setattr(calendar_store, "_zone_source", lambda name: b"tzdata 2099a")
        new_process()
        feed_bytes()
        assert count_zone_builds == ["Europe/Paris"]
        assert CalendarTimeZone.objects.filter(zone="Europe/Paris").count() == 1


def test_a_failed_write_still_answers_the_feed_and_says_so(monkeypatch, caplog):
    event = EventFactory()

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(CalendarEntry.objects, "bulk_create", refuse)
    with caplog.at_level(logging.WARNING, logger="coalition.activities.ical.store"):
        body = feed_bytes()
    assert uid(event) in vevents(body)
    assert "Could not store" in caplog.text
    assert not CalendarEntry.objects.exists()


def test_many_events_are_looked_up_by_subquery_with_the_same_result(monkeypatch):
    # (By subquery on PostgreSQL; SQLite keeps the list of ids: feeds._ids.)
    varied_events(5)
    by_ids = feeds.cached_feed(feeds.feed_events(), key="all", name="Events", language="en")
    new_process()
    cache.clear()
    monkeypatch.setattr(feeds, "IDS_AS_SUBQUERY", 1)  # every feed counts as "many events"
    by_subquery = feeds.cached_feed(feeds.feed_events(), key="all", name="Events", language="en")
    assert by_subquery == by_ids


def test_warming_serializes_every_language_so_that_no_process_has_to(count_builds):
    events = varied_events(3)
    call_command("warm_calendars", stdout=StringIO())
    assert sorted(count_builds) == sorted([e.pk for e in events] * len(settings.LANGUAGES))
    assert CalendarEntry.objects.count() == len(events) * len(settings.LANGUAGES)
    count_builds.clear()
    new_process()
    feed_bytes("ar")
    assert count_builds == []


def test_the_writer_version_covers_every_module_of_the_package(monkeypatch, tmp_path):
    package = Path(calendar_store.__file__).parent
    for module in package.glob("*.py"):
        shutil.copy(module, tmp_path / module.name)
    monkeypatch.setattr(calendar_store, "_WRITERS", tmp_path)

    def version():
        calendar_store.writer_version.cache_clear()
        return calendar_store.writer_version()

    versions = {version()}
    for module in sorted(tmp_path.glob("*.py")):
        module.write_bytes(module.read_bytes() + b"\n# changed\n")
        versions.add(version())
    calendar_store.writer_version.cache_clear()
    assert len(versions) == 1 + len(list(package.glob("*.py")))
    assert {"components.py", "feeds.py", "serialized.py", "zones.py"} <= {
        module.name for module in package.glob("*.py")
    }
