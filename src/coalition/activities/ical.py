"""iCalendar (RFC 5545): the Hub's event feeds and the invitations sent to registrants.

Everything is built with the `icalendar` library, never with string templates, so
escaping, line folding and time zones follow the RFC. A feed carries only what the event
page shows everyone: never the access link, a contact the organizers keep private, nor
anything about registrants. An invitation goes to one registrant: it names them as the
attendee and, once their place is confirmed, gives them the access link.

UIDs are `activity-<pk>@<host of SITE_URL>`: stable across edits, languages and feeds, so
a calendar that meets the same event in two feeds (all events, its working group) or in
an invitation keeps one entry and updates it when SEQUENCE rises.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from email.utils import parseaddr
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    vCalAddress,
    vCategory,
    vDDDTypes,
    vDuration,
    vInt,
    vText,
    vUri,
)

from coalition.members.models import Organization
from coalition.recommendation.content import content_in

from . import selectors
from .models import EventFormat, Kind

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


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid_for(activity):
    return f"activity-{activity.pk}@{site_host()}"


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def zone_of(activity):
    """The organizer's zone as a tzinfo; UTC (written with a Z) when none or unknown."""
    name = activity.time_zone
    if not name or name in {"UTC", "Etc/UTC", "Etc/Universal", "Zulu"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


# --- plain text from sanitized rich text (DESCRIPTION, JSON-LD, e-mails) ---

_BLOCKS = {"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            # A link keeps its address in plain text, unless the label already is the address.
            shown = href.removeprefix("mailto:")
            if href.startswith(("http://", "https://", "mailto:")) and shown != label:
                self.parts.append(f" ({shown})")

    def handle_data(self, data):
        self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")
_TAG = re.compile(r"<")


def plain_text(value, limit=None):
    """Readable plain text from (sanitized) HTML: paragraphs, list bullets, link addresses."""
    if not value:
        return ""
    if not _TAG.search(value):
        text = unescape(value)
    else:
        parser = _TextParser()
        parser.feed(value)
        parser.close()
        text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if limit and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
        text = f"{cut}…"
    return text


# --- components ---


@dataclass(frozen=True)
class Words:
    """The translated words of a calendar, looked up once for all its events (in a feed of
    thousands, asking gettext and the choices again for each event costs more than the rest)."""

    online: str
    cancelled: str
    organized_by: str
    join: str
    formats: dict

    @classmethod
    def in_active_language(cls):
        return cls(
            online=_("Online"),
            cancelled=_("This event is cancelled."),
            organized_by=_("Organized by: %(names)s"),
            join=_("Join: %(url)s (this link is for you; please do not share it)"),
            formats={value: str(label) for value, label in EventFormat.choices},
        )


def location_text(activity, words=None):
    """The public place: "Online", the venue, or both. Never the access link."""
    parts = []
    if activity.is_online:
        parts.append(words.online if words else _("Online"))
    if activity.location:
        parts.append(activity.location)
    return " · ".join(parts)


def organization_names(activity, language):
    return [content_in(o, "name", language).value for o in activity.organizations.all()]


def _description(activity, *, words, language, limit, page_url, organizers, access_url=""):
    paragraphs = []
    if activity.is_cancelled:
        paragraphs.append(words.cancelled)
    summary = plain_text(content_in(activity, "summary", language).value, limit)
    if summary:
        paragraphs.append(summary)
    if organizers:
        paragraphs.append(words.organized_by % {"names": ", ".join(organizers)})
    if access_url:
        paragraphs.append(words.join % {"url": access_url})
    paragraphs.append(page_url)
    return "\n\n".join(paragraphs)


def _public_organizer(activity, organizers):
    if not (activity.contact_is_public and activity.contact_email):
        return None
    organizer = vCalAddress(f"mailto:{activity.contact_email}")
    organizer.params["CN"] = vText(activity.contact_name or ", ".join(organizers))
    return organizer


def event_component(
    activity, *, language, stamp, description_limit=None, access_url="", hub_organizer=False,
    page_url=None, words=None,
):
    """The VEVENT of one event. `stamp` is DTSTAMP (when this copy of the event was made)."""
    words = words or Words.in_active_language()
    zone = zone_of(activity)
    page_url = page_url or absolute(activity.get_absolute_url())
    organizers = organization_names(activity, language)
    title = content_in(activity, "title", language)
    summary = vText(title.value)
    if title.is_fallback:
        # The title is in another language than the feed's: calendars are told which.
        summary.params["LANGUAGE"] = title.language
    description = _description(
        activity, words=words, language=language, limit=description_limit, page_url=page_url,
        organizers=organizers, access_url=access_url,
    )
    # Properties are set already typed: letting `add` infer each type costs more than the
    # rest of the work in a feed of thousands of events, for the same output.
    event = Event()
    event["UID"] = vText(uid_for(activity))
    event["DTSTAMP"] = vDDDTypes(stamp.astimezone(UTC))
    event["DTSTART"] = vDDDTypes(activity.starts_at.astimezone(zone))
    if activity.ends_at:
        event["DTEND"] = vDDDTypes(activity.ends_at.astimezone(zone))
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
        organizer.params["CN"] = vText(", ".join(organizers) or str(settings.HUB_NAME))
    if organizer is not None:
        event["ORGANIZER"] = organizer
    if activity.event_format:
        event["CATEGORIES"] = vCategory([words.formats.get(activity.event_format, "")])
    event["LAST-MODIFIED"] = vDDDTypes(activity.updated_at.astimezone(UTC))
    return event


@lru_cache(maxsize=512)
def _vtimezone(zone_name, first_year, last_year):
    # Building a VTIMEZONE walks the zone's transitions: done once per zone and span, then
    # shared read-only by every calendar that needs it.
    return Timezone.from_tzid(
        zone_name, first_date=date(first_year, 1, 1), last_date=date(last_year + 2, 1, 1)
    )


def _timezones(activities):
    """One VTIMEZONE per zone the events use, covering the years they span."""
    years = {}
    for activity in activities:
        zone = zone_of(activity)
        if zone is UTC:
            continue
        moments = [m for m in (activity.starts_at, activity.ends_at) if m]
        low, high = years.get(zone.key, (9999, 0))
        low, high = min(low, *(m.year for m in moments)), max(high, *(m.year for m in moments))
        years[zone.key] = (low, high)
    return [_vtimezone(name, low, high) for name, (low, high) in sorted(years.items())]


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


def feed_calendar(activities, *, name, language, description_limit=FEED_DESCRIPTION_LIMIT):
    """A subscribable calendar (METHOD:PUBLISH) of `activities`, as bytes."""
    activities = list(activities)
    calendar = new_calendar(method=Method.PUBLISH, name=name)
    for component in _timezones(activities):
        calendar.add_component(component)
    # One reverse() for the whole feed: resolving each event's address separately costs more
    # than building its VEVENT.
    marker = "-slug-"
    pattern = absolute(reverse("activities:activity-detail", kwargs={"slug": marker}))
    words = Words.in_active_language()
    for activity in activities:
        # DTSTAMP is the last change, not the time of the request: the same data gives the
        # same bytes, so the rendered feed can be cached and answered with 304s.
        calendar.add_component(
            event_component(
                activity, language=language, stamp=activity.updated_at,
                description_limit=description_limit,
                page_url=pattern.replace(marker, activity.slug), words=words,
            )
        )
    return calendar.to_ical(sorted=False)


def invitation(registration, *, method, language, access_url=""):
    """The .ics attached to a registrant's e-mail (METHOD:REQUEST or CANCEL), as bytes."""
    activity = registration.activity
    calendar = new_calendar(method=method)
    for component in _timezones([activity]):
        calendar.add_component(component)
    event = event_component(
        activity, language=language, stamp=timezone.now(), access_url=access_url,
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
            kind=Kind.EVENT, working_group=working_group, organization=organization,
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
    """The columns and relations a VEVENT needs, fetched in two queries."""
    codes = [code.replace("-", "_") for code in settings.MODELTRANSLATION_LANGUAGES]
    organizations = Organization.objects.only("pk", "slug", *(f"name_{c}" for c in codes))
    # Only what a VEVENT reads: loading whole rows is most of the time of a big feed's query.
    # (A column left out here and read in event_component would cost a query per event; the
    # query-count tests would show it.)
    columns = [
        "slug", "kind", "event_format", "starts_at", "ends_at", "time_zone", "location",
        "is_online", "contact_name", "contact_email", "contact_is_public", "is_cancelled",
        "sequence", "updated_at", *(f"title_{c}" for c in codes), *(f"summary_{c}" for c in codes),
    ]
    return (
        events.order_by("starts_at", "pk")
        .only(*columns)
        .prefetch_related(Prefetch("organizations", queryset=organizations))[:FEED_LIMIT]
    )

