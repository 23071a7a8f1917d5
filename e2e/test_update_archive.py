"""The Update's public archive in the browser, and the secretariat's preview of a draft.

The March 2023 issue is built as the Hub builds it: activities approved through
moderation, a draft assembled by `composing.create_draft`, introductions written per
edition, the editions frozen by `sending.freeze_editions` and the issue marked sent (no
mail goes out). Each page must carry the language and direction of the interface, each
edition those of its own language (Arabic right to left even inside an English page),
and axe-core must find no serious or critical violation.
"""

from datetime import UTC, datetime

import pytest

from coalition.updates.services import composing, sending
from e2e.helpers_events import DIRECTION, squeeze
from tests.factories.members import SecretariatFactory
from tests.factories.updates import (
    WEBINAR_TITLE,
    WSIS_TITLE_AR,
    WSIS_TITLE_EN,
    WSIS_TITLE_FR,
    march_2023,
    mark_sent,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EDITIONS = ("ar", "en", "fr")
EDITION_DIRECTION = {"en": "ltr", "fr": "ltr", "ar": "rtl"}
# Not the month names the Hub would write by itself ("mars 2023", "مارس 2023"): the
# editors' titles must be the ones shown.
TITLES = {"en": "March 2023", "fr": "Mars 2023", "ar": "آذار/مارس 2023"}
INTRODUCTIONS = {
    "en": "<p>Welcome to the March 2023 Update of the OER Dynamic Coalition.</p>",
    "fr": "<p>Bienvenue dans la lettre de mars 2023 de la Coalition dynamique pour les REL.</p>",
    "ar": "<p>مرحبًا بكم في نشرة مارس 2023 للائتلاف الديناميكي للموارد التعليمية المفتوحة.</p>",
}
WSIS_TITLES = {"en": WSIS_TITLE_EN, "fr": WSIS_TITLE_FR, "ar": WSIS_TITLE_AR}
SENT_AT = datetime(2023, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def secretariat(transactional_db):
    return SecretariatFactory(email="secretariat@oercoalition.example.org")


def drafted(secretariat):
    """The March 2023 draft, with its title and introduction written in each language."""
    issue = march_2023(by=secretariat)
    for edition in issue.editions.all():
        composing.save_edition(
            edition,
            by=secretariat,
            title=TITLES[edition.language],
            introduction=INTRODUCTIONS[edition.language],
        )
    issue.refresh_from_db()
    return issue


@pytest.fixture
def sent_issue(secretariat):
    issue = drafted(secretariat)
    sending.freeze_editions(issue)
    return mark_sent(issue, SENT_AT)


def assert_edition(hub, language):
    """The edition's article carries its own language and direction, whatever the page's."""
    article = hub.page.locator("article.update-edition")
    assert article.count() == 1
    assert article.get_attribute("lang") == language
    assert article.get_attribute("dir") == EDITION_DIRECTION[language]
    direction = article.evaluate("node => getComputedStyle(node).direction")
    assert direction == EDITION_DIRECTION[language]
    assert squeeze(article.locator("h1").inner_text()).endswith(TITLES[language])
    assert squeeze(article.locator(".update-intro").inner_text()) in INTRODUCTIONS[language]
    headings = [squeeze(text) for text in article.locator("h3").all_inner_texts()]
    assert any(heading.startswith(WSIS_TITLES[language]) for heading in headings), headings
    return article


@pytest.mark.parametrize("language", ["en", "ar"])
def test_archive_lists_the_sent_issue_and_opens_its_edition_in_the_page_language(
    hub, sent_issue, language
):
    hub.visit(f"/{language}/updates/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    rows = hub.page.locator("ol.update-archive > li")
    assert rows.count() == 1
    primary = rows.first.locator("a").first
    assert primary.get_attribute("href") == f"/{language}/updates/{sent_issue.slug}/{language}/"
    assert primary.get_attribute("lang") == language
    assert primary.get_attribute("dir") == EDITION_DIRECTION[language]
    assert rows.first.locator("time").get_attribute("datetime").startswith("2023-03-02")
    others = rows.first.locator(".update-languages a")
    assert sorted(others.evaluate_all("links => links.map(a => a.lang)")) == sorted(
        set(EDITIONS) - {language}
    )
    if language == "ar":
        hub.screenshot("update-archive-ar")
    hub.assert_accessible(f"update-archive-{language}")

    primary.click()
    hub.page.wait_for_url(lambda url: url.endswith(f"/{sent_issue.slug}/{language}/"))
    hub.assert_nothing_broken()
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    article = assert_edition(hub, language)
    # The webinar exists only in English: in the Arabic edition its title says so and
    # runs left to right.
    webinar = article.get_by_text(WEBINAR_TITLE, exact=True)
    assert webinar.count() == 1
    if language == "ar":
        assert webinar.evaluate("node => node.closest('[lang]').lang") == "en"
        assert webinar.evaluate("node => getComputedStyle(node).direction") == "ltr"
        assert article.locator(".fallback-note").count() >= 1
    assert "16:00–17:00 CET" in squeeze(article.inner_text())
    if language == "ar":
        hub.screenshot("update-edition-ar")
    hub.assert_accessible(f"update-edition-{language}")


def test_english_page_reaches_french_and_arabic_editions_each_in_its_own_direction(hub, sent_issue):
    hub.visit(f"/en/updates/{sent_issue.slug}/en/")

    for language in ("fr", "ar"):
        switch = hub.page.locator(f"nav.update-nav a[hreflang={language}]")
        assert switch.get_attribute("lang") == language
        switch.click()
        hub.page.wait_for_url(lambda url, code=language: url.endswith(f"/{code}/"))
        hub.assert_nothing_broken()
        # The interface stays English; the edition is French or Arabic.
        assert hub.document_language() == {"lang": "en", "dir": "ltr"}
        assert_edition(hub, language)
        hub.assert_accessible(f"update-edition-{language}-in-en")
        hub.visit(f"/en/updates/{sent_issue.slug}/en/")


def test_draft_is_not_public_but_the_secretariat_previews_it_as_web_page_and_email(
    tabs, secretariat
):
    issue = drafted(secretariat)

    public = tabs.open()
    # Asked beside the page (not in it), as the tab records every error response as a fault.
    response = public.page.request.get(f"{public.base_url}/ar/updates/{issue.slug}/ar/")
    assert response.status == 404
    public.visit("/ar/updates/")
    assert public.page.locator("ol.update-archive").count() == 0

    editor = tabs.open(user=secretariat)
    editor.visit(f"/ar/updates/manage/{issue.pk}/ar/preview/web/")
    assert editor.document_language() == {"lang": "ar", "dir": "rtl"}
    assert editor.page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    assert editor.page.locator("main .message.warning[role=status]").is_visible()
    assert_edition(editor, "ar")
    editor.assert_accessible("update-preview-web-ar")

    editor.visit(f"/en/updates/manage/{issue.pk}/ar/preview/")
    frame = editor.page.frame_locator("iframe.preview-frame")
    assert frame.locator("html").get_attribute("dir") == "rtl"
    assert frame.locator("html").get_attribute("lang") == "ar"
    assert frame.get_by_text(WSIS_TITLE_AR, exact=True).count() == 1
    text = editor.page.locator("pre.preview-text").inner_text()
    # The plain text is wrapped for mail readers: compare the words, not the line breaks.
    assert "".join(WSIS_TITLE_AR.split()) in "".join(text.split())
    assert "https://example.invalid/updates/unsubscribe/" in text
    editor.screenshot("update-preview-email-ar")
    editor.assert_accessible("update-preview-email-ar")
