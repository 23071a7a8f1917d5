"""The secretariat composes an Update, previews it, sends it from the web and follows the
sending to the end, then finds it in the public archive: in English and in Arabic, with
axe-core on every page.

The activities of March 2023 are approved as the Hub approves them; the draft is made with
the "New draft" form, which assembles it from them. The tasks run as soon as the send is
committed (the test settings' immediate backend), so the progress page shows the end.
"""

import pytest
from django.core import mail
from django.utils import translation

from coalition.updates.models import UpdateIssue
from e2e.helpers_events import DIRECTION, squeeze
from tests.factories.members import SecretariatFactory
from tests.factories.updates import (
    SubscriberFactory,
    call_for_submissions,
    publication,
    webinar,
    wsis_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

READERS = {"en": 2, "fr": 1, "ar": 1}


@pytest.fixture
def march(transactional_db, settings, live_server):
    """The approved activities of March 2023, and four confirmed readers."""
    settings.SITE_URL = live_server.url
    webinar()
    wsis_session()
    call_for_submissions()
    publication()
    for language, count in READERS.items():
        for n in range(count):
            SubscriberFactory(language=language, email=f"reader-{language}-{n}@example.org")
    return SecretariatFactory(email="secretariat@oercoalition.example.org")


def words(language, message):
    with translation.override(language):
        return translation.gettext(message)


def click_and_wait(hub, locator):
    with hub.page.expect_navigation():
        locator.click()
    hub.assert_nothing_broken()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_secretariat_composes_previews_sends_and_finds_the_update_in_the_archive(
    tabs, march, language
):
    def _(message):
        return words(language, message)

    editor = tabs.open(user=march)
    editor.visit(f"/{language}/my-hub/")
    click_and_wait(editor, editor.page.get_by_role("link", name=_("Edit and send the Update")))
    assert editor.path == f"/{language}/updates/manage/"
    assert editor.document_language() == {"lang": language, "dir": DIRECTION[language]}
    editor.assert_accessible(f"update-manage-list-{language}")

    # Compose: the draft is assembled from the period's approved activities.
    click_and_wait(editor, editor.page.get_by_role("link", name=_("New draft")))
    editor.assert_accessible(f"update-new-draft-{language}")
    editor.page.locator("input[name=title]").fill("March 2023")
    editor.page.locator("input[name=period_start]").fill("2023-03-01")
    editor.page.locator("input[name=period_end]").fill("2023-03-31")
    click_and_wait(editor, editor.page.get_by_role("button", name=_("Create the draft")))
    issue = UpdateIssue.objects.get()
    assert editor.path == f"/{language}/updates/manage/{issue.pk}/"
    # The four activities, and the call to share activities for the next Update.
    assert issue.items.count() == 5
    assert sorted(issue.editions.values_list("language", flat=True)) == ["ar", "en", "fr"]
    editor.assert_accessible(f"update-draft-{language}")

    # Preview the edition in the page's language, as the e-mail.
    preview = editor.page.locator(
        f"a[href='/{language}/updates/manage/{issue.pk}/{language}/preview/']"
    )
    click_and_wait(editor, preview)
    frame = editor.page.frame_locator("iframe.preview-frame")
    assert frame.locator("html").get_attribute("lang") == language
    assert (
        "https://example.invalid/updates/unsubscribe/"
        in editor.page.locator("pre.preview-text").inner_text()
    )
    editor.assert_accessible(f"update-preview-{language}")

    # The sending page says who will receive it, then sends.
    editor.visit(f"/{language}/updates/manage/{issue.pk}/")
    click_and_wait(editor, editor.page.get_by_role("link", name=_("Send or schedule this Update")))
    assert editor.path == f"/{language}/updates/manage/{issue.pk}/send/"
    audience = squeeze(editor.page.locator(".send-audience").inner_text())
    assert "4" in audience
    rows = editor.page.locator(".send-audience-table tbody tr")
    counts = {
        rows.nth(n).get_attribute("data-language"): squeeze(
            rows.nth(n).locator("td").inner_text()
        ).split()[0]
        for n in range(rows.count())
    }
    assert counts == {"ar": "1", "en": "2", "fr": "1"}
    # The schedule form proposes the issue's zone.
    assert editor.page.locator("select[name=time_zone]").input_value() == "Europe/Paris"
    if language == "ar":
        editor.screenshot("update-send-ar")
    editor.assert_accessible(f"update-send-{language}")

    click_and_wait(editor, editor.page.locator("form[action$='/send/now/'] button"))
    assert editor.path == f"/{language}/updates/manage/{issue.pk}/progress/"
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT
    state = squeeze(editor.page.locator(".send-state").inner_text())
    done = _("Done: every message has been sent or has failed (finished %(when)s).")
    assert state.startswith(squeeze(done.split("%(when)s")[0]))
    sent = {
        row.get_attribute("data-language"): row.locator("[data-count=sent]").inner_text()
        for row in editor.page.locator(".send-progress tbody tr").all()
    }
    assert sent == {"ar": "1", "en": "2", "fr": "1"}
    failed = editor.page.locator(".send-progress tbody [data-count=failed]").all_inner_texts()
    assert failed == ["0", "0", "0"]
    if language == "ar":
        editor.screenshot("update-progress-ar")
    editor.assert_accessible(f"update-progress-{language}")

    # Every reader got the edition of their language.
    updates = [m for m in mail.outbox if m.to[0].startswith("reader-")]
    assert sorted(m.extra_headers["Content-Language"] for m in updates) == [
        "ar",
        "en",
        "en",
        "fr",
    ]

    # The archive shows it, one click away.
    edition = issue.editions.get(language=language)
    with translation.override(language):
        archived = edition.get_absolute_url()
    click_and_wait(editor, editor.page.locator(f"main a[href='{archived}']"))
    article = editor.page.locator("article.update-edition")
    assert article.get_attribute("lang") == language
    editor.assert_accessible(f"update-sent-edition-{language}")

    public = tabs.open()
    public.visit(f"/{language}/updates/")
    assert public.page.locator("ol.update-archive > li").count() == 1
    public.assert_accessible(f"update-archive-after-send-{language}")
