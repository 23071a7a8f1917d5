"""National reporting in the JSON API: the reporting cycles, the published syntheses'
figures, and the national reports their readers may read.

What the public reads is what the public pages show, never more: the figures of a
published synthesis (a share over fewer than `MIN_COUNTRIES` countries is withheld, as
on the page), and a national report only when its country chose to publish it and the
secretariat accepted it. A country's focal point and co-editors read their own report
in any state, and the secretariat every report. Every operation is a read; the reports
are written on the Hub's pages, which keep what autosave and conflict detection need.

The operations: `cycles` (the cycles and their syntheses) and `reports` (one country's
report, and the signed-in user's own countries), on this package's `router`.
"""

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Router

router = Router(tags=["national reporting"])


class _Answer:
    """What the items of one answer share: the language, absolute links, coded names."""

    def __init__(self, request):
        self.request = request
        self.language = get_language()
        self._names = {}

    def link(self, name, **kwargs):
        return self.request.build_absolute_uri(reverse(name, kwargs=kwargs))

    def coded(self, choices, code):
        if choices not in self._names:
            self._names[choices] = {value: str(label) for value, label in choices.choices}
        return {"code": code, "name": self._names[choices].get(code, code)}


# The operations, registered on `router` in this order (the OpenAPI document's order).
from . import cycles, reports  # noqa: E402, F401
