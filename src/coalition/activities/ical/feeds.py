"""Event feeds: which events a feed holds, and the feed's bytes, cached.

Each event's VEVENT is serialized by the library (`serialized.serialize`) and kept, in
the process (`_VEVENTS`) and in the database for every process (`store`), so a rebuild
after one edit serializes that one event again, a newly started process serializes none,
and the bytes are joined inside a VCALENDAR envelope that the library serializes too
(`serialized.join`). VTIMEZONEs, slow to build, are kept the same way (`zones`).
What the events need is fetched in a few queries, whatever their number, and what is the
same for all of them (words, fallback order, address pattern, time zones) is worked out
once per feed. `cached_feed` keeps finished feeds in the shared cache and lets one request
at a time rebuild each.
"""

from time import monotonic, sleep

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from coalition.core.mail import absolute_url
from coalition.core.translated import localized_column, localized_columns

from .. import selectors
from ..models import Activity, Kind
from . import store, zones
from .components import Method, Reader, Words, event_component, in_order, new_calendar
from .serialized import Serialized, join, serialize

# Feeds hold upcoming events and those of the last three months: enough for a calendar to
# keep recent history, and the feed's size stays bound by what is planned, not by the archive.
RECENT_DAYS = 90
# A hard ceiling, far above the Coalition's pace, so that no feed grows without limit; the
# events furthest in the future are the ones left out.
FEED_LIMIT = 5000
# Feeds carry the start of the summary and the page's address; the page has the rest. (Each
# character also costs: folding long lines is the larger part of rendering a big feed.)
FEED_DESCRIPTION_LIMIT = 300

# Beyond this many events, PostgreSQL is asked for related rows with the feed's own query
# as a subquery rather than a list of ids: there, thousands of parameters cost more to send
# and to parse than running the feed's query again (a feed of 2,000 events: about 60 ms
# less). SQLite takes parameters for free and runs the subquery slower: it keeps the list.
IDS_AS_SUBQUERY = 200


def _ids(activities, source):
    """The events' ids for an `__in` lookup: a list, or `source` (the query set the events
    were read from) as a subquery when they are many, on a server database."""
    if (
        source is not None
        and len(activities) > IDS_AS_SUBQUERY
        and connections[source.db].vendor != "sqlite"
    ):
        return source.values("pk")
    return [activity.pk for activity in activities]


def _organizers(activities, language, source=None):
    """The organizations' names of each event, in `language`: {activity pk: (names)}.

    Prefetched organizations are used as they are; otherwise one query reads the names of
    all the events' organizations, as plain values (no model instances, no per-event
    query set), each organization's name being worked out once however many events it runs.
    """
    read = Reader(language)
    prefetched = all(
        "organizations" in getattr(activity, "_prefetched_objects_cache", ())
        for activity in activities
    )
    if prefetched:
        return {
            activity.pk: in_order(read(o, "name").value for o in activity.organizations.all())
            for activity in activities
        }
    columns = [localized_column("name", code) for code in read.order]
    through = Activity.organizations.through
    rows = through.objects.filter(activity_id__in=_ids(activities, source)).values_list(
        "activity_id", "organization_id", *(f"organization__{column}" for column in columns)
    )
    names, by_event = {}, {}
    for activity_id, organization_id, *values in rows:
        name = names.get(organization_id)
        if name is None:
            name = names[organization_id] = next((v for v in values if v and v.strip()), "")
        by_event.setdefault(activity_id, []).append(name)
    return {activity.pk: in_order(by_event.get(activity.pk, ())) for activity in activities}


# About 1 kB an event: at most some 15 MB per process, enough for 2,000 upcoming events in
# all six languages (or the 5,000 of a full feed in three).
_VEVENTS = Serialized(size=3 * FEED_LIMIT)


def clear_memos():
    """Forget serialized events and time zones (tests; a benchmark's cold start)."""
    _VEVENTS.clear()
    zones.clear_memos()


# What a VEVENT is made of, besides the feed's language and the event's organizations.
# for_feed loads these columns and nothing else; _row_key reads them all.
FEED_COLUMNS = [
    *selectors.PUBLIC_COLUMNS,
    "contact_name",
    "contact_email",
    "contact_is_public",
    "sequence",
    "updated_at",
]


def _feed_columns():
    return [*FEED_COLUMNS, *localized_columns("title"), *localized_columns("summary")]


def _values(activity, columns):
    """Every column a VEVENT reads, in `columns` order (a feed's row already is that)."""
    if isinstance(activity, tuple):  # a row of for_feed: the id, then the columns
        return activity[1:]
    return tuple(getattr(activity, column) for column in columns)


def _row_key(activity, values, context):
    """What decides an event's VEVENT bytes in a feed.

    The id, `updated_at` and SEQUENCE name the version of the event; the hash of every
    column the VEVENT reads (`values`) also catches a row written without touching
    `updated_at` (a queryset `.update()`); `context` is the feed's language, description
    length and the event's address and organizers' names, which live outside the row.
    """
    return (activity.pk, activity.updated_at, activity.sequence, hash(values), *context)


