"""Events in the browser: shared by a focal point, approved, joined, and read on two clocks.

The whole path goes through the real pages and forms: the login form, "Share an activity",
the moderation queue, the registration panel. The member reads the event from Tokyo, so
the page must show the organizer's clock ("16:00–17:00 CET") and, from clocks.js, the
reader's own (midnight or 23:00 in Tokyo, depending on daylight saving in Paris); without
JavaScript the organizer's clock alone remains. Every page is checked with axe-core in
English and Arabic; screenshots go to e2e/artifacts/.
"""

import re
from datetime import UTC

import pytest

from coalition.activities.models import Activity, Material, ProgrammeRole, Registration
from e2e.helpers_events import (
    DIRECTION,
    assert_reader_clock_shows_tokyo,
    clocks_of,
    future_afternoon,
    paris_zone_label,
    sign_in,
    squeeze,
    western_digits,
)
from tests.factories.activities import (
    LinkMaterialFactory,
    PostFactory,
    PresentationFactory,
    published_activity,
)
from tests.factories.members import (
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = list(DIRECTION)
TITLE = "Open Education Week webinar: OER policies in practice"
TITLE_AR = "ندوة أسبوع التعليم المفتوح: سياسات الموارد التعليمية المفتوحة في الممارسة"
SUMMARY = "Four speakers share how governments and universities put the Recommendation to work."
ACCESS_URL = "https://unesco.zoom.example/j/9876543210"


@pytest.fixture
def col(transactional_db):
    return OrganizationFactory(
        name="Commonwealth of Learning",
        name_ar="كومنولث التعلم",
        acronym="COL",
        country="CA",
    )


def upcoming_webinar(organization, days=21, **overrides):
    """A published webinar at 16:00–17:00 Paris time, approved the way the Hub approves."""
    start, end = future_afternoon(days)
    data = {
        "title_en": TITLE,
        "title_ar": TITLE_AR,
        "summary_en": f"<p>{SUMMARY}</p>",
        "summary_ar": "<p>أربعة متحدثين يعرضون كيف تطبق الحكومات والجامعات التوصية.</p>",
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "capacity": 40,
        "access_url": ACCESS_URL,
        "languages": ["en", "ar"],
    }
    data.update(overrides)
    return published_activity(organization, **data)


# --- the whole path ---------------------------------------------------------------------


def share_webinar(hub, start, end):
    """The focal point fills "Share an activity" from the keyboard and sends it."""
    page = hub.page
    hub.tab_to("main a[href$='/activities/share/']")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/en/activities/share/"))
    hub.assert_nothing_broken()

    assert page.locator("#id_kind").input_value() == "event"
    page.locator("#id_event_format").focus()
    hub.choose_by_keyboard("webinar")
    page.locator("#id_title_en").focus()
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    page.keyboard.type(SUMMARY)
    page.locator("details:has(#id_title_ar) > summary").click()
    page.locator("#id_title_ar").fill(TITLE_AR)

    # Type-ahead in the list of zones (by region, each by its city and offset), as a
    # keyboard user picks one; Canada's zones come first, the organization being Canadian.
    assert (
        page.locator("#id_time_zone optgroup")
        .first.locator("option")
        .first.get_attribute("value")
        .startswith("America/")
    )
    page.locator("#id_time_zone").focus()
    page.keyboard.type("Paris")
    assert page.locator("#id_time_zone").input_value() == "Europe/Paris"
    # datetime-local takes the organizer's wall clock; its typed segments follow the
    # browser's locale, so the value is set in the input's own ISO format.
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_is_online").focus()
    page.keyboard.press("Space")

    page.locator("#id_registration_required").focus()
    page.keyboard.press("Space")
    assert page.locator("#id_registration_open").is_checked()
    page.locator("#id_capacity").fill("40")
    page.locator("#id_access_url").fill(ACCESS_URL)
    page.locator("#id_action_areas_0").check()
    page.locator("#id_languages").select_option(["en", "ar"])

    page.get_by_role("button", name="Send for moderation").click()
    page.wait_for_url(lambda url: "/en/activities/" in url and not url.endswith("/share/"))
    hub.assert_nothing_broken()
    assert "The secretariat will review your activity." in page.locator(".messages").inner_text()


def approve(hub, title):
    page = hub.page
    hub.visit("/en/activities/moderation/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/en/activities/moderation/\d+/$"))
    hub.assert_nothing_broken()
    page.locator("#id_decision").focus()
    hub.choose_by_keyboard("approve")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(lambda url: url.endswith("/en/activities/moderation/"))
    hub.assert_nothing_broken()
    assert "Published." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name=title).count() == 0


