"""The "two clocks": an event's time as its organizer announced it, and as the reader lives it.

Times are stored in UTC with the organizer's IANA zone beside them. The organizer's clock
is always rendered on the server (it is the announcement, e.g. "16:00–17:00 CET"); the
reader's clock comes from their account's zone when they set one, otherwise from the
browser (clocks.js), with the organizer's clock as the fallback when scripts are off.
"""

import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from coalition.recommendation.languages import babel_locale


def zone_label(moment):
    """CET, CEST, JST…; where the zone has no letters, UTC+3 or UTC−4:30."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _day(moment):
    """The full date in the active language, from CLDR (Babel): weekday, day, month, year."""
    return _full_date(moment.date(), babel_locale())


# A list page shows dozens of events on a handful of days, and Babel's formatting is the
# larger part of each clock: the same day in the same language is formatted once.
@lru_cache(maxsize=4096)
def _full_date(day, locale):
    return format_date(day, "full", locale=locale)


def _time(moment):
    """Hours and minutes on the 24-hour clock, as the UN and the Coalition's announcements
    write times, with the same digits in every language."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


# A time or a range of times with its zone: "16:00", "16:00–17:00 CET", "09:30 UTC+5:30".
_TIMES = re.compile(
    r"\d{2}:\d{2}(?:\s?[–-]\s?\d{2}:\d{2})?"
    r"(?:\s(?:UTC[+−]\d{1,2}(?::\d{2})?|[A-Z][A-Za-z]{1,5}(?:/[A-Z][A-Za-z]{1,5})?))?"
)


def _isolated(text):
    """In a right-to-left language, each time or range runs left to right, isolated with
    Unicode marks (U+2066 … U+2069), so "16:00–17:00 CET" does not read "CET 17:00–16:00".
    The marks work alike in pages and in plain-text mails."""
    if not get_language_bidi():
        return text
    return _TIMES.sub(lambda match: f"\u2066{match.group(0)}\u2069", text)


def span_patterns():
    """The spans' wording, for the reader's clock that clocks.js writes in the browser."""
    return {
        "single": _("%(day)s, %(start)s %(zone)s"),
        "day": _("%(day)s, %(start)s–%(end)s %(zone)s"),
        "days": _("%(start_day)s %(start)s %(start_zone)s – %(end_day)s %(end)s %(end_zone)s"),
    }


def browser_locale(language=None):
    """The BCP 47 tag under which the browser's Intl writes dates as Babel does here:
    the same CLDR locale (en-GB for English), with western digits, as in `_time`."""
    tag = babel_locale(language).replace("_", "-")
    return f"{tag}-u-nu-latn" if tag.split("-")[0] == "ar" else tag


def span_in_zone(starts_at, ends_at, zone_name):
    """A human span in one zone: same day "Thursday 9 March 2023, 16:00–17:00 CET"."""
    return _isolated(_span_in_zone(starts_at, ends_at, zone_name))


def _span_in_zone(starts_at, ends_at, zone_name):
    zone = ZoneInfo(zone_name or "UTC")
    start = starts_at.astimezone(zone)
    patterns = span_patterns()
    if ends_at is None:
        return patterns["single"] % {
            "day": _day(start),
            "start": _time(start),
            "zone": zone_label(start),
        }
    end = ends_at.astimezone(zone)
    if start.date() == end.date():
        return patterns["day"] % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
            "zone": zone_label(end)
            if zone_label(start) == zone_label(end)
            else f"{zone_label(start)}/{zone_label(end)}",
        }
    return patterns["days"] % {
        "start_day": _day(start),
        "start": _time(start),
        "start_zone": zone_label(start),
        "end_day": _day(end),
        "end": _time(end),
        "end_zone": zone_label(end),
    }


@dataclass(frozen=True)
class TwoClocks:
    organizer: str
    organizer_zone: str
    reader: str  # empty when the reader's zone is unknown on the server or equals the organizer's
    reader_zone: str
    starts_at_utc: str
    ends_at_utc: str


def _same_offsets(starts_at, ends_at, zone_a, zone_b):
    moments = [m for m in (starts_at, ends_at) if m]
    return all(
        m.astimezone(ZoneInfo(zone_a)).utcoffset() == m.astimezone(ZoneInfo(zone_b)).utcoffset()
        for m in moments
    )


def two_clocks(starts_at, ends_at, organizer_zone, reader_zone=""):
    organizer_zone = organizer_zone or "UTC"
    reader = ""
    if reader_zone and not _same_offsets(starts_at, ends_at, organizer_zone, reader_zone):
        reader = span_in_zone(starts_at, ends_at, reader_zone)
    return TwoClocks(
        organizer=span_in_zone(starts_at, ends_at, organizer_zone),
        organizer_zone=organizer_zone,
        reader=reader,
        reader_zone=reader_zone,
        starts_at_utc=starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        ends_at_utc=ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z") if ends_at else "",
    )


def to_utc(naive_local, zone_name):
    """A wall-clock time in the organizer's zone, as an aware UTC datetime.

    Wall times that do not exist (skipped by a daylight-saving change) are moved forward;
    ambiguous ones (repeated) take the first occurrence, as calendars do.
    """
    # PEP 495: fold=0 reads a gap time with the offset before the change (so 02:30 in a
    # spring-forward gap becomes 03:30 summer time) and a repeated time as its first occurrence.
    return naive_local.replace(tzinfo=ZoneInfo(zone_name), fold=0).astimezone(UTC)
