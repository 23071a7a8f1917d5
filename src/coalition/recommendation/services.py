"""Keeps the vocabulary tables in step with the official texts in this package."""

from babel import Locale
from django.db import transaction

from coalition.core.translated import localized_column

from .action_areas import ACTION_AREA_SHORT_TITLES, ACTION_AREA_TITLES
from .models import ActionArea, Language


@transaction.atomic
def sync_action_areas():
    for number, titles in ACTION_AREA_TITLES.items():
        values = {"title": titles["en"], "short_title": ACTION_AREA_SHORT_TITLES[number]["en"]}
        for language, title in titles.items():
            values[localized_column("title", language)] = title
            values[localized_column("short_title", language)] = ACTION_AREA_SHORT_TITLES[number][
                language
            ]
        ActionArea.objects.update_or_create(number=number, defaults=values)


@transaction.atomic
def sync_languages():
    """ISO 639-1 languages, named in English by Babel's CLDR data (shipped in the package)."""
    names = Locale("en").languages
    known = set(Language.objects.values_list("code", flat=True))
    Language.objects.bulk_create(
        Language(code=code, name=name)
        for code, name in sorted(names.items())
        if len(code) == 2 and code not in known
    )
