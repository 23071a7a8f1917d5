"""iCalendar (RFC 5545): the Hub's event feeds and the invitations sent to registrants.

Everything is built with the `icalendar` library, never with string templates, so
escaping, line folding and time zones follow the RFC. A feed carries only what the event
page shows everyone: never the access link, a contact the organizers keep private, nor
anything about registrants. An invitation goes to one registrant: it names them as the
attendee and, once their place is confirmed, gives them the access link.

UIDs are `activity-<pk>@<host of SITE_URL>`: stable across edits, languages and feeds, so
a calendar that meets the same event in two feeds (all events, its working group) or in
an invitation keeps one entry and updates it when SEQUENCE rises.

A feed of thousands of events is rebuilt in a tenth of a second, still entirely by the
library: each event's VEVENT is serialized by the library (`serialize`, the bytes of
`Event.to_ical()`) and kept, in the process (`_VEVENTS`) and in the database for every
process (`calendar_store`), so a rebuild after one edit serializes that one event again, a
newly started process serializes none, and the bytes are joined inside a VCALENDAR envelope
that the library serializes too (`_join` says why the joined bytes are exactly what the
library writes for the whole calendar). VTIMEZONEs, slow to build, are kept the same way.
What the events need is fetched in a few queries, whatever their number, and what is the
same for all of them (words, fallback order, address pattern, time zones) is worked out
once per feed. `cached_feed` keeps finished feeds in the shared cache and lets one request at a
time rebuild each.
"""

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from email.utils import parseaddr
from functools import lru_cache
from time import monotonic, sleep
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    vCalAddress,
    vCategory,
    vDatetime,
    vDuration,
    vInt,
    vText,
    vUri,
)

from coalition.core.mail import absolute_url
from coalition.core.richtext import html_to_text
from coalition.core.translated import localized_column, localized_columns
from coalition.recommendation.content import Content, content_languages
from coalition.recommendation.languages import join_list, list_separator

from . import calendar_store, selectors
from .models import Activity, EventFormat, Kind

PRODID = "-//OER Dynamic Coalition//OER Coalition Hub//EN"
# Feeds hold upcoming events and those of the last three months: enough for a calendar to
# keep recent history, and the feed's size stays bound by what is planned, not by the archive.
RECENT_DAYS = 90
# A hard ceiling, far above the Coalition's pace, so that no feed grows without limit; the
# events furthest in the future are the ones left out.
FEED_LIMIT = 5000
# Feeds carry the start of the summary and the page's address; the page has the rest. (Each
# character also costs: folding long lines is the larger part of rendering a big feed.)
FEED_DESCRIPTION_LIMIT = 300
REFRESH = timedelta(hours=6)


class Method:
    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@lru_cache(maxsize=8)
def _host(site_url):
    return urlsplit(site_url).hostname or "localhost"


def site_host():
    return _host(settings.SITE_URL)


def uid_for(activity):
    return f"activity-{activity.pk}@{site_host()}"


def zone_of(activity):
    """The organizer's zone as a tzinfo; UTC (written with a Z) when none or unknown."""
    return _zone_named(activity.time_zone)


