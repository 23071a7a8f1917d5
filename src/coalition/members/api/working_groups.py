"""Working groups in the API: groups, their officers and members, membership requests
and the chairs' decisions."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status

from coalition.recommendation.content import content_in

from .. import services
from ..models import (
    Organization,
    WorkingGroup,
    WorkingGroupMembership,
)
from ..schemas import (
    LanguageQuery,
    MembershipOut,
    MembershipRequestIn,
    WorkingGroupList,
    WorkingGroupOut,
)
from . import (
    DECISION_ERRORS,
    DETAIL_ERRORS,
    READ_ERRORS,
    _Answer,
    _conflict,
    _get,
    _text,
    _translations,
    router,
)


def _group_or_404(queryset, slug):
    return _get(queryset, _("There is no working group with this name."), slug=slug)


def _person_ref(answer, person):
    return {
        "slug": person.slug,
        "name": person.name,
        "url": answer.link("members:person-detail", person.slug),
    }


def _working_groups(**lookup):
    """The groups with their public officers and member organizations, in three queries."""
    officers = [WorkingGroupMembership.Role.CHAIR, WorkingGroupMembership.Role.RAPPORTEUR]
    groups = list(
        WorkingGroup.objects.filter(**lookup)
        .select_related("action_area")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=WorkingGroupMembership.Status.ACTIVE)
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=WorkingGroupMembership.objects.filter(
                    status=WorkingGroupMembership.Status.ACTIVE,
                    role__in=officers,
                    person__public_profile=True,
                )
                .select_related("person")
                .only("id", "working_group_id", "role", "person__slug", "person__name")
                .order_by("person__name", "pk"),
                to_attr="public_officers",
            )
        )
        .order_by("action_area_id")
    )
    # Thousands of organizations may belong to a group: their slugs, not model instances.
    slugs = defaultdict(list)
    links = WorkingGroup.organizations.through.objects.filter(
        workinggroup__in=[group.pk for group in groups],
        organization__status=Organization.Status.MEMBER,
    )
    for group_id, slug in links.order_by("organization__slug").values_list(
        "workinggroup_id", "organization__slug"
    ):
        slugs[group_id].append(slug)
    for group in groups:
        group.member_organizations = slugs[group.pk]
    return groups


def _working_group(answer, group):
    language = answer.language
    name = content_in(group, "name", language)
    area = group.action_area
    roles = WorkingGroupMembership.Role
    return {
        "slug": group.slug,
        "name": name.value,
        "name_language": name.language,
        "names": _translations(group, "name"),
        "description": _text(group, "description", language, html=True),
        "action_area": {
            "number": area.number,
            "title": _text(area, "title", language),
            "short_title": _text(area, "short_title", language),
        },
        "chairs": [
            _person_ref(answer, m.person) for m in group.public_officers if m.role == roles.CHAIR
        ],
        "rapporteurs": [
            _person_ref(answer, m.person)
            for m in group.public_officers
            if m.role == roles.RAPPORTEUR
        ],
        "organizations": group.member_organizations,
        "organization_count": len(group.member_organizations),
        "member_count": group.member_count,
        "url": answer.link("members:working-group-detail", group.slug),
    }


@router.get(
    "/working-groups",
    response={200: WorkingGroupList, **READ_ERRORS},
    auth=None,
    tags=["working groups"],
    summary="The working groups",
)
def list_working_groups(request, params: Query[LanguageQuery]):
    """The Coalition's working groups, one per action area of the Recommendation."""
    answer = _Answer(request)
    groups = [_working_group(answer, group) for group in _working_groups()]
    # Shaped like the other lists, though the five groups need no pages.
    return {"count": len(groups), "items": groups}


@router.get(
    "/working-groups/{slug}",
    response={200: WorkingGroupOut, **DETAIL_ERRORS},
    auth=None,
    tags=["working groups"],
    summary="One working group",
)
def get_working_group(request, slug: str, params: Query[LanguageQuery]):
    groups = _working_groups(slug=slug)
    if not groups:
        raise Http404(_("There is no working group with this name."))
    group = groups[0]
    return _working_group(_Answer(request), group)


def _membership(answer, membership):
    return {
        "id": membership.pk,
        "working_group": membership.working_group.slug,
        "person": _person_ref(answer, membership.person),
        "role": answer.choice(WorkingGroupMembership.Role, membership.role),
        "status": membership.status,
        "requested_at": membership.requested_at,
        "decided_at": membership.decided_at,
    }


@router.post(
    "/working-groups/{slug}/membership-requests",
    response={201: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Ask to join a working group",
)
def request_membership(request, slug: str, payload: MembershipRequestIn):
    """The chairs decide. A second request while one is pending or accepted is a
    conflict (409); after a refusal one may ask again."""
    group = _group_or_404(WorkingGroup.objects.all(), slug)
    services.person_for_user(request.user)
    # The account may have been read without a person a moment ago; read it afresh.
    request.user.refresh_from_db()
    try:
        membership = services.request_group_membership(
            group, user=request.user, message=payload.message
        )
    except ValidationError as error:
        raise _conflict(error) from error
    return Status(201, _membership(_Answer(request), membership))


def _membership_to_decide(request, slug, membership_id):
    group = _group_or_404(WorkingGroup.objects.all(), slug)
    if not request.user.has_perm("members.manage_working_group", group):
        raise PermissionDenied
    return _get(
        group.memberships.select_related("person", "working_group"),
        _("There is no request with this number in this working group."),
        pk=membership_id,
    )


@router.post(
    "/working-groups/{slug}/membership-requests/{membership_id}/accept",
    response={200: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Accept a request to join (chairs, secretariat)",
)
def accept_membership(request, slug: str, membership_id: int):
    membership = _membership_to_decide(request, slug, membership_id)
    try:
        membership = services.accept_group_membership(membership, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _membership(_Answer(request), membership)


@router.post(
    "/working-groups/{slug}/membership-requests/{membership_id}/decline",
    response={200: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Decline a request to join (chairs, secretariat)",
)
def decline_membership(request, slug: str, membership_id: int):
    membership = _membership_to_decide(request, slug, membership_id)
    try:
        membership = services.decline_group_membership(membership, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _membership(_Answer(request), membership)
