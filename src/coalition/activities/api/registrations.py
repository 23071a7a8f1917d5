"""Registering for an event through the API."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Status

from coalition.members.api import (
    DECISION_ERRORS,
    _conflict,
)

from ..models import (
    Activity,
    Kind,
)
from ..schemas import (
    RegistrationAccepted,
    RegistrationIn,
)
from ..services import registration as registrations
from . import router


@router.post(
    "/events/{slug}/registrations",
    response={202: RegistrationAccepted, **DECISION_ERRORS},
    tags=["events"],
    summary="Register for an event",
)
def register_for_event(request, slug: str, payload: RegistrationIn):
    """A place, or when none is left a place on the waiting list (`status` says which);
    the confirmation comes by e-mail. The answer is the same whether or not the address
    (or the signed-in account) is registered already, so that nobody learns who is: an
    address already registered is reminded of its registration by e-mail instead. A
    closed, cancelled or past event is a conflict (409) with its reason."""
    event = Activity.objects.filter(slug=slug, kind=Kind.EVENT).first()
    if event is None or not request.user.has_perm("activities.view_activity", event):
        raise Http404(_("There is no event with this name."))
    if not request.user.has_perm("activities.register", event):
        raise PermissionDenied
    errors = {}
    name = payload.name.strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    email = payload.email.strip() or request.user.email
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        registration = registrations.register(
            event,
            name=name,
            email=email,
            user=request.user,
            organization_name=payload.organization_name.strip(),
            share_contact=payload.share_contact,
            language=get_language(),
            quiet_duplicates=True,
        )
    except ValidationError as error:
        raise _conflict(error) from error
    # What was asked for, never what is stored: the same body for a registrant as for anyone.
    return Status(
        202,
        {
            "event": event.slug,
            "status": registration.status,
            "name": name,
            "email": email.lower(),
            "organization_name": payload.organization_name.strip(),
            "share_contact": payload.share_contact,
        },
    )