# zoneinfo keeps only its last eight zones for sure; a feed uses dozens, event after event.
@lru_cache(maxsize=1024)
def _zone_named(name):
    if not name or name in {"UTC", "Etc/UTC", "Etc/Universal", "Zulu"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


# --- components ---


@dataclass(frozen=True)
class Words:
    """The translated words of a calendar, looked up once for all its events (in a feed of
    thousands, asking gettext and the choices again for each event costs more than the rest)."""

    online: str
    cancelled: str
    organized_by: str
    join: str
    separator: str
    formats: dict

    @classmethod
    def in_active_language(cls):
        return cls(
            online=_("Online"),
            cancelled=_("This event is cancelled."),
            organized_by=_("Organized by: %(names)s"),
            join=_("Join: %(url)s (this link is for you; please do not share it)"),
            separator=list_separator(),
            formats={value: str(label) for value, label in EventFormat.choices},
        )


class Reader:
    """`content_in` for one language, with its order of fallback worked out once.

    Reads the same columns in the same order as `content_in` (and gives the same Content),
    without recomputing that order for each of a feed's thousands of titles and summaries.
    """

    def __init__(self, language):
        requested = language or get_language() or settings.LANGUAGE_CODE
        if requested not in settings.MODELTRANSLATION_LANGUAGES:
            requested = requested.split("-")[0]
        self.requested = requested
        self.order = content_languages(requested)
        self._columns = {}

    def __call__(self, obj, field):
        columns = self._columns.get(field)
        if columns is None:
            columns = self._columns[field] = [(c, localized_column(field, c)) for c in self.order]
        for code, column in columns:
            value = getattr(obj, column, "") or ""
            if value.strip():
                return Content(value, code, self.requested)
        return Content("", self.requested, self.requested)


def location_text(activity, words=None):
    """The public place: "Online", the venue, or both. Never the access link."""
    parts = []
    if activity.is_online:
        parts.append(words.online if words else _("Online"))
    if activity.location:
        parts.append(activity.location)
    return " · ".join(parts)


@lru_cache(maxsize=4096)
def _name_key(name):
    # Letters without case or accents ("Ākona" beside "alpha"), then the name itself.
    letters = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in letters if not unicodedata.combining(c)), name


def _in_order(names):
    # Sorted here rather than by the database, so that SQLite and PostgreSQL (and each
    # language's names) list an event's organizations in the same order.
    return tuple(sorted(names, key=_name_key))


def organization_names(activity, language):
    read = Reader(language)
    return list(_in_order(read(o, "name").value for o in activity.organizations.all()))


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
            activity.pk: _in_order(read(o, "name").value for o in activity.organizations.all())
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
    return {activity.pk: _in_order(by_event.get(activity.pk, ())) for activity in activities}


def _description(activity, *, words, summary, limit, page_url, organizers, access_url=""):
    paragraphs = []
    if activity.is_cancelled:
        paragraphs.append(words.cancelled)
    summary = html_to_text(summary, limit=limit)
    if summary:
        paragraphs.append(summary)
    if organizers:
        paragraphs.append(words.organized_by % {"names": words.separator.join(organizers)})
    if access_url:
        paragraphs.append(words.join % {"url": access_url})
    paragraphs.append(page_url)
    return "\n\n".join(paragraphs)


def _public_organizer(activity, organizers):
    if not (activity.contact_is_public and activity.contact_email):
        return None
    organizer = vCalAddress(f"mailto:{activity.contact_email}")
    organizer.params["CN"] = vText(activity.contact_name or join_list(organizers))
    return organizer


def event_component(
    activity,
    *,
    language,
    stamp,
    description_limit=None,
    access_url="",
    hub_organizer=False,
    page_url=None,
    words=None,
    organizers=None,
    read=None,
):
    """The VEVENT of one event. `stamp` is DTSTAMP (when this copy of the event was made).

    A feed passes what is the same for all its events (`words`, `read`) and what it fetched
    for all of them at once (`organizers`, `page_url`); alone, the event looks them up.
    """
    words = words or Words.in_active_language()
    read = read or Reader(language)
    zone = zone_of(activity)
    page_url = page_url or absolute_url(activity.get_absolute_url())
    if organizers is None:
        organizers = organization_names(activity, language)
    title = read(activity, "title")
    summary = vText(title.value)
    if title.is_fallback:
        # The title is in another language than the feed's: calendars are told which.
        summary.params["LANGUAGE"] = title.language
    description = _description(
        activity,
        words=words,
        summary=read(activity, "summary").value,
        limit=description_limit,
        page_url=page_url,
        organizers=organizers,
        access_url=access_url,
    )
    # Properties are set already typed, each with its own value type (vDatetime rather than
    # the all-purpose vDDDTypes, which makes a vDatetime again at each serialization): letting
    # `add` infer each type costs more than the rest of the work in a feed of thousands.
    event = Event()
    event["UID"] = vText(uid_for(activity))
    event["DTSTAMP"] = vDatetime(stamp.astimezone(UTC))
    event["DTSTART"] = vDatetime(activity.starts_at.astimezone(zone))
    if activity.ends_at:
        event["DTEND"] = vDatetime(activity.ends_at.astimezone(zone))
    event["SEQUENCE"] = vInt(activity.sequence)
    event["STATUS"] = vText("CANCELLED" if activity.is_cancelled else "CONFIRMED")
    event["SUMMARY"] = summary
    event["DESCRIPTION"] = vText(description)
    event["URL"] = vUri(page_url)
    where = location_text(activity, words)
    if where:
        event["LOCATION"] = vText(where)
    organizer = _public_organizer(activity, organizers)
    if organizer is None and hub_organizer:
        # An invitation must name an organizer (RFC 5546); without a public contact it is
        # the Hub's own sending address, under the organizations' names.
        organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
        organizer.params["CN"] = vText(join_list(organizers) or str(settings.HUB_NAME))
    if organizer is not None:
        event["ORGANIZER"] = organizer
    if activity.event_format:
        event["CATEGORIES"] = vCategory([words.formats.get(activity.event_format, "")])
    event["LAST-MODIFIED"] = vDatetime(activity.updated_at.astimezone(UTC))
    return event


