"""The six official languages of the United Nations, in their own scripts."""

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
