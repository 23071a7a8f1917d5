"""IANA time zones, validated against the zone database Python ships with (zoneinfo + tzdata)."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


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
