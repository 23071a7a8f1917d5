"""The public archive: sent editions at stable addresses, the list of issues, the Atom feed."""

from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.updates.models import UpdateIssue
from coalition.updates.services import composing
from tests.factories.members import SecretariatFactory
from tests.factories.updates import (
    PRIVATE_ACCESS_URL,
    PRIVATE_CONTACT,
    WEBINAR_TITLE,
    WSIS_TITLE_AR,
    march_2023,
    mark_sent,
)
from tests.support.queries import assert_list_queries_flat

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def sent():
    return mark_sent(march_2023(), datetime(2023, 3, 2, 9, 0, tzinfo=UTC))


def url_in(page_language, name, **kwargs):
    with translation.override(page_language):
        return reverse(name, kwargs=kwargs)


def another_issue(title, month, languages=("en", "fr", "ar"), sent_on=None):
    issue = composing.create_draft(
        title=title,
        period_start=date(2023, month, 1),
        period_end=date(2023, month, 28),
        by=SecretariatFactory(),
        languages=languages,
    )
    if sent_on:
        mark_sent(issue, sent_on)
    return issue


class TestEditionPage:
    def test_draft_is_not_public(self, client):
        issue = march_2023()
        for language in ("en", "ar"):
            edition_url = url_in(
                language, "updates:edition-detail", slug=issue.slug, language=language
            )
            assert client.get(edition_url).status_code == 404
            assert (
                client.get(url_in(language, "updates:issue-detail", slug=issue.slug)).status_code
                == 404
            )

    def test_draft_stays_off_the_public_address_even_for_the_secretariat(self, client):
        issue = march_2023()
        client.force_login(SecretariatFactory())
        url = url_in("en", "updates:edition-detail", slug=issue.slug, language="en")
        assert client.get(url).status_code == 404

    def test_sent_english_edition(self, client, sent):
        response = client.get(url_in("en", "updates:edition-detail", slug=sent.slug, language="en"))
        assert response.status_code == 200
        assert '<html lang="en" dir="ltr">' in response.text
        assert '<article class="update-edition" lang="en" dir="ltr">' in response.text
        assert "<title>OER Dynamic Coalition Update — March 2023 ·" in response.text
        assert WEBINAR_TITLE in response.text
        assert "16:00–17:00 CET" in response.text
        for secret in (PRIVATE_CONTACT, PRIVATE_ACCESS_URL, "%%"):
            assert secret not in response.text

    def test_links_to_the_hub_are_relative_on_the_page(self, client, settings):
        from coalition.updates.services import sending

        settings.SITE_URL = "http://127.0.0.1:8000"
        issue = march_2023()
        sending.freeze_editions(issue)  # frozen with the address of the day
        mark_sent(issue)
        edition = issue.editions.get(language="en")
        assert 'href="http://127.0.0.1:8000/' not in edition.sent_web_html  # kept site-relative
        settings.SITE_URL = "https://hub.example.org"  # the Hub moved since
        page = client.get(url_in("en", "updates:edition-detail", slug=issue.slug, language="en"))
        assert 'href="http://127.0.0.1:8000/' not in page.text
        assert 'href="/en/events/' in page.text or 'href="/en/activities/' in page.text

    def test_sent_arabic_edition_is_right_to_left(self, client, sent):
        response = client.get(url_in("ar", "updates:edition-detail", slug=sent.slug, language="ar"))
        assert response.status_code == 200
        assert '<html lang="ar" dir="rtl">' in response.text
        assert '<article class="update-edition" lang="ar" dir="rtl">' in response.text
        assert WSIS_TITLE_AR in response.text
        # The English-only webinar is marked inside the Arabic edition.
        assert '<span lang="en" dir="ltr"><a href="' in response.text

    def test_arabic_edition_inside_the_english_interface_keeps_its_own_direction(
        self, client, sent
    ):
        response = client.get(url_in("en", "updates:edition-detail", slug=sent.slug, language="ar"))
        assert '<html lang="en" dir="ltr">' in response.text
        assert '<article class="update-edition" lang="ar" dir="rtl">' in response.text

    def test_links_to_the_other_languages_with_hreflang(self, client, sent):
        response = client.get(url_in("fr", "updates:edition-detail", slug=sent.slug, language="fr"))
        arabic = url_in("fr", "updates:edition-detail", slug=sent.slug, language="ar")
        assert f'<a href="{arabic}" lang="ar" dir="rtl" hreflang="ar">العربية</a>' in response.text

    def test_edition_sent_before_its_issue_is_finished_is_public(self, client):
        issue = march_2023()
        issue.editions.filter(language="fr").update(sent_at=datetime(2023, 3, 2, tzinfo=UTC))
        assert issue.status == UpdateIssue.Status.DRAFT
        fr = url_in("fr", "updates:edition-detail", slug=issue.slug, language="fr")
        en = url_in("en", "updates:edition-detail", slug=issue.slug, language="en")
        assert client.get(fr).status_code == 200
        assert client.get(en).status_code == 404

    def test_language_without_an_edition_is_not_found(self, client, sent):
        url = url_in("ru", "updates:edition-detail", slug=sent.slug, language="ru")
        assert client.get(url).status_code == 404

    def test_unknown_language_code_is_not_found(self, client, sent):
        assert client.get(f"/en/updates/{sent.slug}/xx/").status_code == 404


