"""Reading translatable content fields with an explicit, visible fallback.

Interface language and content language are separate: a page in Arabic may show an
organization description that exists only in French. `content_in` says which
language it found, so templates can mark the text (`lang`, `dir`, a note to the reader).
"""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.core.translated import localized_column

from .languages import is_rtl, language_name


class Content(str):
    """The text found, as a string, knowing its language and the language asked for.

    A `str` subclass on purpose: Django's `{{ var }}` calls `str()` on anything else,
    which would lose `__html__` and with it the fallback mark.
    """

    __slots__ = ("language", "requested")

    def __new__(cls, value, language, requested):
        text = super().__new__(cls, value)
        text.language = language
        text.requested = requested
        return text

    def __getnewargs__(self):  # pickling and copying (e.g. cached figures) keep the language
        return (self.value, self.language, self.requested)

    @property
    def value(self):
        return str.__str__(self)

    @property
    def is_fallback(self):
        return bool(self.value) and self.language != self.requested

    @property
    def direction(self):
        return "rtl" if is_rtl(self.language) else "ltr"

    @property
    def language_name(self):
        """The content's language, named in the interface language."""
        return language_name(self.language)

    def __html__(self):
        """Escaped text; when it is a fallback, marked with its language for eyes and ears."""
        if not self.is_fallback:
            return format_html("{}", self.value)
        return format_html(
            '<span lang="{}" dir="{}">{}</span> <abbr class="lang-mark" title="{}">{}</abbr>',
            self.language,
            self.direction,
            self.value,
            _("Not yet translated; shown in %(language)s") % {"language": self.language_name},
            self.language.split("-")[0].upper(),
        )


def content_languages(requested):
    order = [requested, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    return list(
        dict.fromkeys(lang for lang in order if lang in settings.MODELTRANSLATION_LANGUAGES)
    )


def content_in(obj, field_name, language=None):
    """The value of `field_name` in `language` (default: the active one), else its fallback."""
    requested = language or get_language() or settings.LANGUAGE_CODE
    if requested not in settings.MODELTRANSLATION_LANGUAGES:
        requested = requested.split("-")[0]
    for candidate in content_languages(requested):
        value = getattr(obj, localized_column(field_name, candidate), "") or ""
        if value.strip():
            return Content(value, candidate, requested)
    return Content("", requested, requested)
