"""Rendering an edition: the e-mail (HTML and text) and the web version, in each language."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from coalition.activities.models import Activity
from coalition.updates.models import SectionKind
from coalition.updates.rendering import (
    PREFERENCES_URL,
    UNSUBSCRIBE_URL,
    render_edition,
)
from coalition.updates.services import composing
from tests.factories.updates import (
    CALL_TITLE,
    PRIVATE_ACCESS_URL,
    PRIVATE_CONTACT,
    PUBLIC_CONTACT,
    WEBINAR_TITLE,
    WSIS_TITLE_AR,
    WSIS_TITLE_FR,
    march_2023,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return march_2023()


def edition(issue, language):
    return issue.editions.get(language=language)


class Elements(HTMLParser):
    """Every element with its attributes and the text directly inside it."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.styles, self._stack, self._in_style = [], [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        self._in_style = tag == "style"
        if tag not in ("meta", "br", "input", "link", "img"):
            self._stack.append(element)

    def handle_endtag(self, tag):
        self._in_style = False
        while self._stack and self._stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        elif self._stack:
            self._stack[-1]["text"] += data

    def containing(self, text):
        return [element for element in self.elements if text in element["text"]]


def headings(html, tag):
    return [element["text"].strip() for element in Elements(html).elements if element["tag"] == tag]


def test_sections_appear_in_the_order_of_the_seed_and_only_with_items(issue):
    rendered = render_edition(edition(issue, "en"))
    expected = [
        "Upcoming events",
        "Calls for submissions",
        "Publications and resources",
        "Share your activities",
    ]
    assert headings(rendered.html, "h2") == expected
    positions = [rendered.text.index(f"{heading}\n---") for heading in expected]
    assert positions == sorted(positions)
    assert "National reports" not in rendered.text
    assert "News from recent events" not in rendered.html


def test_section_headings_are_in_the_editions_language(issue):
    french = render_edition(edition(issue, "fr"))
    with override("fr"):
        upcoming = str(SectionKind.UPCOMING_EVENTS.label)
    assert upcoming != "Upcoming events"  # the French catalogue translates it
    assert headings(french.html, "h2")[0] == upcoming


def test_items_keep_their_order_within_a_section(issue):
    events = issue.items.filter(section=SectionKind.UPCOMING_EVENTS).order_by("order")
    composing.move_item(events.last(), by=issue.created_by, direction=-1)
    html = render_edition(edition(issue, "en")).html
    assert html.index("WSIS Action Lines") < html.index(WEBINAR_TITLE)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_item_only_in_english_is_marked_as_fallback(issue, language):
    rendered = render_edition(edition(issue, language))
    with override(language):
        note = _("[in %(language)s]") % {"language": _("English")}
    title = next(e for e in Elements(rendered.html).containing(WEBINAR_TITLE) if e["tag"] == "a")
    heading = next(
        e
        for e in Elements(rendered.html).elements
        if e["tag"] == "h3" and e["attrs"].get("lang") == "en" and e["attrs"].get("dir") == "ltr"
    )
    assert title["attrs"]["href"].endswith(
        f"/{language}/activities/{Activity.objects.get(title_en=WEBINAR_TITLE).slug}/"
    )
    assert note in rendered.html
    assert "text-align:left" in heading["attrs"]["style"].replace(" ", "")
    assert f"{WEBINAR_TITLE} {note}" in " ".join(rendered.text.split())
    # The web version marks it too, for the archive.
    assert '<span lang="en" dir="ltr"><a href=' in rendered.web_html
    assert note in rendered.web_html


def test_translated_item_is_not_marked(issue):
    rendered = render_edition(edition(issue, "fr"))
    wsis = next(
        e
        for e in Elements(rendered.html).elements
        if e["tag"] == "h3" and e["attrs"].get("lang") == "fr"
    )
    assert WSIS_TITLE_FR in rendered.html
    assert wsis["attrs"]["dir"] == "ltr"
    with override("fr"):
        note = _("[in %(language)s]") % {"language": _("English")}
    assert f"{WSIS_TITLE_FR} {note}" not in " ".join(rendered.text.split())


