"""One event's VEVENT, a calendar's envelope, and the invitation sent to a registrant.

`event_component` builds the VEVENT of one event, with property values set already typed.
A feed passes what is the same for all its events (`Words`, a `Reader`) and what it fetched
for all of them at once (organizers' names, page address); alone, an event looks them up.
"""

import unicodedata
from dataclasses import dataclass
from datetime import UTC, timedelta
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
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
from coalition.core.translated import localized_column
from coalition.recommendation.content import Content, content_languages
from coalition.recommendation.languages import join_list, list_separator

from ..models import EventFormat
from .zones import timezones, zone_of

PRODID = "-//OER Dynamic Coalition//OER Coalition Hub//EN"
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


def in_order(names):
    # Sorted here rather than by the database, so that SQLite and PostgreSQL (and each
    # language's names) list an event's organizations in the same order.
    return tuple(sorted(names, key=_name_key))


def organization_names(activity, language):
    read = Reader(language)
    return list(in_order(read(o, "name").value for o in activity.organizations.all()))


# Beyond this many events, PostgreSQL is asked for related rows with the feed's own query
# as a subquery rather than a list of ids: there, thousands of parameters cost more to send


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


def invitation(registration, *, method, language, access_url=""):
    """The .ics attached to a registrant's e-mail (METHOD:REQUEST or CANCEL), as bytes."""
    activity = registration.activity
    calendar = new_calendar(method=method)
    for component in timezones([activity]):
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
