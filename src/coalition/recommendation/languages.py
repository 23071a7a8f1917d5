"""The six official languages of the United Nations, in their own scripts."""

from functools import cache

from babel import Locale
from django.conf import settings
from django.utils.translation import get_language, pgettext, to_locale
from django.utils.translation import gettext_lazy as _

# Codes as Django names its locales (Chinese is written in simplified characters at the UN).
UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh-hans")
RTL_LANGUAGES = frozenset({"ar"})

UN_LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
]

NATIVE_NAMES = {
    "ar": "العربية",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ru": "Русский",
    "zh-hans": "中文",
}


def is_rtl(language_code):
    return (language_code or "").split("-")[0] in RTL_LANGUAGES


# Babel (CLDR) locale of an interface language. The UN writes English the British way
# ("Thursday, 9 March 2023").
BABEL_LOCALES = {"en": "en_GB"}


def babel_locale(language=None):
    language = language or get_language() or settings.LANGUAGE_CODE
    return BABEL_LOCALES.get(language, to_locale(language))


@cache
def _language_names(locale):
    return Locale.parse(locale).languages


def language_name(code, language=None):
    """The name of language `code` in the interface language, e.g. "الإنجليزية" for en in ar."""
    names = _language_names(babel_locale(language))
    return names.get(code.replace("-", "_")) or names.get(code.split("-")[0]) or code


def list_separator():
    """Between the items of a list, in the interface language ("، " in Arabic, "、" in
    Chinese): written by the translators, as CLDR's list patterns join with "and"."""
    return pgettext("separator between the items of a list", ", ")


def join_list(items):
    return list_separator().join(str(item) for item in items)
