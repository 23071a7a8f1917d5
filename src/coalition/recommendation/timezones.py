"""IANA time zones, validated against the zone database Python ships with (zoneinfo + tzdata).

Any name of the database is accepted (old data and API clients may use a former name such
as Africa/Asmera); forms offer only the current ones, from tzdata's zone.tab, grouped by
region, each with its city and its offset today, the organizer's likely zones first.
"""

import zoneinfo
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

AREAS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


@cache
def current_zones():
    """{zone: (country codes…)} of the zones in use today, from tzdata's zone.tab: one
    name per zone, never a former one kept as an alias (Africa/Asmera, Asia/Calcutta)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        codes, _coordinates, zone, *_comment = line.split("\t")
        for code in codes.split(","):
            zones.setdefault(zone, []).append(code)
    return {zone: tuple(codes) for zone, codes in zones.items()}


def zones_of_country(country_code):
    code = str(country_code or "").upper()
    return sorted(zone for zone, codes in current_zones().items() if code in codes)


def _offset(zone, moment):
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_label(zone, moment=None):
    """ "Buenos Aires, Argentina (UTC−03:00)": the city first, then its offset at `moment`."""
    moment = moment or datetime.now(UTC)
    if zone == "UTC":
        return "UTC"
    parts = zone.split("/")[1:] or [zone]
    place = ", ".join(part.replace("_", " ") for part in reversed(parts))
    return f"{place} ({_offset(zone, moment)})"


@lru_cache(maxsize=32)
def _grouped(day, language):
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    groups = {}
    for zone in current_zones():
        area = zone.split("/")[0]
        groups.setdefault(area, []).append((zone, zone_label(zone, noon)))
    return [
        (str(AREAS.get(area, area)), sorted(zones, key=lambda choice: choice[1]))
        for area, zones in sorted(groups.items(), key=lambda item: str(AREAS.get(item[0], item[0])))
    ]


def time_zone_choices(first=()):
    """Current zones grouped by region, labelled by city and today's offset; `first` (the
    organizer's likely zones) in a group of their own at the top, then UTC."""
    today = date.today()
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    choices = []
    likely = [zone for zone in dict.fromkeys(first) if zone]
    if likely:
        choices.append((str(_("Suggested")), [(zone, zone_label(zone, noon)) for zone in likely]))
    choices.append(("UTC", "UTC"))
    choices.extend(_grouped(today, get_language()))
    return choices


def validate_time_zone(value):
    if value and value not in time_zone_names():
        raise ValidationError(
            _(
                "“%(zone)s” is not a known time zone. "
                "Use a name such as Europe/Paris or Asia/Tokyo."
            ),
            params={"zone": value},
            code="unknown_time_zone",
        )
