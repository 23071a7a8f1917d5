"""Read-side queries shared by the pages and the API, so both filter the same way."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from coalition.core.translated import localized_columns

from .models import (
    MembershipApplication,
    Organization,
    Person,
    WorkingGroup,
    WorkingGroupMembership,
)


def directory_organizations(
    *, q="", stakeholder_type="", region="", country="", working_group=None
):
    """Member organizations, filtered as the directory's form and the API allow."""
    organizations = Organization.objects.members()
    if stakeholder_type:
        organizations = organizations.filter(stakeholder_type=stakeholder_type)
    if region:
        organizations = organizations.filter(region=region)
    if country:
        organizations = organizations.filter(country=country)
    if working_group is not None:
        organizations = organizations.filter(working_groups=working_group)
    if q:
        match = Q(acronym__icontains=q)
        for column in localized_columns("name"):
            match |= Q(**{f"{column}__icontains": q})
        organizations = organizations.filter(match)
    return organizations.order_by("name_en", "pk")


def directory_people(*, q="", country="", working_group=None):
    """People who consented to a public profile; private fields are never selected."""
    people = Person.objects.public().only("name", "slug", "country")
    if country:
        people = people.filter(country=country)
    if working_group is not None:
        people = people.filter(
            group_memberships__working_group=working_group, group_memberships__status="active"
        )
    if q:
        people = people.filter(
            Q(name__icontains=q) | Q(affiliations__role_title__icontains=q)
        ).distinct()
    return people.order_by("name", "pk")


def working_groups_with_counts():
    """The working groups, each with `organization_count` (its member organizations) and
    `people_count` (its active members), as the groups' page lists them.

    Three queries however large the groups grow: the groups, then one grouped count over
    each of the two link tables. Counted together over a join of both tables, each group
    would multiply its organizations by its members before counting them (25 s instead
    of 16 ms at the load benchmark's size on PostgreSQL 15, the same counts).
    """
    groups = list(WorkingGroup.objects.select_related("action_area"))
    organizations = dict(
        WorkingGroup.organizations.through.objects.filter(
            organization__status=Organization.Status.MEMBER
        )
        .order_by()
        .values("workinggroup")
        .annotate(count=Count("pk"))
        .values_list("workinggroup", "count")
    )
    people = dict(
        WorkingGroupMembership.objects.filter(status=WorkingGroupMembership.Status.ACTIVE)
        .order_by()
        .values("working_group")
        .annotate(count=Count("person", distinct=True))
        .values_list("working_group", "count")
    )
    for group in groups:
        group.organization_count = organizations.get(group.pk, 0)
        group.people_count = people.get(group.pk, 0)
    return groups


def chaired_groups_with_requests(user):
    """The working groups `user` chairs, each with `pending`: the requests to join it that
    wait for a decision (what the group's requests page lists).

    The count is a subquery of its own: counted over the join that finds the chair's own
    membership, it would count that one row only, never the requests.
    """
    pending = (
        WorkingGroupMembership.objects.filter(
            working_group=OuterRef("pk"), status=WorkingGroupMembership.Status.REQUESTED
        )
        .order_by()
        .values("working_group")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        WorkingGroup.objects.filter(
            memberships__person__user=user,
            memberships__role=WorkingGroupMembership.Role.CHAIR,
            memberships__status=WorkingGroupMembership.Status.ACTIVE,
        )
        .annotate(pending=Coalesce(Subquery(pending), 0))
        .order_by("action_area")
    )


@dataclass(frozen=True)
class MemberHub:
    """The members' part of a person's My Hub: their organizations, groups and decisions."""

    person: Person | None
    affiliations: list
    memberships: list
    chaired: list
    pending_applications: int | None  # None: not the secretariat's to review


def member_hub(user):
    person = getattr(user, "person", None)
    affiliations = (
        list(person.affiliations.select_related("organization").order_by("organization__name"))
        if person
        else []
    )
    memberships = (
        list(person.group_memberships.select_related("working_group").order_by("working_group"))
        if person
        else []
    )
    pending_applications = (
        MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).count()
        if user.has_perm("members.moderate_applications")
        else None
    )
    return MemberHub(
        person=person,
        affiliations=affiliations,
        memberships=memberships,
        chaired=list(chaired_groups_with_requests(user)),
        pending_applications=pending_applications,
    )
