"""activities/rules.py: the role matrix, every permission against every kind of person.

Organizer rights (edit, cancel, materials, participants' addresses, hiding posts) belong
to the focal points of the activity's member organizations, the people named as its
organizers, and the secretariat; a person merely affiliated with the organization, a
focal point of an organization that is not (or no longer) a member, a focal point of
another organization, a participant and a visitor have none of them.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.activities.services import organizers
from coalition.members.models import Organization
from tests.factories.activities import RegistrationFactory, published_activity
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db

ORGANIZER_PERMISSIONS = [
    "activities.change_activity",
    "activities.manage_event",
    "activities.hide_post",
]
PERMISSIONS = [
    *ORGANIZER_PERMISSIONS,
    "activities.view_access_link",
    "activities.name_organizers",
    "activities.moderate",
]


def affiliated_with(organization, *, focal_point=False):
    user = UserFactory()
    AffiliationFactory(
        person=PersonFactory(user=user), organization=organization, is_focal_point=focal_point
    )
    return user


def make_roles(activity, organization):
    lapsed = OrganizationFactory(status=Organization.Status.INACTIVE)
    activity.organizations.add(lapsed)
    participant = UserFactory()
    RegistrationFactory(activity=activity, user=participant, email=participant.email)
    named = affiliated_with(organization)
    activity.organizers.add(named)
    return {
        "visitor": AnonymousUser(),
        "signed-in": UserFactory(),
        "participant": participant,
        "affiliated": affiliated_with(organization),
        "focal point": focal_point_of(organization),
        "focal point of a lapsed co-organizer": affiliated_with(lapsed, focal_point=True),
        "focal point elsewhere": focal_point_of(OrganizationFactory()),
        "named organizer": named,
        "secretariat": SecretariatFactory(),
    }


# role → the permissions it has (all others it has not)
EXPECTED = {
    "visitor": set(),
    "signed-in": set(),
    "participant": {"activities.view_access_link"},
    "affiliated": set(),
    "focal point": {
        *ORGANIZER_PERMISSIONS,
        "activities.view_access_link",
        "activities.name_organizers",
    },
    "focal point of a lapsed co-organizer": set(),
    "focal point elsewhere": set(),
    "named organizer": {*ORGANIZER_PERMISSIONS, "activities.view_access_link"},
    "secretariat": set(PERMISSIONS),
}


@pytest.fixture
def event_and_roles():
    organization = OrganizationFactory()
    activity = published_activity(organization)
    # The submitter (a focal point here) is named at submission; start from a clean list.
    activity.organizers.clear()
    return activity, make_roles(activity, organization)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_matrix_every_cell(event_and_roles, role):
    activity, roles = event_and_roles
    user = roles[role]
    granted = {permission for permission in PERMISSIONS if user.has_perm(permission, activity)}
    assert granted == EXPECTED[role], role


def test_submitter_is_named_organizer_of_what_they_submit():
    organization = OrganizationFactory()
    submitter = affiliated_with(organization)
    from coalition.activities.services import moderation
    from tests.factories.activities import activity_data

    activity = moderation.submit_activity(
        user=submitter, organization=organization, data=activity_data()
    )
    assert list(activity.organizers.all()) == [submitter]
    assert submitter.has_perm("activities.manage_event", activity)


def test_focal_point_names_an_affiliated_person_organizer(event_and_roles):
    activity, roles = event_and_roles
    colleague = roles["affiliated"]
    assert not colleague.has_perm("activities.manage_event", activity)

    organizers.name_organizer(activity, by=roles["focal point"], email=colleague.email.upper())

    assert colleague.has_perm("activities.manage_event", activity)


def test_naming_someone_outside_the_organizations_answers_as_for_no_account(event_and_roles):
    activity, roles = event_and_roles
    stranger = UserFactory()
    errors = []
    for email in (stranger.email, "nobody@example.org"):
        with pytest.raises(ValidationError) as raised:
            organizers.name_organizer(activity, by=roles["focal point"], email=email)
        errors.append(raised.value.message_dict)
    assert errors[0] == errors[1]
    assert not activity.organizers.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("role", ["named organizer", "affiliated", "participant"])
def test_only_focal_points_and_the_secretariat_name_organizers(event_and_roles, role):
    activity, roles = event_and_roles
    with pytest.raises(PermissionDenied):
        organizers.name_organizer(activity, by=roles[role], email=roles["affiliated"].email)


def test_removed_organizer_loses_the_rights(event_and_roles):
    activity, roles = event_and_roles
    named = roles["named organizer"]
    organizers.remove_organizer(activity, by=roles["secretariat"], user=named)
    assert not named.has_perm("activities.manage_event", activity)


def test_affiliated_person_cannot_download_participants(client, event_and_roles):
    activity, roles = event_and_roles
    url = f"/en/activities/{activity.slug}/participants.csv"
    for role, status in [("affiliated", 403), ("named organizer", 200), ("focal point", 200)]:
        client.force_login(roles[role])
        assert client.get(url).status_code == status, role
