"""Who may do what with activities. Read with members/rules.py, whose predicates it reuses.

Submitting: a focal point, or any person affiliated with a member organization, acts for
that organization. Organizers of an activity are the people who may act for one of its
organizations; they edit it, see registrations and the access link, and hide posts.
"""

import rules

from coalition.members.models import Affiliation, Organization
from coalition.members.rules import is_secretariat

from .models import Registration


@rules.predicate
def is_affiliated_with(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return Affiliation.objects.filter(
        person__user=user,
        organization=organization,
        organization__status=Organization.Status.MEMBER,
    ).exists()


@rules.predicate
def organizes(user, activity):
    if not user.is_authenticated or activity is None:
        return False
    return (
        Affiliation.objects.filter(
            person__user=user, organization__in=activity.organizations.all()
        ).exists()
        or activity.created_by_id == user.pk
    )


@rules.predicate
def is_registered_for(user, activity):
    if not user.is_authenticated or activity is None:
        return False
    return Registration.objects.filter(
        activity=activity, user=user, status=Registration.Status.CONFIRMED
    ).exists()


@rules.predicate
def is_published(user, activity):
    return activity is not None and activity.is_published


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


rules.add_perm("activities.submit_for_organization", is_secretariat | is_affiliated_with)
rules.add_perm("activities.moderate", is_secretariat)
rules.add_perm("activities.view_activity", is_published | is_secretariat | organizes)
rules.add_perm("activities.change_activity", is_secretariat | organizes)
rules.add_perm("activities.manage_event", is_secretariat | organizes)
rules.add_perm("activities.view_access_link", is_secretariat | organizes | is_registered_for)
rules.add_perm("activities.register", is_published)
rules.add_perm("activities.post", is_signed_in & is_published)
rules.add_perm("activities.hide_post", is_secretariat | organizes)
rules.add_perm("activities.report_post", is_signed_in)
