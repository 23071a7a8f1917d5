"""Naming an activity's organizers (activities/rules.py, `organizes`).

Besides the focal points of its organizations, an activity is organized by the people
named in `Activity.organizers`: whoever submitted it, and the people a focal point or the
secretariat names. Only people affiliated with one of its organizations can be named, so
that naming cannot be used to learn who has an account: the answer for an address is the
same whether or not an account has it, unless that person works with the organizers.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from coalition.members.models import Affiliation, Person, User


def _check(activity, by):
    if not by.has_perm("activities.name_organizers", activity):
        raise PermissionDenied


@transaction.atomic
def name_organizer(activity, *, by, email):
    """Name the account with `email`, affiliated with one of the activity's organizations."""
    _check(activity, by)
    user = (
        User.objects.filter(
            email__iexact=(email or "").strip(),
            pk__in=Affiliation.objects.filter(organization__in=activity.organizations.all()).values(
                "person__user"
            ),
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        raise ValidationError(
            {
                "email": [
                    _(
                        "Nobody affiliated with this activity's organizations has an "
                        "account with this address."
                    )
                ]
            }
        )
    activity.organizers.add(user)
    return user


@transaction.atomic
def remove_organizer(activity, *, by, user):
    _check(activity, by)
    activity.organizers.remove(user)


def organizer_candidates(activity, *, q="", organization=None):
    """The people a focal point may name: with an account, affiliated with one of the
    activity's organizations (or with `organization`, one of them), not named yet; whose
    name contains `q`. Each has `organizing_affiliations`, with those organizations."""
    organizing = activity.organizations.all()
    people = Person.objects.filter(
        user__isnull=False,
        pk__in=Affiliation.objects.filter(
            organization__in=organizing if organization is None else [organization]
        ).values("person"),
    ).exclude(user__in=activity.organizers.all())
    if q.strip():
        people = people.filter(name__icontains=q.strip())
    return (
        people.select_related("user")
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(organization__in=organizing)
                .select_related("organization")
                .order_by("organization__name"),
                to_attr="organizing_affiliations",
            )
        )
    )
