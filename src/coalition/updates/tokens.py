"""Signed tokens in the links the Update sends: the double opt-in confirmation link.

A confirmation link carries who (the subscriber's id and a digest of the address, never
the address itself) signed and timestamped with the site's key; it expires after
`CONFIRM_MAX_AGE`. Mails write links through here, the confirmation page reads them.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "updates.subscribe"
# A confirmation link works for a week: long enough for a holiday's inbox, short enough that
# an old message found later does not silently subscribe someone.
CONFIRM_MAX_AGE = timedelta(days=7)


def _address_digest(email):
    # Links end up in logs and browser histories: they name the address by a digest only.
    return hashlib.sha256(email.encode()).hexdigest()[:20]


def confirmation_token(subscriber):
    """The secret part of a confirmation link: who, signed and timestamped."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"id": subscriber.pk, "email": _address_digest(subscriber.email)}
    )


@dataclass(frozen=True)
class Confirmation:
    subscriber: Subscriber | None
    problem: str = ""  # "expired" or "invalid"; "" when the link is good


def check_confirmation(signed):
    """What a confirmation link names, and whether it is still good.

    A link is good while it is unexpired and its subscriber still exists with the same
    address, pending or already confirmed (clicking twice is fine). A link for an address
    that was unsubscribed, suppressed or erased since is not good: it does not subscribe
    anyone again.
    """
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            signed, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        return Confirmation(None, "expired")
    except (signing.BadSignature, ValueError, TypeError):
        return Confirmation(None, "invalid")
    if not isinstance(data, dict):
        return Confirmation(None, "invalid")
    subscriber = Subscriber.objects.filter(pk=data.get("id")).first()
    live = (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED)
    if (
        subscriber is None
        or _address_digest(subscriber.email) != data.get("email")
        or subscriber.status not in live
    ):
        return Confirmation(None, "invalid")
    return Confirmation(subscriber)
