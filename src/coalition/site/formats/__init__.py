"""Date formats of the interface languages, one style per language everywhere.

Django's own formats and CLDR's (Babel, which draws the events' clocks) disagree: Django
writes "Oct. 22, 2022" and "11/22/2026 12:49 p.m." in English, "3 مارس، 2023" in Arabic,
where CLDR writes "22 October 2022", "22/11/2026" and "3 مارس 2023". These modules
(settings.FORMAT_MODULE_PATH) give Django's `date` filter and `formats.date_format` the
CLDR patterns of `coalition.recommendation.languages.babel_locale` (English the British
way, as the UN writes it), with times on the 24-hour clock as the clocks show them.
tests/site/test_formats.py holds each language to Babel's output.
"""

from django.utils.translation import gettext_noop

# Django's Arabic catalogue spells April "إبريل" where CLDR writes "أبريل"; the Hub's
# catalogue, read before Django's, gives CLDR's spelling (extracted from here).
CLDR_MONTH_NAMES = (gettext_noop("April"),)
