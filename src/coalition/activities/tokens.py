"""Signed tokens in the links activities send: a registrant's personal cancel link.

The link carries the registration's random token signed with the site's key, so a
forged or altered link names nobody. Views read links through here, mails write them.
"""

from django.core import signing

from .models import Registration

CANCEL_SALT = "coalition.activities.registration-cancel"


def signed_token(registration):
    """The secret in a personal cancel link: the registration's token, signed with the site key."""
    return signing.Signer(salt=CANCEL_SALT).sign(registration.token)


def registration_for_link(signed):
    """The registration a cancel link names, or None when the link is forged or unknown."""
    try:
        token = signing.Signer(salt=CANCEL_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("activity").filter(token=token).first()
