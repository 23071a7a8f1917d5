import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.members import services
from coalition.members.models import (
    Affiliation,
    MembershipApplication,
    Organization,
    WorkingGroupMembership,
)
from tests.factories.members import (
    ApplicationFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    working_group,
)

pytestmark = pytest.mark.django_db


def apply(**overrides):
    data = {
        "organization_data": {
            "name": "Ministère de l'Éducation nationale",
            "name_en": "Ministry of National Education",
            "stakeholder_type": "member-state",
            "country": "MG",
        },
        "applicant_name": "Nivo Ralamboranto",
        "applicant_email": "nivo@example.org",
        "applicant_role_title": "Chief of Service of Technological Innovations",
        "language": "fr",
    }
    data.update(overrides)
    return services.apply_to_join(**data)


def test_apply_to_join_records_pending_application_and_emails_both_sides(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply()
    assert application.status == MembershipApplication.Status.PENDING
    assert application.organization.status == Organization.Status.APPLIED
    assert application.organization.region == "africa"
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["nivo@example.org", "secretariat@localhost"]
    applicant_mail = next(m for m in mail.outbox if m.to == ["nivo@example.org"])
    assert "Merci" in applicant_mail.body or "Thank you" in applicant_mail.body


def test_apply_to_join_with_unknown_country_saves_nothing():
    with pytest.raises(ValidationError):
        apply(organization_data={"name": "X", "stakeholder_type": "library", "country": "XX"})
    assert not Organization.objects.exists()
    assert not MembershipApplication.objects.exists()


def test_approve_application_makes_member_and_applicant_focal_point(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(application, by=SecretariatFactory())
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.organization.status == "member"
    assert application.organization.joined_on is not None
    focal = Affiliation.objects.get(organization=application.organization)
    assert focal.is_focal_point and focal.person.email == application.applicant_email
    assert mail.outbox[-1].to == [application.applicant_email]


def test_decline_application_requires_a_reason_and_tells_it(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    secretariat = SecretariatFactory()
    with pytest.raises(ValidationError):
        services.decline_application(application, by=secretariat, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_application(application, by=secretariat, reason="Not working on OER.")
    application.refresh_from_db()
    assert application.status == "declined"
    assert application.organization.status == "inactive"
    assert "Not working on OER." in mail.outbox[-1].body


def test_application_cannot_be_decided_twice():
    application = ApplicationFactory()
    secretariat = SecretariatFactory()
    services.approve_application(application, by=secretariat)
    with pytest.raises(ValidationError):
        services.decline_application(application, by=secretariat, reason="Changed my mind")


def test_only_secretariat_decides_applications():
    with pytest.raises(PermissionDenied):
        services.approve_application(ApplicationFactory(), by=UserFactory())


def test_group_membership_request_then_chair_accepts(django_capture_on_commit_callbacks):
    group = working_group("supportive-policy")
    chair = chair_of(group)
    applicant = UserFactory()
    PersonFactory(user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.request_group_membership(group, user=applicant, message="Hello")
    assert membership.status == WorkingGroupMembership.Status.REQUESTED
    assert mail.outbox[-1].to == [chair.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_group_membership(membership, by=chair)
    membership.refresh_from_db()
    assert membership.status == WorkingGroupMembership.Status.ACTIVE
    assert mail.outbox[-1].to == [applicant.email]


def test_chair_of_another_group_cannot_decide():
    other_chair = chair_of(working_group("sustainability-models"))
    membership = MembershipFactory(
        working_group=working_group("supportive-policy"),
        status=WorkingGroupMembership.Status.REQUESTED,
    )
    with pytest.raises(PermissionDenied):
        services.accept_group_membership(membership, by=other_chair)


def test_asking_twice_to_join_a_group_is_refused():
    user = UserFactory()
    PersonFactory(user=user)
    group = working_group()
    services.request_group_membership(group, user=user)
    with pytest.raises(ValidationError):
        services.request_group_membership(group, user=user)
