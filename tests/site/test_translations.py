"""The interface speaks the six UN languages.

French and Arabic (the languages of the Coalition's Update besides English) must be
complete; Spanish, Russian and Chinese must cover at least what a visitor sees first
(navigation, home and error pages) and may fall back to English for the rest.
tests/site/conftest.py compiles the catalogues before the first test.
"""

import re
from collections import Counter

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from coalition.core.compilemessages import LOCALE_DIR
from tests.factories.members import OrganizationFactory

# Django's language codes and the directories its catalogues live in.
CATALOGUES = {"ar": "ar", "fr": "fr", "es": "es", "ru": "ru", "zh-hans": "zh_Hans"}
COMPLETE = ["fr", "ar"]
# A python-format placeholder: %(name)s, %(count)d ...; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def po_path(language):
    return LOCALE_DIR / CATALOGUES[language] / "LC_MESSAGES" / "django.po"


def read_catalogue(language):
    with po_path(language).open("rb") as po_file:
        return read_po(po_file, locale=CATALOGUES[language])


def entries(catalogue):
    return [message for message in catalogue if message.id]


def forms(message):
    return list(message.string) if message.pluralizable else [message.string]


def placeholders(text):
    return Counter(token for token in PLACEHOLDER.findall(text) if token != "%%")


def tags(text):
    return Counter(HTML_TAG.findall(text))


def main_navigation(html):
    match = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return match.group(1)


@pytest.mark.parametrize("language", CATALOGUES)
def test_compiled_catalogue_exists_and_is_current(language):
    mo = po_path(language).with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_mtime >= po_path(language).stat().st_mtime


@pytest.mark.parametrize("language", COMPLETE)
def test_every_entry_is_translated_and_checked(language):
    catalogue = read_catalogue(language)
    untranslated = [message.id for message in entries(catalogue) if not all(forms(message))]
    fuzzy = [message.id for message in entries(catalogue) if message.fuzzy]
    assert len(entries(catalogue)) > 250
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_plural_entries_have_every_form_of_the_language(language):
    catalogue = read_catalogue(language)
    expected = {"ar": 6, "fr": 2, "es": 3, "ru": 4, "zh-hans": 1}[language]
    assert catalogue.num_plurals == expected
    for message in entries(catalogue):
        if message.pluralizable and any(message.string):
            assert len(message.string) == expected, message.id


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_the_placeholders_of_the_source(language):
    mismatches = []
    for message in entries(read_catalogue(language)):
        if not message.pluralizable:
            if message.string and placeholders(message.string) != placeholders(message.id):
                mismatches.append((message.id, message.string))
            continue
        singular, plural = message.id
        known = placeholders(singular) | placeholders(plural)
        *particular, general = message.string
        # A form used for one number only may spell it out ("رسالتان", "Un mensaje"); the
        # general form, and every form in Chinese, keeps all of the plural's placeholders.
        if general and placeholders(general) != placeholders(plural):
            mismatches.append((message.id, general))
        for text in particular:
            if text and not set(placeholders(text)) <= set(known):
                mismatches.append((message.id, text))
    assert mismatches == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_the_markup_of_the_source(language):
    mismatches = []
    for message in entries(read_catalogue(language)):
        source = message.id[-1] if message.pluralizable else message.id
        for text in forms(message):
            if text and tags(text) != tags(source):
                mismatches.append((message.id, text))
    assert mismatches == []


def test_arabic_counts_use_the_dual_and_the_plural_of_few():
    message = read_catalogue("ar").get("%(counter)s organization")
    singular, plural = message.id
    with translation.override("ar"):
        # Arabic's six forms: 0, 1, 2, 3-10, 11-99, 100-102...
        for count, form in [(0, 0), (1, 1), (2, 2), (7, 3), (11, 4), (100, 5), (103, 3)]:
            assert translation.ngettext(singular, plural, count) == message.string[form]
    assert message.string[2] != message.string[3]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "organizations", "working_groups"),
    [
        ("fr", "Organisations", "Groupes de travail"),
        ("ar", "المنظمات", "أفرقة العمل"),
        ("es", "Organizaciones", "Grupos de trabajo"),
        ("ru", "Организации", "Рабочие группы"),
        ("zh-hans", "机构", "工作组"),
    ],
)
def test_home_page_navigation_is_translated(client, language, organizations, working_groups):
    OrganizationFactory()
    navigation = main_navigation(client.get(f"/{language}/").text)
    assert f">{organizations}</a>" in navigation
    assert f">{working_groups}</a>" in navigation
    assert "Working groups" not in navigation
    assert "Sign in" not in navigation


@pytest.mark.django_db
def test_french_home_page_uses_the_coalitions_own_terms(client):
    page = client.get("/fr/").text
    assert "Coalition dynamique pour les REL" in page
    assert "Commissions nationales pour l'UNESCO" in page
    assert "Rejoindre la Coalition" in page


@pytest.mark.django_db
def test_arabic_404_page_is_in_arabic_and_right_to_left(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in response.text
    assert "<h1>الصفحة غير موجودة</h1>" in response.text
    assert "تعذّر العثور على الصفحة التي طلبتها." in response.text
    assert "Page not found" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Page introuvable"),
        ("es", "Página no encontrada"),
        ("ru", "Страница не найдена"),
        ("zh-hans", "未找到页面"),
    ],
)
def test_404_page_title_is_translated(client, language, title):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.text


def test_arabic_500_page_is_in_arabic():
    from django.test import RequestFactory

    from coalition.site.views import server_error

    with translation.override("ar"):
        response = server_error(RequestFactory().get("/ar/"))
    assert response.status_code == 500
    assert "خطأ في الخادم" in response.content.decode()