class TestIssueAddress:
    def test_redirects_to_the_edition_in_the_page_language(self, client, sent):
        response = client.get(url_in("ar", "updates:issue-detail", slug=sent.slug))
        assert response.status_code == 302
        assert response["Location"] == url_in(
            "ar", "updates:edition-detail", slug=sent.slug, language="ar"
        )

    def test_falls_back_to_english(self, client, sent):
        response = client.get(url_in("ru", "updates:issue-detail", slug=sent.slug))
        assert response["Location"] == url_in(
            "ru", "updates:edition-detail", slug=sent.slug, language="en"
        )


class TestArchiveList:
    def test_each_issue_once_in_the_readers_language(self, client, sent):
        another_issue("April 2023", 4, sent_on=datetime(2023, 4, 3, tzinfo=UTC))
        another_issue("May 2023", 5)  # a draft
        response = client.get(url_in("fr", "updates:issue-list"))
        rows = response.context["rows"]
        assert [row["issue"].title_en for row in rows] == ["April 2023", "March 2023"]
        assert [row["edition"].language for row in rows] == ["fr", "fr"]
        assert "May 2023" not in response.text and "mai 2023" not in response.text
        march = url_in("fr", "updates:edition-detail", slug=sent.slug, language="fr")
        assert f'<a href="{march}" lang="fr" dir="ltr" hreflang="fr">mars 2023</a>' in response.text
        others = {other["language"] for other in rows[1]["others"]}
        assert others == {"en", "ar"}
        arabic = url_in("fr", "updates:edition-detail", slug=sent.slug, language="ar")
        assert f'<a href="{arabic}" lang="ar" dir="rtl" hreflang="ar">العربية</a>' in response.text

    def test_reader_whose_language_has_no_edition_gets_english(self, client, sent):
        response = client.get(url_in("es", "updates:issue-list"))
        row = response.context["rows"][0]
        assert row["edition"].language == "en"
        english = url_in("es", "updates:edition-detail", slug=sent.slug, language="en")
        assert (
            f'<a href="{english}" lang="en" dir="ltr" hreflang="en">March 2023</a>' in response.text
        )

    def test_issue_without_english_links_to_what_exists(self, client):
        issue = another_issue(
            "June 2023", 6, languages=("ar",), sent_on=datetime(2023, 6, 2, tzinfo=UTC)
        )
        response = client.get(url_in("ru", "updates:issue-list"))
        assert response.context["rows"][0]["edition"].language == "ar"
        assert (
            url_in("ru", "updates:edition-detail", slug=issue.slug, language="ar") in response.text
        )

    def test_empty_archive_says_so(self, client):
        march_2023()
        response = client.get(url_in("en", "updates:issue-list"))
        assert response.status_code == 200
        assert "No issue has been sent yet." in response.text

    def test_query_count_does_not_grow_with_issues(self, client):
        mark_sent(another_issue("January 2023", 1))

        def grow():
            for month in range(2, 9):
                mark_sent(another_issue(f"Issue {month}", month))
            return 7

        response = assert_list_queries_flat(
            client,
            url_in("en", "updates:issue-list"),
            grow=grow,
            rows=lambda response: len(response.context["rows"]),
            most=8,
        )
        assert len(response.context["rows"]) == 8