@lru_cache(maxsize=512)
def _vtimezone(zone_name, first_year, last_year):
    # Building a VTIMEZONE walks the zone's transitions: done once per zone and span, then
    # shared read-only by every calendar that needs it.
    return Timezone.from_tzid(
        zone_name, first_date=date(first_year, 1, 1), last_date=date(last_year + 2, 1, 1)
    )


@lru_cache(maxsize=512)
def _vtimezone_ical(zone_name, first_year, last_year):
    return _vtimezone(zone_name, first_year, last_year).to_ical(sorted=False)


# Serialized VTIMEZONEs of the spans this process's feeds used: {(zone, first, last): bytes}.
_ZONES = {}
_ZONES_SIZE = 1024


def _feed_zones(spans):
    """The VTIMEZONE bytes of `spans`: from this process, else from the database store."""
    missing = [span for span in spans if span not in _ZONES]
    if missing:
        if len(_ZONES) + len(missing) > _ZONES_SIZE:
            _ZONES.clear()
        _ZONES.update(
            zip(missing, calendar_store.vtimezones(missing, _vtimezone_ical), strict=True)
        )
    return [_ZONES[span] for span in spans]


def _zone_spans(activities):
    """The zones the events use (UTC aside), each with the first and last year it covers."""
    years = {}
    for activity in activities:
        zone = zone_of(activity)
        if zone is UTC:
            continue
        moments = [m for m in (activity.starts_at, activity.ends_at) if m]
        low, high = years.get(zone.key, (9999, 0))
        low, high = min(low, *(m.year for m in moments)), max(high, *(m.year for m in moments))
        years[zone.key] = (low, high)
    return [(name, low, high) for name, (low, high) in sorted(years.items())]


def _timezones(activities):
    """One VTIMEZONE per zone the events use, covering the years they span."""
    return [_vtimezone(*span) for span in _zone_spans(activities)]


def new_calendar(*, method, name=""):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("name", name)  # RFC 7986
        calendar.add("x-wr-calname", name)  # what most calendar apps still read
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


# --- feeds: serialized VEVENTs kept, then joined ---


class _Serialized:
    """A bounded, thread-safe, least-recently-used store of serialized VEVENTs.

    It lives in the process, not in the shared cache: a feed holds thousands of events, and
    thousands of small entries in the default cache would push out what else lives there
    (rate-limit counters above all, with the in-memory backend's 300 entries). The shared
    cache keeps the finished feeds; this keeps their parts, so the process that rebuilds a
    feed after an edit serializes only the events that changed.
    """

    def __init__(self, size):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys):
        with self._lock:
            found = []
            for key in keys:
                value = self._items.get(key)
                if value is not None:
                    self._items.move_to_end(key)
                found.append(value)
            return found

    def set_many(self, items):
        with self._lock:
            self._items.update(items)
            for key in items:
                self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)


# About 1 kB an event: at most some 15 MB per process, enough for 2,000 upcoming events in
# all six languages (or the 5,000 of a full feed in three).
_VEVENTS = _Serialized(size=3 * FEED_LIMIT)