def feed_calendar(
    activities, *, name, language, description_limit=FEED_DESCRIPTION_LIMIT, source=None
):
    """A subscribable calendar (METHOD:PUBLISH) of `activities`, as bytes."""
    activities = list(activities)
    envelope = new_calendar(method=Method.PUBLISH, name=name)
    vtimezones = zones.feed_zones(zones.zone_spans(activities))
    # One reverse() for the whole feed: resolving each event's address separately costs more
    # than building its VEVENT.
    marker = "-slug-"
    pattern = absolute_url(reverse("activities:activity-detail", kwargs={"slug": marker}))
    words = Words.in_active_language()
    read = Reader(language)
    organizers = _organizers(activities, language, source)
    columns = _feed_columns()
    active = get_language()
    pages = [pattern.replace(marker, activity.slug) for activity in activities]
    values = [_values(activity, columns) for activity in activities]
    keys = [
        _row_key(
            activity, row, (language, active, description_limit, page, organizers[activity.pk])
        )
        for activity, row, page in zip(activities, values, pages, strict=True)
    ]
    parts = _VEVENTS.get_many(keys)
    missing = [index for index, body in enumerate(parts) if body is None]
    if missing:
        # Not in this process: from the database store, else serialized here and stored.
        feed = store.digest("feed", language, active, description_limit, words)
        names = {
            activities[index].pk: store.digest(
                feed,
                activities[index].pk,
                *values[index],
                pages[index],
                *organizers[activities[index].pk],
            )
            for index in missing
        }
        stored = store.stored_vevents(
            names, language=language, among=_ids([activities[i] for i in missing], source)
        )
        built, fresh = [], {}
        for index in missing:
            activity = activities[index]
            body = stored.get(activity.pk)
            if body is None:
                # DTSTAMP is the last change, not the time of the request: the same data
                # gives the same bytes, so the feed can be cached and answered with 304s,
                # and so can each of its events.
                event = event_component(
                    activity,
                    language=language,
                    stamp=activity.updated_at,
                    description_limit=description_limit,
                    page_url=pages[index],
                    words=words,
                    organizers=organizers[activity.pk],
                    read=read,
                )
                body = serialize(event)
                built.append((activity.pk, names[activity.pk], body))
            parts[index] = fresh[keys[index]] = body
        store.store_vevents(built, language=language)
        _VEVENTS.set_many(fresh)
    return join(envelope, [*vtimezones, *parts])


# --- which events a feed holds ---


def feed_events(*, working_group=None, organization=None, action_area=None, now=None):
    """The published events a feed holds: upcoming ones and those of the last RECENT_DAYS."""
    since = (now or timezone.now()) - timezone.timedelta(days=RECENT_DAYS)
    events = (
        selectors.published_activities(
            kind=Kind.EVENT,
            working_group=working_group,
            organization=organization,
            action_area=action_area,
        )
        .filter(starts_at__isnull=False)
        .filter(Q(ends_at__gte=since) | Q(ends_at__isnull=True, starts_at__gte=since))
    )
    return events


def fingerprint(events):
    """A key that changes with the feed's content, in one aggregate query.

    An edit moves the latest `updated_at`; an event entering or leaving the feed (published,
    or out of the window) changes the count or the sum of ids. Changes elsewhere
    (an organization's name) wait for the cache's timeout.
    """
    figures = events.aggregate(count=Count("pk"), ids=Sum("pk"), changed=Max("updated_at"))
    changed = figures["changed"].timestamp() if figures["changed"] else 0
    return f"{figures['count']}-{figures['ids'] or 0}-{changed:.6f}"


def for_feed(events):
    """The columns a VEVENT needs, as rows with those attributes, in one query (the
    organizations' names are a second)."""
    # Only what a VEVENT reads, as plain rows rather than model instances: loading whole
    # rows, then building thousands of instances (with modeltranslation's own work on each),
    # was most of the time of a big feed's query. (A column left out here and read in
    # event_component fails every feed test.) Organizations are not prefetched:
    # feed_calendar reads their names as plain values, several times faster for thousands.
    rows = events.order_by("starts_at", "pk").values_list("pk", *_feed_columns(), named=True)
    return rows[:FEED_LIMIT]


# --- cached feeds, rebuilt by one request at a time ---

FEED_CACHE_SECONDS = 15 * 60
# Longer than any rebuild takes; if the request rebuilding dies, others take over after it.
REBUILD_LOCK_SECONDS = 30
# How long a request waits for a first build under way before building one itself.
FIRST_BUILD_WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.05


def cached_feed(events, *, key, name, language, timeout=FEED_CACHE_SECONDS):
    """The feed of `events` as bytes, rendered at most once per change and language.

    The shared cache keeps the latest rendering of each feed with the fingerprint of the
    data it was made from. When the data has changed, one request (the one that wins
    `cache.add` on a short lock) rebuilds it; the others meanwhile answer with the previous
    rendering, minutes old at most, rather than all rebuilding the same feed at once. Only
    when no rendering exists yet do they wait, briefly, for the one being made.
    """
    current = fingerprint(events)
    cache_key = ":".join(("activities", "ical", key, language, settings.SITE_URL))
    entry = cache.get(cache_key)
    if entry is not None and entry[0] == current:
        return entry[1]
    lock = f"{cache_key}:rebuilding"

    def build():
        body = feed_calendar(for_feed(events), name=name, language=language, source=events)
        cache.set(cache_key, (current, body), timeout)
        return body

    if cache.add(lock, current, REBUILD_LOCK_SECONDS):
        try:
            return build()
        finally:
            cache.delete(lock)
    if entry is not None:
        return entry[1]
    deadline = monotonic() + FIRST_BUILD_WAIT_SECONDS
    while monotonic() < deadline:
        sleep(_POLL_SECONDS)
        entry = cache.get(cache_key)
        if entry is not None:
            return entry[1]
        if cache.get(lock) is None:
            break  # the build ended without a result: make one here
    return build()
