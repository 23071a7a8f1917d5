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


# --- What the secretariat records directly (founding members, people, roles) -------------


def test_add_organization_records_a_member_as_the_secretariat_gives_it():
    organization = services.add_organization(
        by=SecretariatFactory(),
        name_en="Open University of Tanzania",
        stakeholder_type="university",
        country="TZ",
        status=Organization.Status.MEMBER,
    )
    assert organization.slug == "open-university-of-tanzania"
    assert organization.region == "africa"
    assert organization.status == Organization.Status.MEMBER


def test_add_organization_is_refused_to_anyone_but_the_secretariat():
    with pytest.raises(PermissionDenied):
        services.add_organization(
            by=UserFactory(), name_en="X", stakeholder_type="university", country="TZ"
        )


def test_add_organization_refuses_an_unknown_country():
    with pytest.raises(ValidationError):
        services.add_organization(
            by=SecretariatFactory(), name_en="X", stakeholder_type="university", country="QQ"
        )


def test_add_person_is_refused_to_a_member():
    with pytest.raises(PermissionDenied):
        services.add_person(by=UserFactory(), name="Neil Butcher", country="ZA")


def test_affiliate_as_focal_point_takes_over_from_the_previous_one():
    secretariat = SecretariatFactory()
    organization = ApplicationFactory().organization
    first, second = PersonFactory(), PersonFactory()
    services.affiliate(first, organization, by=secretariat, is_focal_point=True)
    services.affiliate(
        second, organization, by=secretariat, role_title="Director", is_focal_point=True
    )
    focal = Affiliation.objects.filter(organization=organization, is_focal_point=True)
    assert list(focal.values_list("person", flat=True)) == [second.pk]
    assert Affiliation.objects.get(person=first, organization=organization).role_title == ""


def test_add_group_member_by_a_chair_records_an_active_decided_membership():
    group = working_group()
    chair = chair_of(group)
    person = PersonFactory()
    membership = services.add_group_member(group, person, by=chair)
    assert membership.status == WorkingGroupMembership.Status.ACTIVE
    assert membership.decided_by == chair and membership.decided_at is not None
    with pytest.raises(ValidationError):
        services.add_group_member(group, person, by=chair)


def test_add_group_member_is_refused_to_the_chair_of_another_group():
    chair = chair_of(working_group("supportive-policy"))
    with pytest.raises(PermissionDenied):
        services.add_group_member(working_group(), PersonFactory(), by=chair)


def test_add_group_member_can_record_a_request_still_to_decide():
    membership = services.add_group_member(
        working_group(),
        PersonFactory(),
        by=SecretariatFactory(),
        status=WorkingGroupMembership.Status.REQUESTED,
        message="Received by e-mail",
    )
    assert membership.decided_at is None and membership.decided_by is None
