"""The columns behind a translatable field (django-modeltranslation): `title_en`,
`title_zh_hans`. One place for the name, so that no module spells the rule itself."""

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname


def localized_column(field_name, language):
    """The column holding `field_name` in `language`: ("title", "zh-hans") → "title_zh_hans"."""
    return build_localized_fieldname(field_name, language)


def localized_columns(field_name, languages=None):
    """Every column of `field_name`, in the content languages' order (or `languages`')."""
    return [
        localized_column(field_name, language)
        for language in (languages or settings.MODELTRANSLATION_LANGUAGES)
    ]