def test_english_edition_has_no_fallback_marks(issue):
    rendered = render_edition(edition(issue, "en"))
    assert "[in " not in rendered.text
    content = [e for e in Elements(rendered.html).elements if e["tag"] in ("h3", "div")]
    assert content and {e["attrs"].get("lang", "en") for e in content} == {"en"}


def test_arabic_email_is_right_to_left_and_mirrored(issue):
    rendered = render_edition(edition(issue, "ar"))
    assert rendered.language == "ar"
    assert re.search(r'<html lang="ar" dir="rtl">', rendered.html)
    assert '<body dir="rtl"' in rendered.html
    assert 'align="right"' in rendered.html
    assert 'align="left"' not in rendered.html.replace('h3 class="item-title" lang="en"', "")
    assert "text-align: right" in rendered.html
    # The seed's Arabic title is inside right-to-left elements only.
    holder = next(e for e in Elements(rendered.html).containing(WSIS_TITLE_AR))
    assert holder["tag"] == "a"
    heading = next(
        e
        for e in Elements(rendered.html).elements
        if e["tag"] == "h3" and e["attrs"].get("lang") == "ar"
    )
    assert heading["attrs"]["dir"] == "rtl"
    assert "text-align:right" in heading["attrs"]["style"].replace(" ", "")


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_every_edition_carries_the_personal_placeholders_in_both_parts(issue, language):
    rendered = render_edition(edition(issue, language))
    for placeholder in (UNSUBSCRIBE_URL, PREFERENCES_URL):
        assert f'href="{placeholder}"' in rendered.html
        assert placeholder in rendered.text
        assert placeholder not in rendered.web_html


def test_css_is_inlined_and_only_the_phone_rule_stays_in_a_style_block(issue):
    html = render_edition(edition(issue, "en")).html
    parsed = Elements(html)
    remaining = "".join(parsed.styles)
    without_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", remaining)
    assert without_media.strip() == ""
    assert "max-width: 620px" in remaining
    cells = [e for e in parsed.elements if e["tag"] == "td"]
    assert cells and all("style" in cell["attrs"] for cell in cells)
    container = next(e for e in parsed.elements if "container" in e["attrs"].get("class", ""))
    assert "max-width: 600px" in container["attrs"]["style"]
    assert container["attrs"]["width"] == "100%"
    assert '<table role="presentation" width="600"' in html  # Outlook's fixed width


def test_email_uses_tables_and_loads_nothing_from_the_network(issue):
    html = render_edition(edition(issue, "fr")).html
    assert html.count('role="presentation"') >= 3
    for marker in ("<img", "<link", "<script", " src=", "url(", "@import"):
        assert marker not in html


def test_plain_text_has_the_organizer_clock_and_the_local_time_link(issue):
    text = render_edition(edition(issue, "en")).text
    webinar = Activity.objects.get(title_en=WEBINAR_TITLE)
    assert "16:00–17:00 CET" in text
    assert "Thursday, 9 March 2023, 16:00–17:00 CET" in text
    assert f"Your local time: {settings.SITE_URL}/en/activities/{webinar.slug}/" in text


def test_html_has_both_clocks_of_the_event(issue):
    html = render_edition(edition(issue, "en")).html
    webinar = Activity.objects.get(title_en=WEBINAR_TITLE)
    assert "16:00–17:00 CET" in html
    link = next(
        e for e in Elements(html).containing("See it in your local time") if e["tag"] == "a"
    )
    assert link["attrs"]["href"] == f"{settings.SITE_URL}/en/activities/{webinar.slug}/"


def test_french_edition_links_to_the_french_event_page_and_writes_the_day_in_french(issue):
    text = render_edition(edition(issue, "fr")).text
    webinar = Activity.objects.get(title_en=WEBINAR_TITLE)
    assert "jeudi 9 mars 2023" in text.lower()
    assert "16:00–17:00 CET" in text
    assert f"{settings.SITE_URL}/fr/activities/{webinar.slug}/" in text


def test_call_shows_its_deadline_in_the_organizers_zone(issue):
    rendered = render_edition(edition(issue, "en"))
    assert CALL_TITLE in rendered.text
    assert "Deadline: Sunday, 2 April 2023, 23:59 CEST" in rendered.text
    assert "https://digitalpublicgoods.net/blog/dpgs-information-integrity/" in rendered.text


