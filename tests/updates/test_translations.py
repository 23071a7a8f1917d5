"""The Update's own catalogue (src/coalition/updates/locale): complete in the five other UN
languages, with the shared catalogue's plural rules, placeholders and markup kept, and
in use on the pages."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from tests.site.test_translations import CATALOGUES, forms, placeholders, tags

UPDATES_LOCALE = Path(__file__).resolve().parents[2] / "src" / "coalition" / "updates" / "locale"
PLURALS = {"ar": 6, "fr": 2, "es": 3, "ru": 4, "zh-hans": 1}


def catalogue(language):
    path = UPDATES_LOCALE / CATALOGUES[language] / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=CATALOGUES[language])


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_entry_is_translated_with_its_placeholders_markup_and_plural_forms(language):
    found = catalogue(language)
    assert found.num_plurals == PLURALS[language]
    messages = [message for message in found if message.id]
    assert len(messages) > 40
    for message in messages:
        texts = forms(message)
        assert all(texts) and not message.fuzzy, message.id
        source = message.id[-1] if message.pluralizable else message.id
        if message.pluralizable:
            assert len(texts) == PLURALS[language], message.id
        # The general form keeps every placeholder (Arabic writes the count once in all).
        assert placeholders(texts[-1]) == placeholders(source), message.id
        assert all(tags(text) == tags(source) for text in texts), message.id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Recevoir le Point par e-mail"), ("ar", "تلقَّ نشرة المستجدات بالبريد الإلكتروني")],
)
def test_the_pages_use_it(client, language, expected):
    with translation.override(language):
        assert translation.gettext("Receive the Update by e-mail") == expected
    # The home page's call to subscribe.
    assert expected in client.get(f"/{language}/").text
