"""Serialize every event of the calendar feeds once, in every language, into the database.

After a deploy that changes the calendar code (or the icalendar library, or tzdata), the
stored components are stale and the first feed request in each language would serialize
every event itself (one to two seconds for 2,000 events). Run this after `migrate` and
every web process finds them ready. Safe to run at any time: what is current is kept.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from coalition.activities.ical import feeds
from coalition.activities.models import CalendarEntry


class Command(BaseCommand):
    help = "Serialize the events of the calendar feeds in every language, for every process."

    def handle(self, *args, **options):
        events = feeds.feed_events()
        for code, _name in settings.LANGUAGES:
            started = time.perf_counter()
            with translation.override(code):
                rows = list(feeds.for_feed(events))
                feeds.feed_calendar(rows, name="", language=code, source=events)
            stored = CalendarEntry.objects.filter(language=code).count()
            self.stdout.write(
                f"{code}: {len(rows)} events in the feeds, {stored} stored, "
                f"{time.perf_counter() - started:.1f} s"
            )
