"""The main public pages, in English (left to right) and Arabic (right to left).

Each page must carry the language and direction of the interface, work from the
keyboard, and show axe-core no serious or critical accessibility violation.
Screenshots and axe findings are written to e2e/artifacts/ for people to look at.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DIRECTION = {"en": "ltr", "ar": "rtl"}
LANGUAGES = list(DIRECTION)


def card_names(hub, selector):
    return {text.strip() for text in hub.page.locator(selector).all_inner_texts()}


def name_in(organization, language):
    """The name the page should show: the translation, else the English one."""
    return getattr(organization, f"name_{language}", "") or organization.name_en


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_language_direction_and_no_serious_accessibility_violation(
    hub, coalition, language
):
    hub.visit(f"/{language}/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert hub.page.locator("h1").count() == 1
    assert hub.page.locator("h1").is_visible()
    latest = card_names(hub, "section[aria-labelledby=latest-heading] .card h3 a")
    assert name_in(coalition.organizations["alecso"], language) in latest
    assert "Pending Applicant Foundation" not in hub.page.content()
    hub.screenshot(f"home-{language}")
    hub.assert_accessible(f"home-{language}")


def test_home_page_counts_member_organizations_and_countries_in_english(hub, coalition):
    hub.visit("/en/")

    figures = hub.page.locator(".figures").inner_text()
    assert "7 member organizations" in figures
    assert "7 countries" in figures


def test_home_page_in_arabic_marks_names_shown_in_another_language(hub, coalition):
    hub.visit("/ar/")

    latest = hub.page.locator("section[aria-labelledby=latest-heading]")
    # Translated names are plain Arabic; names only known in English say so, for
    # screen readers (lang) and for eyes (the "EN" mark), and run left to right.
    assert latest.get_by_text("المنظمة العربية للتربية والثقافة والعلوم").count() == 1
    english = latest.locator('span[lang="en"][dir="ltr"]', has_text="Commonwealth of Learning")
    assert english.count() == 1
    assert latest.locator("abbr.lang-mark", has_text="EN").count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_filtered_by_keyboard_lists_only_the_chosen_region(hub, coalition, language):
    hub.visit(f"/{language}/organizations/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    members = [o for key, o in coalition.organizations.items() if key != "applicant"]
    assert hub.page.locator(".directory .card").count() == len(members)
    assert "Pending Applicant Foundation" not in hub.page.content()
    hub.screenshot(f"directory-{language}")
    hub.assert_accessible(f"directory-{language}")

    hub.tab_to("#id_region")
    hub.choose_by_keyboard("arab-states")
    hub.tab_to("form.filters button[type=submit]")
    hub.page.keyboard.press("Enter")
    hub.page.wait_for_url(lambda url: "region=arab-states" in url)
    hub.assert_nothing_broken()

    assert hub.path.startswith(f"/{language}/organizations/?")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert hub.page.locator("#id_region").input_value() == "arab-states"
    assert card_names(hub, ".directory .card h2 a") == {
        name_in(organization, language) for organization in coalition.arab_states
    }
    hub.screenshot(f"directory-filtered-{language}")
    hub.assert_accessible(f"directory-filtered-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_has_language_direction_and_no_serious_accessibility_violation(
    hub, coalition, language
):
    hub.visit(f"/{language}/dashboard/")

    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert hub.page.locator("h1").is_visible()
    hub.screenshot(f"dashboard-{language}")
    hub.assert_accessible(f"dashboard-{language}")


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(hub, coalition):
    hub.visit("/en/")

    hub.page.keyboard.press("Tab")
    assert hub.focused_matches("a.skip-link")
    box = hub.page.locator("a.skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"
    hub.page.keyboard.press("Enter")
    assert hub.focused_matches("main#main")