def clear_memos():
    """Forget serialized events and time zones (tests; a benchmark's cold start)."""
    _VEVENTS.clear()
    _ZONES.clear()
    _zone_named.cache_clear()
    ZoneInfo.clear_cache()
    _vtimezone.cache_clear()
    _vtimezone_ical.cache_clear()


# What a VEVENT is made of, besides the feed's language and the event's organizations.
# for_feed loads these columns and nothing else; _row_key reads them all.
FEED_COLUMNS = [
    "slug",
    "kind",
    "event_format",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "is_online",
    "contact_name",
    "contact_email",
    "contact_is_public",
    "is_cancelled",
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


# RFC 5545 3.1: content lines longer than 75 octets are folded.
FOLD_OCTETS = 75


def serialize(component):
    """`component.to_ical(sorted=False)`, byte for byte, in four fifths of the time.

    The library's `to_ical` writes the component's content lines (`content_lines`, where
    names, parameters, escaping and value types are handled) and folds each one
    (`Contentline.to_ical`). Folding walks a line character by character, and leaves a
    line shorter than 75 octets as it is: here such a line is only encoded, which is what
    the library's folding returns for it; the others are folded by the library. In a feed
    most lines are short (UID, dates, status...), so this skips nearly half the folding work.
    The tests compare the two on many events.
    """
    lines = []
    for line in component.content_lines(sorted=False):
        if line:
            data = line.encode("utf-8")
            lines.append(data if len(data) < FOLD_OCTETS else line.to_ical())
    lines.append(b"")
    return b"\r\n".join(lines)


_END = b"END:VCALENDAR\r\n"


def _join(envelope, components):
    """The calendar `envelope` holding the serialized `components`, as bytes.

    Equivalent to adding the components to the envelope and serializing the whole. RFC 5545
    (3.1, 3.4, 3.6) makes an iCalendar object a sequence of content lines, each folded on
    its own and ended by CRLF: "BEGIN:VCALENDAR", the calendar's properties, then each
    component from its BEGIN line to its END line, then "END:VCALENDAR". The library writes
    exactly that (Component.content_lines: BEGIN, the component's properties, the lines of
    each subcomponent in order, END; then each line is folded on its own), and no line
    depends on another, so the bytes of a component serialized alone are the bytes it has
    inside the calendar. Putting them before the envelope's END line gives what `to_ical`
    gives for the whole calendar; the tests check this, byte for byte, against the library.
    """
    head = envelope.to_ical(sorted=False)
    if envelope.subcomponents or not head.endswith(_END):
        raise ValueError("The envelope must be a VCALENDAR without components.")
    return b"".join([head[: -len(_END)], *components, _END])


def feed_calendar(
    activities, *, name, language, description_limit=FEED_DESCRIPTION_LIMIT, source=None
):
    """A subscribable calendar (METHOD:PUBLISH) of `activities`, as bytes."""
    activities = list(activities)
    envelope = new_calendar(method=Method.PUBLISH, name=name)
    zones = _feed_zones(_zone_spans(activities))
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
        feed = calendar_store.digest("feed", language, active, description_limit, words)
        names = {
            activities[index].pk: calendar_store.digest(
                feed,
                activities[index].pk,
                *values[index],
                pages[index],
                *organizers[activities[index].pk],
            )
            for index in missing
        }
        stored = calendar_store.stored_vevents(
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
        calendar_store.store_vevents(built, language=language)
        _VEVENTS.set_many(fresh)
    return _join(envelope, [*zones, *parts])


def invitation(registration, *, method, language, access_url=""):
    """The .ics attached to a registrant's e-mail (METHOD:REQUEST or CANCEL), as bytes."""
    activity = registration.activity
    calendar = new_calendar(method=method)
    for component in _timezones([activity]):
        calendar.add_component(component)
    event = event_component(
        activity,
        language=language,
        stamp=timezone.now(),
        access_url=access_url,
        hub_organizer=True,
    )
    if method == Method.CANCEL:
        event["status"] = vText("CANCELLED")
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["CN"] = vText(registration.name)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED" if method == Method.REQUEST else "DECLINED")
    attendee.params["RSVP"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical(sorted=False)


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
    withdrawn, or out of the window) changes the count or the sum of ids. Changes elsewhere
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
