"""Shared pieces of the events and Update browser tests: browser contexts, signing in, data.

The `hub` fixture of conftest.py opens one English tab in UTC; these tests need several
people at once (a focal point, the secretariat, a member), each in their own context, some
reading from Tokyo and some without JavaScript. `tabs` opens such contexts and closes them.
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client

from e2e.conftest import HubPage
from tests.factories.members import PASSWORD

DIRECTION = {"en": "ltr", "ar": "rtl"}
PARIS = ZoneInfo("Europe/Paris")
TOKYO = ZoneInfo("Asia/Tokyo")
# Arabic pages may write numbers with Arabic-Indic (or Persian) digits; compare them as 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def western_digits(text):
    return text.translate(_DIGITS)


def squeeze(text):
    """Text as a reader sees it: no-break and narrow spaces as plain spaces, no bidi marks."""
    text = re.sub(r"[\u200e\u200f\u061c\u2066-\u2069]", "", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


class Tabs:
    """Browser contexts on the live Hub, one per person or setting, closed at the end."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []

    def open(self, *, timezone_id="UTC", java_script_enabled=True, locale="en-GB", user=None):
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale=locale,
            timezone_id=timezone_id,
            java_script_enabled=java_script_enabled,
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(user, self.base_url)])
        return HubPage(context.new_page(), self.base_url)

    def close(self):
        for context in self.contexts:
            context.close()


def open_tabs(browser, live_server):
    """The body of the `tabs` fixture (e2e/conftest.py)."""
    opened = Tabs(browser, live_server.url)
    try:
        yield opened
    finally:
        opened.close()


def landed(hub, name):
    """A page just reached: loaded, nothing broken, and the accessibility check passed."""
    hub.page.wait_for_load_state("load")
    hub.assert_nothing_broken()
    hub.assert_accessible(name)


def session_cookie(user, base_url):
    """A signed-in session for `user`, for tests whose subject is not the login form."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def sign_in(hub, email, language="en"):
    """Sign in through the Hub's real login form, by keyboard, as a person would."""
    hub.visit(f"/{language}/accounts/login/")
    hub.page.locator("input[name=login]").fill(email)
    hub.page.locator("input[name=password]").fill(PASSWORD)
    hub.page.locator("input[name=password]").press("Enter")
    hub.page.wait_for_url(lambda url: "/accounts/login/" not in url)
    hub.assert_nothing_broken()


def future_afternoon(days=21):
    """16:00–17:00 Paris time, `days` from today: (start, end) as aware Paris datetimes."""
    day = datetime.now(PARIS).date() + timedelta(days=days)
    start = datetime.combine(day, time(16, 0), tzinfo=PARIS)
    return start, start + timedelta(hours=1)


def paris_zone_label(moment):
    """CET in winter, CEST in summer: what the organizer's clock must say."""
    return moment.astimezone(PARIS).tzname()


def clocks_of(hub, scope="dl.facts"):
    """The organizer's and the reader's clock of the first event on the page."""
    clocks = hub.page.locator(f"{scope} .two-clocks").first
    return clocks.locator(".organizer-clock"), clocks.locator(".reader-clock")


def assert_reader_clock_shows_tokyo(reader, start, language):
    """The reader's clock, filled by clocks.js, gives the Tokyo day and hour and is visible."""
    tokyo = start.astimezone(TOKYO)
    assert reader.count() == 1
    assert reader.get_attribute("hidden") is None, "clocks.js left the reader's clock hidden"
    assert reader.is_visible()
    text = western_digits(squeeze(reader.inner_text()))
    end = tokyo + timedelta(hours=1)
    assert f"{tokyo:%H}:00" in text and f"{end:%H}:00" in text, text
    assert str(tokyo.day) in text and str(tokyo.year) in text, text
    if language == "en":
        assert tokyo.strftime("%A") in text and tokyo.strftime("%B") in text, text
        assert "GMT+9" in text, text
    return text
