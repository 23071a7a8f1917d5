"""Who may do what with activities. Read with members/rules.py, whose predicates it reuses.

Submitting: a focal point, or any person affiliated with a member organization, acts for
that organization. Organizers of an activity are the focal points of its member
organizations, the people named as its organizers (`Activity.organizers`: the submitter,
and whoever a focal point or the secretariat names), and the secretariat; they edit and
cancel it, add materials, see registrations (participants' addresses) and the access
link, and hide posts. Being merely affiliated with an organization gives none of this.
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
def is_focal_point_for(user, activity):
    """A focal point of one of the activity's member organizations."""
    if not user.is_authenticated or activity is None or activity.pk is None:
        return False
    return Affiliation.objects.filter(
        person__user=user,
        is_focal_point=True,
        organization__in=activity.organizations.all(),
        organization__status=Organization.Status.MEMBER,
    ).exists()


@rules.predicate
def is_named_organizer(user, activity):
    if not user.is_authenticated or activity is None or activity.pk is None:
        return False
    return activity.organizers.filter(pk=user.pk).exists()


organizes = is_focal_point_for | is_named_organizer


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
# Naming or removing an activity's organizers: its focal points and the secretariat.
rules.add_perm("activities.name_organizers", is_secretariat | is_focal_point_for)
rules.add_perm("activities.report_post", is_signed_in)
