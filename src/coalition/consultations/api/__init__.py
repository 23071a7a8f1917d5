"""The consultations domain in the JSON API: consultations, surveys, answers, results.

Reads of consultations, published surveys and published reports are public and show
what the public pages show, never more: never a comment, a draft report or who answered.
Answering follows the survey page's rules, through the same form and service: a
signed-in person, or, where the survey allows it, a browser with its token (the page's
signed cookie, set on the first save), the same window, the same rate limits. Results
and the JSON export are for the secretariat and the working groups' chairs and
rapporteurs, as on the results page.

The operations: `consultations` (consultations and their published reports),
`surveys` (a survey, answering it), `results` (figures and export), on `router`.
"""

from django.urls import reverse
from ninja import Router

from coalition.recommendation.content import content_in

router = Router(tags=["consultations"])


def group_ref(group):
    return {"slug": group.slug, "name": str(content_in(group, "name"))}


def absolute(request, url_name, **kwargs):
    return request.build_absolute_uri(reverse(url_name, kwargs=kwargs))


# The operations, registered on `router` in this order (the OpenAPI document's order).
# isort: off
from . import consultations  # noqa: E402, F401
from . import surveys  # noqa: E402, F401
from . import results  # noqa: E402, F401
# isort: on
