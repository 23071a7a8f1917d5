"""The activities domain in the JSON API: activities, events, moderation, registration.

Reads are public and show what the public pages show, never more: published activities,
filtered by the pages' own filter form through `selectors`, and never the access link of
an event, a contact e-mail its submitter did not make public, or anything about who
registered. Writes need a signed-in session (the API's default authentication, see
`coalition/api.py`), are validated by the web form (`ActivityForm`) and go through
`services.moderation` and `services.registration`, which check permissions again and
run in one transaction each.

The operations: `activities` (reading), `submissions` (submitting and moderating),
`registrations` (registering for an event), all on this package's `router`.

Times go out in UTC with the organizer's zone and clock; they come in as instants with
their offset from UTC, `time_zone` naming the organizer's zone (see `ActivityIn`).
"""

from django.conf import settings
from ninja import Router

router = Router()

CONTENT_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES
TIMES = ("starts_at", "ends_at", "deadline")


# The operations, registered on `router` in this order (the OpenAPI document's order).
# isort: off
from . import activities  # noqa: E402, F401
from . import submissions  # noqa: E402, F401
from . import registrations  # noqa: E402, F401
# isort: on