def test_focal_point_shares_webinar_secretariat_approves_member_registers_and_reads_two_clocks(
    tabs, col, mailoutbox
):
    start, end = future_afternoon()
    zone = paris_zone_label(start)
    focal_point = focal_point_of(col, email="focal.point@col.example.org")
    secretariat = SecretariatFactory(email="secretariat@oercoalition.example.org")
    member = UserFactory(email="amina.hassan@ekb.example.org")
    PersonFactory(user=member, name="Amina Hassan", public_profile=True)

    # 1. The focal point shares the webinar.
    organizer = tabs.open(timezone_id="Europe/Paris")
    sign_in(organizer, focal_point.email)
    share_webinar(organizer, start, end)
    activity = Activity.objects.get(title_en=TITLE)
    assert activity.organizations.get() == col
    assert not activity.is_published
    assert organizer.path == f"/en/activities/{activity.slug}/"
    assert (activity.starts_at, activity.ends_at) == (start, end)
    assert activity.time_zone == "Europe/Paris"
    assert activity.event_format == "webinar"
    assert (activity.registration_required, activity.capacity) == (True, 40)

    # 2. The secretariat approves it from the moderation queue.
    moderator = tabs.open()
    sign_in(moderator, secretariat.email)
    approve(moderator, TITLE)
    activity.refresh_from_db()
    assert activity.is_published
    assert focal_point.email in {address for message in mailoutbox for address in message.to}

    # 3. A member in Tokyo registers on the event page.
    reader = tabs.open(timezone_id="Asia/Tokyo", locale="en-GB")
    sign_in(reader, member.email)
    reader.visit(f"/en/activities/{activity.slug}/")
    panel = reader.page.locator("section#registration")
    assert "40 places left." in panel.inner_text()
    assert ACCESS_URL not in reader.page.content(), "the access link is for registrants only"
    assert panel.locator("#registration_name").input_value() == "Amina Hassan"
    assert panel.locator("#registration_email").input_value() == member.email
    panel.get_by_role("button", name="Register").click()
    reader.page.wait_for_url(lambda url: url.endswith("#registration"))
    reader.assert_nothing_broken()
    assert "You are registered for this event." in panel.inner_text()
    assert panel.locator(".access-link a").get_attribute("href") == ACCESS_URL
    registration = Registration.objects.get(activity=activity, user=member)
    assert registration.status == Registration.Status.CONFIRMED
    confirmation = [message for message in mailoutbox if message.to == [member.email]]
    assert len(confirmation) == 1
    invitations = [
        part for part in confirmation[0].attachments if part.get_content_type() == "text/calendar"
    ]
    assert len(invitations) == 1, "the confirmation carries the invitation for the calendar"

    # 4. Two clocks in English: the organizer's, and Tokyo's from clocks.js.
    organizer_clock, reader_clock = clocks_of(reader)
    assert f"16:00–17:00 {zone}" in squeeze(organizer_clock.inner_text())
    utc_start = f"{start.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
    assert organizer_clock.get_attribute("datetime") == utc_start
    assert_reader_clock_shows_tokyo(reader_clock, start, "en")
    reader.screenshot("event-en")
    reader.assert_accessible("event-registered-en")

    # 5. The same page in Arabic, reached from the language switcher.
    reader.page.locator("nav.languages a[lang=ar]").click()
    reader.page.wait_for_url(lambda url: f"/ar/activities/{activity.slug}/" in url)
    reader.assert_nothing_broken()
    assert reader.document_language() == {"lang": "ar", "dir": "rtl"}
    assert reader.page.locator("h1").inner_text().strip() == TITLE_AR
    organizer_clock, reader_clock = clocks_of(reader)
    organizer_text = western_digits(squeeze(organizer_clock.inner_text()))
    assert f"16:00–17:00 {zone}" in organizer_text
    assert_reader_clock_shows_tokyo(reader_clock, start, "ar")
    assert reader.page.locator("section#registration .access-link").count() == 1
    reader.screenshot("event-ar")
    reader.assert_accessible("event-registered-ar")

    # 6. Without JavaScript, the organizer's clock stays and the reader's stays out of sight.
    no_script = tabs.open(timezone_id="Asia/Tokyo", java_script_enabled=False)
    for language in LANGUAGES:
        no_script.visit(f"/{language}/activities/{activity.slug}/")
        assert no_script.document_language() == {"lang": language, "dir": DIRECTION[language]}
        organizer_clock, reader_clock = clocks_of(no_script)
        assert organizer_clock.is_visible()
        assert f"16:00–17:00 {zone}" in western_digits(squeeze(organizer_clock.inner_text()))
        assert reader_clock.count() == 1 and not reader_clock.is_visible()
        assert reader_clock.inner_text() == ""


