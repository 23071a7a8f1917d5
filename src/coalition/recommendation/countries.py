"""Country choices for forms, named and sorted in the language of each request."""

from django_countries import countries


def country_choices(blank_label=None):
    """A callable for `choices=`: evaluated per form, so names follow the active language
    (a list built when the module loads would freeze them in English)."""

    def choices():
        named = list(countries)
        return [("", blank_label), *named] if blank_label is not None else named

    return choices
