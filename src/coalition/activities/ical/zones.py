"""Time zones: the organizer's zone of an event, and the VTIMEZONEs a calendar carries.

Building a VTIMEZONE walks the zone's transitions, which is slow: each one is kept in the
process (`_ZONES`) and, serialized, in the database store for every process (`store`).
"""

from datetime import UTC, date
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Timezone

from . import store


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


def feed_zones(spans):
    """The VTIMEZONE bytes of `spans`: from this process, else from the database store."""
    missing = [span for span in spans if span not in _ZONES]
    if missing:
        if len(_ZONES) + len(missing) > _ZONES_SIZE:
            _ZONES.clear()
        _ZONES.update(zip(missing, store.vtimezones(missing, _vtimezone_ical), strict=True))
    return [_ZONES[span] for span in spans]


def zone_spans(activities):
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


def timezones(activities):
    """One VTIMEZONE per zone the events use, covering the years they span."""
    return [_vtimezone(*span) for span in zone_spans(activities)]


def clear_memos():
    """Forget the zones and VTIMEZONEs this process keeps."""
    _ZONES.clear()
    _zone_named.cache_clear()
    ZoneInfo.clear_cache()
    _vtimezone.cache_clear()
    _vtimezone_ical.cache_clear()
