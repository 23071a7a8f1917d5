"""The language switcher, used from the keyboard only."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SWITCHER = "nav.languages a[hreflang='{}']"


def switch_language_by_keyboard(hub, code):
    hub.tab_to(SWITCHER.format(code))
    hub.page.keyboard.press("Enter")
    hub.page.wait_for_url(lambda url: f"/{code}/" in url)
    hub.assert_nothing_broken()


def test_language_switcher_by_keyboard_turns_home_to_arabic_and_back(hub, coalition):
    hub.visit("/en/")
    assert hub.document_language() == {"lang": "en", "dir": "ltr"}

    switch_language_by_keyboard(hub, "ar")
    assert hub.path == "/ar/"
    assert hub.document_language() == {"lang": "ar", "dir": "rtl"}
    current = hub.page.locator("nav.languages a[aria-current]")
    assert current.get_attribute("hreflang") == "ar"

    switch_language_by_keyboard(hub, "en")
    assert hub.path == "/en/"
    assert hub.document_language() == {"lang": "en", "dir": "ltr"}
    assert hub.page.locator("nav.languages a[aria-current]").get_attribute("hreflang") == "en"


def test_language_switcher_names_each_language_in_its_own_script(hub, coalition):
    hub.visit("/en/")

    links = hub.page.locator("nav.languages a")
    names = {link.get_attribute("lang"): link.inner_text().strip() for link in links.all()}
    assert names == {
        "ar": "العربية",
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "ru": "Русский",
        "zh-hans": "中文",
    }


def test_language_switcher_keeps_the_directory_filters(hub, coalition):
    hub.visit("/en/organizations/?region=arab-states")

    switch_language_by_keyboard(hub, "ar")

    assert hub.path == "/ar/organizations/?region=arab-states"
    assert hub.document_language() == {"lang": "ar", "dir": "rtl"}
    assert hub.page.locator(".directory .card").count() == len(coalition.arab_states)
