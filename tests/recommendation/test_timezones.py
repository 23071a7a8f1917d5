from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from coalition.recommendation.timezones import (
    current_zones,
    time_zone_choices,
    validate_time_zone,
    zone_label,
    zones_of_country,
)


def values(choices):
    for value, label in choices:
        if isinstance(label, list):
            yield from (inner for inner, _label in label)
        else:
            yield value


def test_current_zones_leave_out_former_names():
    zones = current_zones()
    assert "Africa/Asmara" in zones and "Asia/Kolkata" in zones and "Europe/Kyiv" in zones
    for alias in ("Africa/Asmera", "Asia/Calcutta", "Europe/Kiev", "US/Eastern", "GMT+0"):
        assert alias not in zones


def test_choices_are_grouped_by_region_and_labelled_by_city_and_offset():
    choices = time_zone_choices()
    groups = {label: options for label, options in choices if isinstance(options, list)}
    assert {"Africa", "Americas", "Asia", "Europe", "Pacific Ocean"} <= set(groups)
    europe = dict(groups["Europe"])
    assert europe["Europe/Paris"].startswith("Paris (UTC+0")
    assert "Africa/Asmera" not in set(values(choices))
    assert list(values(choices)).count("Europe/Paris") == 1


def test_likely_zones_come_first_in_their_own_group():
    label, options = time_zone_choices(zones_of_country("KE"))[0]
    assert label == "Suggested"
    assert options == [("Africa/Nairobi", "Nairobi (UTC+03:00)")]


def test_zone_label_names_the_country_of_nested_zones_and_negative_offsets():
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert zone_label("America/Argentina/Buenos_Aires", winter) == (
        "Buenos Aires, Argentina (UTC−03:00)"
    )
    assert zone_label("Asia/Kolkata", winter) == "Kolkata (UTC+05:30)"
    assert zone_label("UTC", winter) == "UTC"


def test_former_names_stay_valid_for_saved_data():
    validate_time_zone("Africa/Asmera")
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus_Mons")