class TestFeed:
    def parse(self, response):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        return ElementTree.fromstring(response.content)  # noqa: S314 - the Hub's own feed

    def test_feed_is_atom_with_the_sent_editions_of_its_language(self, client, sent):
        another_issue("April 2023", 4, sent_on=datetime(2023, 4, 3, tzinfo=UTC))
        another_issue("May 2023", 5)  # a draft
        feed = self.parse(client.get(url_in("fr", "updates:feed")))
        assert feed.tag == f"{ATOM}feed"
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}").text
        assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/fr/updates/feed/")
        entries = feed.findall(f"{ATOM}entry")
        titles = [entry.find(f"{ATOM}title").text for entry in entries]
        assert len(titles) == 2
        assert titles[0].endswith("avril 2023") and titles[1].endswith("mars 2023")
        for entry in entries:
            assert entry.find(f"{ATOM}id").text
            assert entry.find(f"{ATOM}updated").text
            assert entry.find(f"{ATOM}link").get("href").endswith("/fr/")
            assert entry.find(f"{ATOM}content").get("type") == "html"
        march = entries[1]
        assert march.find(f"{ATOM}updated").text.startswith("2023-03-02T09:00:00")
        content = march.find(f"{ATOM}content").text
        assert 'lang="fr"' in content and WEBINAR_TITLE in content
        assert PRIVATE_CONTACT not in content and "%%" not in content

    def test_feed_links_to_the_hub_at_its_address_of_today(self, client, settings):
        from coalition.updates.services import sending

        settings.SITE_URL = "http://127.0.0.1:8000"
        issue = march_2023()
        sending.freeze_editions(issue)  # frozen when the Hub had another address
        mark_sent(issue)
        settings.SITE_URL = "https://hub.example.org"
        feed = self.parse(client.get(url_in("en", "updates:feed")))
        content = feed.find(f"{ATOM}entry").find(f"{ATOM}content").text
        assert "127.0.0.1:8000" not in content
        assert 'href="https://hub.example.org/en/' in content
        assert 'href="/' not in content

    def test_arabic_feed_lists_arabic_editions(self, client, sent):
        feed = self.parse(client.get(url_in("ar", "updates:feed")))
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
        entry = feed.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}link").get("href").endswith(f"/ar/updates/{sent.slug}/ar/")
        assert 'dir="rtl"' in entry.find(f"{ATOM}content").text

    def test_feed_without_editions_is_empty_not_missing(self, client, sent):
        feed = self.parse(client.get(url_in("ru", "updates:feed")))
        assert feed.findall(f"{ATOM}entry") == []

    def test_archive_page_announces_the_feed(self, client, sent):
        response = client.get(url_in("en", "updates:issue-list"))
        assert f'type="application/atom+xml" href="{url_in("en", "updates:feed")}"' in response.text


class TestSubscribeCall:
    """A visitor reading the Update on the web is one click from subscribing, in their language."""

    @pytest.mark.parametrize("language", ["en", "ar", "fr"])
    def test_home_archive_issue_and_events_link_to_the_subscribe_form(self, client, sent, language):
        edition = sent.editions.get(language="en")
        subscribe = url_in(language, "updates:subscribe")
        assert subscribe.startswith(f"/{language}/")
        pages = [
            url_in(language, "site:home"),
            url_in(language, "updates:issue-list"),
            url_in(language, "updates:edition-detail", slug=sent.slug, language=edition.language),
            url_in(language, "activities:event-list"),
        ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert f'href="{subscribe}"' in response.text, page
        with translation.override(language):
            label = translation.gettext("Subscribe to the Update")
        assert label in response.text
