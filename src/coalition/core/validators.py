"""Checks on plain text that every domain applies to its one-line fields (names, titles).

A name or a title is one line: a carriage return or a line feed in it would break mail
headers and subjects, iCalendar lines, CSV exports and page titles. The web forms'
<input> cannot send one, but a crafted request or the API can; the models refuse it in
`clean()`, which every form and service runs (full_clean).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .translated import localized_columns

LINE_BREAKS = frozenset("\r\n\x0b\x0c\x85\u2028\u2029")


def has_line_break(value):
    return isinstance(value, str) and any(char in LINE_BREAKS for char in value)


def validate_single_line(value):
    if has_line_break(value):
        raise ValidationError(_("This must be a single line of text."), code="line_break")


def refuse_line_breaks(instance, fields=(), translated=()):
    """Raise one ValidationError naming each of `fields` (and every language column of
    each of `translated`) whose value holds a line break."""
    columns = [*fields, *(column for name in translated for column in localized_columns(name))]
    errors = {}
    for column in columns:
        if has_line_break(getattr(instance, column, "")):
            errors[column] = [_("This must be a single line of text.")]
    if errors:
        raise ValidationError(errors)
