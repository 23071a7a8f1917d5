"""Who may do what, object by object.

Roles: the secretariat (whole Coalition); an organization's focal point (their own
organization only); a working group's chair (their own group only) and rapporteur;
members (people with an account); the public. Views, the API and templates all ask
`user.has_perm(name, obj)`, so this file is the single place to read the role matrix.
"""

import rules

from .models import Affiliation, WorkingGroupMembership


@rules.predicate
def is_secretariat(user):
    return bool(user.is_authenticated and (user.is_secretariat or user.is_superuser))


@rules.predicate
def has_person(user):
    return bool(user.is_authenticated and getattr(user, "person", None))


@rules.predicate
def is_focal_point_of(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return Affiliation.objects.filter(
        person__user=user, organization=organization, is_focal_point=True
    ).exists()


def _holds_group_role(user, working_group, roles):
    if not user.is_authenticated or working_group is None:
        return False
    return WorkingGroupMembership.objects.filter(
        person__user=user,
        working_group=working_group,
        role__in=roles,
        status=WorkingGroupMembership.Status.ACTIVE,
    ).exists()


@rules.predicate
def is_chair_of(user, working_group):
    return _holds_group_role(user, working_group, [WorkingGroupMembership.Role.CHAIR])


@rules.predicate
def is_chair_or_rapporteur_of(user, working_group):
    return _holds_group_role(
        user,
        working_group,
        [WorkingGroupMembership.Role.CHAIR, WorkingGroupMembership.Role.RAPPORTEUR],
    )


@rules.predicate
def is_self(user, person):
    return bool(user.is_authenticated and person is not None and person.user_id == user.pk)


@rules.predicate
def is_chair_of_membership_group(user, membership):
    return membership is not None and is_chair_of(user, membership.working_group)


rules.add_perm("members.moderate_applications", is_secretariat)
rules.add_perm("members.add_organization", is_secretariat)
rules.add_perm("members.add_person", is_secretariat)
rules.add_perm("members.change_organization", is_secretariat | is_focal_point_of)
rules.add_perm("members.act_for_organization", is_secretariat | is_focal_point_of)
rules.add_perm("members.change_person", is_secretariat | is_self)
rules.add_perm("members.view_private_person", is_secretariat | is_self)
rules.add_perm("members.request_group_membership", has_person)
rules.add_perm("members.decide_group_membership", is_secretariat | is_chair_of_membership_group)
rules.add_perm("members.manage_working_group", is_secretariat | is_chair_of)
rules.add_perm("members.view_working_group_contacts", is_secretariat | is_chair_or_rapporteur_of)
