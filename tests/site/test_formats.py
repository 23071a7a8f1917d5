"""One date style per language: Django's formats say what Babel (CLDR) says."""

import datetime

import pytest
from babel.dates import format_date
from django.utils import formats, translation

from coalition.recommendation.languages import UN_LANGUAGES, babel_locale
from tests.factories.members import OrganizationFactory

DAYS = [datetime.date(2026, month, 4) for month in range(1, 13)]


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_date_format_is_cldr_long_date_in_every_month(language):
    with translation.override(language):
        locale = babel_locale()
        for day in DAYS:
            assert formats.date_format(day, "DATE_FORMAT") == format_date(day, "long", locale)


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_short_date_format_is_cldr_short_date(language):
    with translation.override(language):
        locale = babel_locale()
        for day in DAYS:
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == format_date(
                day, "short", locale
            )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "22/11/2026, 12:49"),
        ("fr", "22/11/2026 12:49"),
        ("ar", "22\u200f/11\u200f/2026، 12:49"),
        ("ru", "22.11.2026, 12:49"),
    ],
)
def test_short_datetime_is_on_the_24_hour_clock(language, expected):
    moment = datetime.datetime(2026, 11, 22, 12, 49)
    with translation.override(language):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == expected


def test_arabic_dates_have_no_comma_inside():
    with translation.override("ar"):
        text = formats.date_format(datetime.date(2023, 3, 3), "DATE_FORMAT")
    assert text == "3 مارس 2023"
    assert "," not in text and "،" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "22 October 2022"), ("fr", "22 octobre 2022"), ("ar", "22 أكتوبر 2022")],
)
def test_member_since_reads_in_the_page_language(client, language, expected):
    organization = OrganizationFactory(joined_on=datetime.date(2022, 10, 22))
    page = client.get(f"/{language}{organization.get_absolute_url()[3:]}").text
    assert expected in page
