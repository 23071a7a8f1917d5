import pytest

from coalition.members.models import WorkingGroupMembership
from coalition.members.selectors import chaired_groups_with_requests, member_hub
from tests.factories.members import (
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    working_group,
)

pytestmark = pytest.mark.django_db

REQUESTED = WorkingGroupMembership.Status.REQUESTED


def test_chaired_groups_count_every_pending_request_of_the_group():
    group = working_group("capacity-building")
    chair = chair_of(group)
    for _ in range(3):
        MembershipFactory(working_group=group, status=REQUESTED)
    MembershipFactory(working_group=group)  # already a member
    MembershipFactory(working_group=working_group("supportive-policy"), status=REQUESTED)

    [chaired] = chaired_groups_with_requests(chair)

    assert chaired == group
    assert chaired.pending == 3


def test_chaired_groups_count_zero_when_nothing_waits():
    chair = chair_of(working_group("supportive-policy"))
    [chaired] = chaired_groups_with_requests(chair)
    assert chaired.pending == 0


def test_chaired_groups_leave_out_groups_the_user_only_belongs_to():
    user = UserFactory()
    MembershipFactory(working_group=working_group(), person=PersonFactory(user=user))
    assert list(chaired_groups_with_requests(user)) == []


def test_chaired_groups_leave_out_a_chair_not_yet_active():
    user = UserFactory()
    MembershipFactory(
        working_group=working_group(),
        person=PersonFactory(user=user),
        role=WorkingGroupMembership.Role.CHAIR,
        status=REQUESTED,
    )
    assert list(chaired_groups_with_requests(user)) == []


def test_member_hub_lists_affiliations_memberships_and_no_secretariat_queue():
    user = UserFactory()
    person = PersonFactory(user=user)
    organization = OrganizationFactory(name="Open Learning Lab")
    AffiliationFactory(person=person, organization=organization)
    MembershipFactory(person=person, working_group=working_group())

    hub = member_hub(user)

    assert hub.person == person
    assert [a.organization for a in hub.affiliations] == [organization]
    assert [m.working_group for m in hub.memberships] == [working_group()]
    assert hub.pending_applications is None


def test_member_hub_gives_the_secretariat_its_pending_applications():
    from tests.factories.members import ApplicationFactory

    ApplicationFactory.create_batch(2)
    hub = member_hub(SecretariatFactory())
    assert hub.pending_applications == 2
    assert hub.person is None
