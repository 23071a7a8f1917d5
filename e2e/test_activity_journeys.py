"""Activities' journeys in the browser, in English and Arabic, axe-core on every page.

1. A focal point shares an event; the secretariat reads it as it will be published and
   asks for changes; the focal point edits it from the event's page; the secretariat
   approves; a reader in Tokyo sees it with both clocks.
2. Two members register for an event of one place: the first gets it, the second joins
   the waiting list; the first cancels and the second is promoted and told by e-mail.
"""

import re

import pytest

from coalition.activities.models import Activity, Registration, Submission
from e2e.helpers_events import (
    DIRECTION,
    assert_reader_clock_shows_tokyo,
    clocks_of,
    future_afternoon,
    landed,
    paris_zone_label,
    squeeze,
    western_digits,
)
from e2e.test_events import upcoming_webinar
from tests.factories.members import (
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = list(DIRECTION)
TITLES = {
    "en": "Open textbooks in Francophone Africa: a webinar",
    "ar": "الكتب المدرسية المفتوحة في أفريقيا الناطقة بالفرنسية: ندوة عبر الإنترنت",
}
PROGRAMME = "https://oer.example.org/programme"


def submit(hub):
    hub.page.locator("main form:has([name=kind]) > button[type=submit]:not([name])").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_share_event_changes_requested_edited_approved_and_shown_with_both_clocks(
    tabs, transactional_db, mailoutbox, language
):
    title = TITLES[language]
    start, end = future_afternoon(days=30)
    zone = paris_zone_label(start)
    organization = OrganizationFactory(name="Université de Nantes", country="FR")
    focal_point = focal_point_of(organization, email="focal@nantes.example.org")
    secretariat = SecretariatFactory(email="secretariat@oercoalition.example.org")

    # 1. The focal point shares the event from My Hub.
    organizer = tabs.open(timezone_id="Europe/Paris", user=focal_point)
    organizer.visit(f"/{language}/my-hub/")
    organizer.page.locator("main a[href$='/activities/share/']").click()
    landed(organizer, f"share-{language}")
    page = organizer.page
    # A French organization: Paris is the first suggested zone.
    assert (
        page.locator("#id_time_zone optgroup").first.locator("option").first.get_attribute("value")
        == "Europe/Paris"
    )
    page.locator("#id_event_format").select_option("webinar")
    page.locator(f"#id_title_{language}").fill(title)
    page.locator("#id_time_zone").select_option("Europe/Paris")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_is_online").check()
    page.locator("#id_languages").select_option(["fr", "en"])
    submit(organizer)
    page.wait_for_url(lambda url: not url.endswith("/share/"))
    landed(organizer, f"shared-{language}")
    activity = Activity.objects.get(**{f"title_{language}": title})
    assert not activity.is_published

    # 2. The secretariat reads it as it will be published and asks for changes.
    moderator = tabs.open(user=secretariat)
    moderator.visit(f"/{language}/activities/moderation/")
    landed(moderator, f"queue-{language}")
    moderator.page.get_by_role("link", name=title).click()
    landed(moderator, f"moderate-{language}")
    proposed = squeeze(moderator.page.locator("dl.review").inner_text())
    assert "Université de Nantes" in proposed
    assert f"16:00–17:00 {zone}" in western_digits(proposed)
    assert "UTC" in proposed
    for raw in ("title_", "is_online", "starts_at", "True", "[", "{"):
        assert raw not in proposed, raw
    moderator.page.locator("#id_decision").select_option("changes")
    moderator.page.locator("#id_message").fill("Please add the link to the programme.")
    moderator.page.locator("main form button[type=submit]").click()
    moderator.page.wait_for_url(lambda url: url.endswith("/activities/moderation/"))
    landed(moderator, f"queue-after-changes-{language}")
    assert activity.submissions.get().status == Submission.Status.CHANGES_REQUESTED
    assert any(
        "Please add the link to the programme." in message.body
        for message in mailoutbox
        if focal_point.email in message.to
    ), "the focal point is told what to change"

    # 3. The focal point edits it from the event's page and sends it again.
    organizer.visit(f"/{language}/activities/{activity.slug}/")
    page.locator("main a[href$='/edit/']").click()
    landed(organizer, f"edit-{language}")
    assert page.locator(f"#id_title_{language}").input_value() == title
    assert page.locator("#id_time_zone").input_value() == "Europe/Paris"
    page.locator("#id_link_label_0").fill("Programme")
    page.locator("#id_link_url_0").fill(PROGRAMME)
    submit(organizer)
    page.wait_for_url(lambda url: not url.endswith("/edit/"))
    landed(organizer, f"edited-{language}")

    # 4. The secretariat approves the new version.
    moderator.visit(f"/{language}/activities/moderation/")
    moderator.page.get_by_role("link", name=title).click()
    landed(moderator, f"moderate-again-{language}")
    assert PROGRAMME in moderator.page.locator("dl.review").inner_text()
    moderator.page.locator("#id_decision").select_option("approve")
    moderator.page.locator("main form button[type=submit]").click()
    moderator.page.wait_for_url(lambda url: url.endswith("/activities/moderation/"))
    landed(moderator, f"queue-after-approval-{language}")
    activity.refresh_from_db()
    assert activity.is_published

    # 5. A reader in Tokyo finds it with both clocks.
    reader = tabs.open(timezone_id="Asia/Tokyo")
    reader.visit(f"/{language}/activities/{activity.slug}/")
    landed(reader, f"published-{language}")
    assert reader.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert squeeze(reader.page.locator("main h1").inner_text()) == title
    organizer_clock, reader_clock = clocks_of(reader)
    assert f"16:00–17:00 {zone}" in western_digits(squeeze(organizer_clock.inner_text()))
    assert_reader_clock_shows_tokyo(reader_clock, start, language)
    assert reader.page.locator(f"main a[href='{PROGRAMME}']").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_cancel_and_the_waiting_list_is_promoted(
    tabs, transactional_db, mailoutbox, language
):
    organization = OrganizationFactory(name="Commonwealth of Learning", country="CA")
    webinar = upcoming_webinar(organization, capacity=1)
    first, second = UserFactory(email="nivo@example.org"), UserFactory(email="lucia@example.org")
    PersonFactory(user=first, name="Nivo Ralamboranto")
    PersonFactory(user=second, name="Lucía Fernández")
    path = f"/{language}/activities/{webinar.slug}/"

    def register(user, name):
        hub = tabs.open(user=user)
        hub.visit(path)
        panel = hub.page.locator("section#registration")
        panel.locator("form.registration-form button[type=submit]").click()
        hub.page.wait_for_url(lambda url: url.endswith("#registration"))
        landed(hub, f"registered-{name}-{language}")
        return hub

    nivo = register(first, "first")
    assert nivo.page.locator("section#registration .message.success").count() == 1
    lucia = register(second, "waiting")
    assert lucia.page.locator("section#registration .message.warning").count() == 1
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses == {
        "nivo@example.org": Registration.Status.CONFIRMED,
        "lucia@example.org": Registration.Status.WAITING,
    }

    # The first cancels from the event page; the place goes to the waiting list.
    mailoutbox.clear()
    nivo.page.locator("section#registration a[href*='cancel']").click()
    landed(nivo, f"cancel-registration-{language}")
    nivo.page.locator("main form button[type=submit]").click()
    nivo.page.wait_for_load_state("load")
    nivo.assert_nothing_broken()
    assert Registration.objects.get(user=first).status == Registration.Status.CANCELLED
    assert Registration.objects.get(user=second).status == Registration.Status.CONFIRMED
    assert any("lucia@example.org" in message.to for message in mailoutbox), "promotion mail"

    lucia.visit(path)
    landed(lucia, f"promoted-{language}")
    assert lucia.page.locator("section#registration .message.success").count() == 1
    assert re.search(
        r"https://", lucia.page.locator("section#registration .access-link").inner_text()
    )
