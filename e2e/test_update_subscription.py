"""Subscribing to the Update in the browser, as a reader does, in English and in Arabic.

From the archive's call to subscribe, through the form, to the confirmation link read in
the captured e-mail, the confirm button (posted by Chromium, with the Origin header its
Referrer-Policy allows: "no-referrer" made it `Origin: null` and CSRF refused it), the
preferences page, and leaving: through the unsubscribe page's button, and by the one-click
POST a mail provider sends (RFC 8058). axe-core checks every page on the way.
"""

import re

import pytest
from django.core import mail

from coalition.updates.models import Subscriber
from e2e.helpers_events import DIRECTION, squeeze
from tests.factories.updates import SubscriberFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CONFIRM_LINK = re.compile(r"https?://\S+/updates/subscribe/confirm/[^/\s]+/")


def text(hub, selector):
    return squeeze(hub.page.locator(selector).first.inner_text())


def heading(hub):
    return text(hub, "main h1")


def submit(hub, name):
    """Press the page's button whose text is `name`, and wait for the answer to load."""
    with hub.page.expect_navigation():
        hub.page.locator("main form button[type=submit]").filter(has_text=name).click()
    hub.assert_nothing_broken()


@pytest.fixture
def gettext_in():
    from django.utils import translation

    def gettext_in(language, message):
        with translation.override(language):
            return translation.gettext(message)

    return gettext_in


@pytest.mark.parametrize("language", ["en", "ar"])
def test_reader_subscribes_confirms_from_the_mail_changes_preferences_and_unsubscribes(
    hub, transactional_db, settings, live_server, gettext_in, language
):
    settings.SITE_URL = live_server.url
    email = f"reader-{language}@example.org"
    _ = lambda message: gettext_in(language, message)  # noqa: E731 - the page's words

    # One click from the archive to the form, in the reader's language.
    hub.visit(f"/{language}/updates/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    hub.assert_accessible(f"update-archive-subscribe-call-{language}")
    with hub.page.expect_navigation():
        call = hub.page.locator("main").get_by_role("link", name=_("Subscribe to the Update"))
        call.first.click()
    hub.assert_nothing_broken()
    assert hub.path == f"/{language}/updates/subscribe/"
    assert heading(hub) == _("Subscribe to the Update")
    # The form proposes the page's language for the Update.
    assert hub.page.locator("select[name=language]").input_value() == language
    hub.assert_accessible(f"update-subscribe-{language}")

    hub.page.get_by_label(_("E-mail address")).fill(email)
    hub.page.locator("input[name=consent]").check()
    submit(hub, _("Subscribe"))
    assert hub.path == f"/{language}/updates/subscribe/check-your-inbox/"
    assert heading(hub) == _("Check your inbox")
    hub.assert_accessible(f"update-subscribe-done-{language}")

    # The confirmation mail, in the reader's language, with a link to this Hub.
    [message] = [m for m in mail.outbox if m.to == [email]]
    assert message.extra_headers["Content-Language"] == language
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    link = CONFIRM_LINK.search(message.body).group(0)
    assert link.startswith(f"{live_server.url}/{language}/updates/subscribe/confirm/")
    subscriber = Subscriber.objects.get(email=email)
    assert subscriber.status == Subscriber.Status.PENDING

    response = hub.page.goto(link)
    assert response.ok
    # Its address holds the token: it goes no further than the Hub.
    assert response.headers["referrer-policy"] == "same-origin"
    hub.assert_nothing_broken()
    assert heading(hub) == _("Confirm your subscription")
    assert email in text(hub, "dl.facts")
    hub.assert_accessible(f"update-confirm-{language}")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # opening the link is not enough

    submit(hub, _("Yes, send me the Update"))
    assert heading(hub) == _("You are subscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    hub.assert_accessible(f"update-confirmed-{language}")

    # Preferences: another language for the Update, and French as a second one.
    with hub.page.expect_navigation():
        hub.page.get_by_role("link", name=_("Change your languages and interests")).click()
    hub.assert_nothing_broken()
    assert heading(hub) == _("Your Update preferences")
    hub.assert_accessible(f"update-preferences-{language}")
    other = "fr"
    hub.page.locator("select[name=language]").select_option(other)
    hub.page.locator("input[name=other_languages][value=es]").check()
    submit(hub, _("Save my preferences"))
    assert _("Your preferences are saved.") in text(hub, "main .messages")
    subscriber.refresh_from_db()
    assert subscriber.language == other
    assert subscriber.other_languages == ["es"]
    assert hub.page.locator("select[name=language]").input_value() == other
    hub.assert_accessible(f"update-preferences-saved-{language}")

    # Leaving: the page asks, the button unsubscribes.
    with hub.page.expect_navigation():
        hub.page.get_by_role("link", name=_("Unsubscribe from the Update")).click()
    hub.assert_nothing_broken()
    assert heading(hub) == _("Unsubscribe from the Update")
    hub.assert_accessible(f"update-unsubscribe-{language}")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED  # asking is not unsubscribing
    submit(hub, _("Yes, unsubscribe me"))
    assert heading(hub) == _("You are unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    hub.assert_accessible(f"update-unsubscribed-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_mail_providers_one_click_unsubscribes_without_a_page(
    hub, transactional_db, live_server, language
):
    subscriber = SubscriberFactory(language=language)
    url = f"{live_server.url}/{language}/updates/unsubscribe/{subscriber.token}/"

    # A mail provider's "List-Unsubscribe=One-Click" POST: no cookie, no CSRF token.
    response = hub.page.request.post(url, form={"List-Unsubscribe": "One-Click"})
    assert response.ok
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    # The link in the mail, opened later, says so in the reader's language.
    hub.visit(f"/{language}/updates/unsubscribe/{subscriber.token}/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    hub.assert_accessible(f"update-unsubscribe-again-{language}")
