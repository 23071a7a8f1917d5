"""The role matrix: who may do what, object by object."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalition.members.models import WorkingGroupMembership
from tests.factories.members import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    focal_point_of,
    working_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own_org, other_org = OrganizationFactory(), OrganizationFactory()
    group, other_group = working_group("capacity-building"), working_group("supportive-policy")
    member = UserFactory()
    member_person = PersonFactory(user=member)
    rapporteur = UserFactory()
    MembershipFactory(
        working_group=group,
        person=PersonFactory(user=rapporteur),
        role=WorkingGroupMembership.Role.RAPPORTEUR,
    )
    return {
        "org": own_org,
        "other_org": other_org,
        "group": group,
        "other_group": other_group,
        "request": MembershipFactory(
            working_group=group, status=WorkingGroupMembership.Status.REQUESTED
        ),
        "member_person": member_person,
        "users": {
            "public": AnonymousUser(),
            "member": member,
            "focal_point": focal_point_of(own_org),
            "chair": chair_of(group),
            "rapporteur": rapporteur,
            "secretariat": SecretariatFactory(),
        },
    }


# (permission, object key, roles allowed). Every other role must be refused.
MATRIX = [
    ("members.moderate_applications", None, {"secretariat"}),
    ("members.change_organization", "org", {"focal_point", "secretariat"}),
    ("members.change_organization", "other_org", {"secretariat"}),
    ("members.act_for_organization", "org", {"focal_point", "secretariat"}),
    ("members.act_for_organization", "other_org", {"secretariat"}),
    ("members.manage_working_group", "group", {"chair", "secretariat"}),
    ("members.manage_working_group", "other_group", {"secretariat"}),
    ("members.decide_group_membership", "request", {"chair", "secretariat"}),
    ("members.view_working_group_contacts", "group", {"chair", "rapporteur", "secretariat"}),
    ("members.request_group_membership", None, {"member", "focal_point", "chair", "rapporteur"}),
    ("members.change_person", "member_person", {"member", "secretariat"}),
    ("members.view_private_person", "member_person", {"member", "secretariat"}),
]
ROLES = ["public", "member", "focal_point", "chair", "rapporteur", "secretariat"]


@pytest.mark.parametrize(("permission", "target", "allowed"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, permission, target, allowed, role):
    user = world["users"][role]
    obj = world[target] if target else None
    assert user.has_perm(permission, obj) is (role in allowed)


def test_inactive_chair_has_no_chair_rights(world):
    chair = world["users"]["chair"]
    WorkingGroupMembership.objects.filter(person__user=chair).update(
        status=WorkingGroupMembership.Status.DECLINED
    )
    assert not chair.has_perm("members.manage_working_group", world["group"])
