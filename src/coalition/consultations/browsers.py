"""Anonymous respondents: the per-browser token, and the limits answering shares.

The survey page and the API read and set the same signed cookie and count against the
same rate limits, so that neither is a way around the other.
"""

import secrets

from django.conf import settings
from django_ratelimit.core import is_ratelimited

COOKIE_SALT = "consultations.survey"
COOKIE_AGE = 365 * 24 * 3600
# Saves of answers from one person or address, by the form or the API.
ANSWER_RATE = "120/h"
ANSWER_RATE_GROUP = "consultations.answers"
# New anonymous responses from one address: enough for a shared office, not for a flood.
ANONYMOUS_RATE = "20/h"
ANONYMOUS_RATE_GROUP = "consultations.anonymous-response"


def cookie_name(survey):
    return f"hub_survey_{survey.pk}"


def browser_token(request, survey):
    return request.get_signed_cookie(cookie_name(survey), default="", salt=COOKIE_SALT)


def new_browser_token():
    return secrets.token_urlsafe(24)


def remember_browser(response, survey, token):
    response.set_signed_cookie(
        cookie_name(survey),
        token,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def too_many_saves(request):
    """Counts one save of answers (form or API) and says whether the limit is passed."""
    return is_ratelimited(
        request, group=ANSWER_RATE_GROUP, key="user_or_ip", rate=ANSWER_RATE, increment=True
    )


def too_many_new_anonymous(request):
    """Counts one new anonymous response from this address; whether the limit is passed."""
    return is_ratelimited(
        request, group=ANONYMOUS_RATE_GROUP, key="ip", rate=ANONYMOUS_RATE, increment=True
    )