def test_private_fields_never_appear(issue):
    for language in ("en", "fr", "ar"):
        rendered = render_edition(edition(issue, language))
        for part in (rendered.html, rendered.text, rendered.web_html):
            assert PRIVATE_CONTACT not in part
            assert PRIVATE_ACCESS_URL not in part
            assert "zoom.example" not in part
        assert PUBLIC_CONTACT in rendered.text


def test_subject_is_translated_with_the_period(issue):
    assert (
        render_edition(edition(issue, "en")).subject == "OER Dynamic Coalition Update — March 2023"
    )
    french = render_edition(edition(issue, "fr")).subject
    with override("fr"):
        expected = _("OER Dynamic Coalition Update — %(title)s") % {"title": "mars 2023"}
    assert french == expected


def test_translated_title_of_the_issue_is_used(issue):
    issue.title_fr = "Mars 2023"
    issue.save()
    assert render_edition(edition(issue, "fr")).subject.endswith("Mars 2023")


def test_introduction_of_the_edition_is_rendered_sanitized(issue):
    french = edition(issue, "fr")
    french.introduction = (
        "<p>Chers collègues, bienvenue dans notre bulletin de mars 2023 !</p>"
        "<script>alert(1)</script>"
    )
    french.save()
    rendered = render_edition(french)
    assert "Chers collègues, bienvenue dans notre bulletin de mars 2023 !" in rendered.html
    assert "Chers collègues" in rendered.text
    assert "<script" not in rendered.html


def test_missing_introduction_is_a_greeting_in_the_editions_language(issue):
    with override("ar"):
        greeting = _("Dear OER Dynamic Coalition colleagues, welcome to our %(title)s Update!")
    rendered = render_edition(edition(issue, "ar"))
    assert greeting.split("%(title)s")[0].strip() in " ".join(rendered.text.split())


def test_share_your_activities_item_links_to_the_submission_page_once_headed(issue):
    rendered = render_edition(edition(issue, "en"))
    assert f"{settings.SITE_URL}/en/activities/share/" in rendered.text
    assert "20 March 2023" in rendered.text
    assert headings(rendered.html, "h3").count("Share your activities") == 0
    assert headings(rendered.html, "h2").count("Share your activities") == 1


def test_editors_text_in_french_only_is_marked_in_english(issue):
    composing.add_item(
        issue,
        by=issue.created_by,
        section=SectionKind.NATIONAL_REPORTS,
        title_fr="Rapports nationaux sur la mise en œuvre de la Recommandation REL",
        body_fr="<p>Vous avez été nombreux à soumettre vos rapports nationaux.</p>",
    )
    rendered = render_edition(edition(issue, "en"))
    assert "[in French] " not in rendered.text
    assert (
        "Rapports nationaux sur la mise en œuvre de la Recommandation REL [in French]"
        in " ".join(rendered.text.split())
    )
    assert headings(rendered.html, "h2")[2] == "National reports"


def test_an_activity_no_longer_published_is_left_out(issue):
    Activity.objects.filter(title_en=WEBINAR_TITLE).update(published_at=None)
    rendered = render_edition(edition(issue, "en"))
    assert WEBINAR_TITLE not in rendered.html
    assert WEBINAR_TITLE not in rendered.text


def test_cancelled_event_is_marked(issue):
    Activity.objects.filter(title_en=WEBINAR_TITLE).update(is_cancelled=True)
    text = render_edition(edition(issue, "en")).text
    assert f"{WEBINAR_TITLE} (Cancelled)" in text
    assert "Register:" not in text


def test_links_to_the_other_editions(issue):
    rendered = render_edition(edition(issue, "en"))
    assert f"{settings.SITE_URL}/en/updates/{issue.slug}/en/" in rendered.text
    other = next(e for e in Elements(rendered.html).elements if e["attrs"].get("hreflang") == "ar")
    assert other["attrs"]["href"] == f"{settings.SITE_URL}/ar/updates/{issue.slug}/ar/"
    assert other["attrs"]["dir"] == "rtl"


def test_rendering_is_the_same_for_everyone_and_takes_few_queries(
    issue, django_assert_max_num_queries
):
    french = edition(issue, "fr")
    with django_assert_max_num_queries(8):
        first = render_edition(french)
    assert render_edition(french) == first