# --- accessibility of the events pages, in English and Arabic ---------------------------


@pytest.fixture
def programme(col):
    """An upcoming webinar with what its page can show: people, materials, a discussion."""
    webinar = upcoming_webinar(col)
    speaker = PersonFactory(name="Sanjaya Mishra", public_profile=True)
    ProgrammeRole.objects.create(
        activity=webinar,
        person=speaker,
        role=ProgrammeRole.Role.SPEAKER,
        title_on_programme="Open textbooks for all",
    )
    talk = PresentationFactory(activity=webinar, title="Open textbooks for all")
    LinkMaterialFactory(activity=webinar, title="The 2019 Recommendation on OER")
    LinkMaterialFactory(
        activity=webinar,
        presentation=talk,
        kind=Material.Kind.RECORDING,
        title="Recording of the talk",
        url="https://video.example.org/watch/oer-week",
    )
    PostFactory(activity=webinar, body="Will the **slides** be shared after the webinar?")
    PostFactory(activity=webinar, presentation=talk, body="Which licence do the textbooks use?")
    return webinar


@pytest.mark.parametrize("language", LANGUAGES)
def test_upcoming_events_list_shows_both_clocks_and_has_no_serious_accessibility_violation(
    tabs, col, language
):
    first = upcoming_webinar(col, days=10)
    upcoming_webinar(col, days=40, title_en="Regional consultation on OER policies", title_ar="")
    # A past event is not upcoming.
    upcoming_webinar(col, days=-10, title_en="Last month's webinar", title_ar="")

    hub = tabs.open(timezone_id="Asia/Tokyo")
    hub.visit(f"/{language}/events/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    cards = hub.page.locator("ul.directory > li.card")
    assert cards.count() == 2
    assert "Last month's webinar" not in hub.page.content()
    first_card = cards.first
    title = TITLE if language == "en" else TITLE_AR
    assert first_card.locator("h2 a").inner_text().strip() == title
    organizer_clock, reader_clock = clocks_of(hub, "ul.directory > li.card")
    zone = paris_zone_label(first.starts_at)
    assert f"16:00–17:00 {zone}" in western_digits(squeeze(organizer_clock.inner_text()))
    assert_reader_clock_shows_tokyo(reader_clock, first.starts_at, language)
    if language == "ar":
        hub.screenshot("events-ar")
    hub.assert_accessible(f"events-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_with_registration_materials_and_discussion_has_no_serious_violation(
    tabs, programme, language
):
    member = UserFactory()
    PersonFactory(user=member, name="Lucía Fernández")
    hub = tabs.open(timezone_id="America/New_York", user=member)
    hub.visit(f"/{language}/activities/{programme.slug}/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    registration = hub.page.locator("section#registration")
    assert registration.locator("form.registration-form").is_visible()
    assert registration.locator("#registration_name").input_value() == "Lucía Fernández"
    materials = hub.page.locator("section#materials")
    assert materials.locator("li").count() == 2
    assert materials.get_by_role("heading", name="Open textbooks for all").count() == 1
    discussion = hub.page.locator("section#discussion")
    assert discussion.locator("article.post").count() == 2
    assert discussion.locator("article.post strong", has_text="slides").count() == 1
    assert discussion.locator("form textarea").count() >= 1
    assert hub.page.get_by_role("link", name="Sanjaya Mishra").count() == 1
    # New York is not Paris: the reader's clock shows, on its own line under the organizer's.
    organizer_clock, reader_clock = clocks_of(hub)
    assert reader_clock.is_visible()
    organizer_box, reader_box = organizer_clock.bounding_box(), reader_clock.bounding_box()
    assert reader_box["y"] >= organizer_box["y"] + organizer_box["height"] - 1
    # Posts are written in any language: an English one reads left to right on an Arabic page.
    english_post = discussion.locator(".post-body", has_text="slides")
    assert english_post.evaluate("node => getComputedStyle(node).direction") == "ltr"
    if language == "ar":
        hub.screenshot("event-full-ar")
    hub.assert_accessible(f"event-full-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_activity_submit_form_and_its_errors_have_no_serious_accessibility_violation(
    tabs, col, language
):
    hub = tabs.open(user=focal_point_of(col))
    hub.visit(f"/{language}/activities/share/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert hub.page.locator("#id_on_behalf_of").input_value() == str(col.pk)

    # Sent empty: the errors are announced beside their fields. The page with errors holds
    # every field of the blank form too, so one axe-core pass checks both.
    hub.page.locator("main form > button[type=submit]:not([name])").click()
    hub.page.wait_for_load_state("load")
    assert hub.path == f"/{language}/activities/share/"
    assert hub.page.locator("form [role=alert]").is_visible()
    assert hub.page.locator(".field.has-error").count() >= 3
    assert not Activity.objects.exists()
    if language == "ar":
        hub.screenshot("activity-form-errors-ar")
    hub.assert_accessible(f"activity-form-errors-{language}")


def test_two_visitors_register_from_the_kept_event_page_each_with_their_own_token(tabs, col):
    """The event page is kept for anonymous visitors; its form still carries each browser's
    own CSRF token, so both registrations go through and CSRF protection stays on."""
    webinar = upcoming_webinar(col)
    path = f"/en/activities/{webinar.slug}/"
    first, second = tabs.open(), tabs.open()
    for hub, name, email in (
        (first, "First Visitor", "first.visitor@example.org"),
        (second, "Second Visitor", "second.visitor@example.org"),  # served the kept page
    ):
        hub.visit(path)
        panel = hub.page.locator("section#registration")
        token = panel.locator("input[name=csrfmiddlewaretoken]").input_value()
        assert re.fullmatch(r"[A-Za-z0-9]{64}", token)
        panel.locator("#registration_name").fill(name)
        panel.locator("#registration_email").fill(email)
        panel.get_by_role("button", name="Register").click()
        hub.page.wait_for_load_state()
        hub.assert_nothing_broken()
    assert set(Registration.objects.filter(activity=webinar).values_list("email", flat=True)) == {
        "first.visitor@example.org",
        "second.visitor@example.org",
    }
