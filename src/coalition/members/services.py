"""Every write with side effects in the members domain.

Each function is one transaction; e-mails are queued as background tasks only when
the transaction commits, so a rolled-back decision never e-mails anyone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit
from coalition.core.translated import localized_column
from coalition.recommendation.action_areas import ACTION_AREA_SHORT_TITLES
from coalition.recommendation.models import ActionArea

from .models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    WorkingGroup,
    WorkingGroupMembership,
)

WORKING_GROUP_SLUGS = {
    1: "capacity-building",
    2: "supportive-policy",
    3: "inclusive-equitable-quality-oer",
    4: "sustainability-models",
    5: "international-cooperation",
}


@transaction.atomic
def sync_working_groups():
    """Make sure the five groups exist, one per action area. Never overwrites edits."""
    for number, slug in WORKING_GROUP_SLUGS.items():
        area = ActionArea.objects.filter(number=number).first()
        if area is None:
            continue
        names = {
            localized_column("name", lang): title
            for lang, title in ACTION_AREA_SHORT_TITLES[number].items()
        }
        WorkingGroup.objects.get_or_create(
            slug=slug, defaults={"action_area": area, "name": names["name_en"], **names}
        )


@transaction.atomic
def apply_to_join(
    *,
    organization_data,
    applicant_name,
    applicant_email,
    applicant_role_title,
    motivation="",
    language="en",
    applicant=None,
):
    """Record an organization's application; the secretariat decides later."""
    organization = Organization(status=Organization.Status.APPLIED, **organization_data)
    organization.full_clean(exclude=["slug"])
    organization.save()
    application = MembershipApplication.objects.create(
        organization=organization,
        applicant=applicant if applicant and applicant.is_authenticated else None,
        applicant_name=applicant_name,
        applicant_email=applicant_email,
        applicant_role_title=applicant_role_title,
        motivation=motivation,
        language=language,
        privacy_consent_at=timezone.now(),
    )
    enqueue_on_commit("coalition.members.tasks.send_application_received", application.pk)
    return application


def _check_pending(application):
    if application.status != MembershipApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))


@transaction.atomic
def approve_application(application, *, by):
    if not by.has_perm("members.moderate_applications"):
        raise PermissionDenied
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    _check_pending(application)
    organization = application.organization
    organization.status = Organization.Status.MEMBER
    organization.joined_on = timezone.localdate()
    organization.save(update_fields=["status", "joined_on", "region", "updated_at"])
    person = _person_for_applicant(application)
    Affiliation.objects.update_or_create(
        person=person,
        organization=organization,
        defaults={"is_focal_point": True, "role_title": application.applicant_role_title},
    )
    application.status = MembershipApplication.Status.APPROVED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    enqueue_on_commit("coalition.members.tasks.send_application_decision", application.pk)
    return application


def _person_for_applicant(application):
    """The applicant becomes the organization's focal point, linked to their account if any."""
    user = application.applicant
    if user is not None:
        person = Person.objects.filter(user=user).first()
        if person:
            return person
    person = Person.objects.filter(
        user__isnull=True, email__iexact=application.applicant_email
    ).first()
    if person is None:
        person = Person.objects.create(
            name=application.applicant_name,
            email=application.applicant_email,
            country=application.organization.country,
            user=user,
        )
    elif user is not None:
        person.user = user
        person.save(update_fields=["user"])
    return person


@transaction.atomic
def decline_application(application, *, by, reason):
    if not by.has_perm("members.moderate_applications"):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the applicant a reason.")})
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    _check_pending(application)
    application.status = MembershipApplication.Status.DECLINED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    organization = application.organization
    organization.status = Organization.Status.INACTIVE
    organization.save(update_fields=["status", "region", "updated_at"])
    enqueue_on_commit("coalition.members.tasks.send_application_decision", application.pk)
    return application


@transaction.atomic
def update_organization(organization, *, by, **changes):
    if not by.has_perm("members.change_organization", organization):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def add_organization(*, by, **fields):
    """The secretariat records an organization that did not apply through the form (a
    founding member, one that joined by letter, one that has left)."""
    if not by.has_perm("members.add_organization"):
        raise PermissionDenied
    organization = Organization(**fields)
    organization.full_clean(exclude=["slug"])
    organization.save()
    return organization


@transaction.atomic
def add_person(*, by, **fields):
    """The secretariat records a person working with a member organization."""
    if not by.has_perm("members.add_person"):
        raise PermissionDenied
    person = Person(**fields)
    person.full_clean(exclude=["slug", "user"])
    person.save()
    return person


@transaction.atomic
def affiliate(person, organization, *, by, role_title="", is_focal_point=False):
    """A person's role at an organization. A focal point takes over from the previous one:
    an organization has one."""
    if not by.has_perm("members.change_organization", organization):
        raise PermissionDenied
    if is_focal_point:
        Affiliation.objects.filter(organization=organization, is_focal_point=True).exclude(
            person=person
        ).update(is_focal_point=False)
    affiliation, _created = Affiliation.objects.update_or_create(
        person=person,
        organization=organization,
        defaults={"role_title": role_title, "is_focal_point": is_focal_point},
    )
    return affiliation


@transaction.atomic
def add_group_member(
    working_group,
    person,
    *,
    by,
    role=WorkingGroupMembership.Role.MEMBER,
    status=WorkingGroupMembership.Status.ACTIVE,
    message="",
):
    """The secretariat or a chair records a membership agreed outside the Hub (at a
    meeting, by e-mail), or a request received that way, still to decide."""
    if not by.has_perm("members.manage_working_group", working_group):
        raise PermissionDenied
    decided = status != WorkingGroupMembership.Status.REQUESTED
    membership, created = WorkingGroupMembership.objects.get_or_create(
        working_group=working_group,
        person=person,
        defaults={
            "role": role,
            "status": status,
            "message": message,
            "decided_at": timezone.now() if decided else None,
            "decided_by": by if decided else None,
        },
    )
    if not created:
        raise ValidationError(_("This person is already in this working group."))
    return membership


@transaction.atomic
def add_group_organizations(working_group, organizations, *, by):
    """Organizations taking part in a working group (through their people or as such)."""
    if not by.has_perm("members.manage_working_group", working_group):
        raise PermissionDenied
    working_group.organizations.add(*organizations)


@transaction.atomic
def update_working_group(working_group, *, by, **changes):
    if not by.has_perm("members.manage_working_group", working_group):
        raise PermissionDenied
    for field, value in changes.items():
        setattr(working_group, field, value)
    working_group.full_clean()
    working_group.save(update_fields=list(changes))
    return working_group


@transaction.atomic
def person_for_user(user):
    """The person record of an account, created on first use from the account's e-mail."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(user=user, name=user.email.split("@")[0], email=user.email)
    return person


@transaction.atomic
def request_group_membership(working_group, *, user, message=""):
    if not user.has_perm("members.request_group_membership"):
        raise PermissionDenied
    person = user.person
    membership, created = WorkingGroupMembership.objects.get_or_create(
        working_group=working_group,
        person=person,
        defaults={"message": message, "status": WorkingGroupMembership.Status.REQUESTED},
    )
    if not created:
        if membership.status == WorkingGroupMembership.Status.DECLINED:
            membership.status = WorkingGroupMembership.Status.REQUESTED
            membership.message = message
            membership.requested_at = timezone.now()
            membership.decided_at = None
            membership.decided_by = None
            membership.save()
        else:
            raise ValidationError(_("You have already asked to join this working group."))
    enqueue_on_commit("coalition.members.tasks.send_group_membership_requested", membership.pk)
    return membership


def _decide_group_membership(membership, *, by, status):
    if not by.has_perm("members.decide_group_membership", membership):
        raise PermissionDenied
    membership = WorkingGroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != WorkingGroupMembership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    membership.status = status
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    enqueue_on_commit("coalition.members.tasks.send_group_membership_decision", membership.pk)
    return membership


@transaction.atomic
def accept_group_membership(membership, *, by):
    return _decide_group_membership(membership, by=by, status=WorkingGroupMembership.Status.ACTIVE)


@transaction.atomic
def decline_group_membership(membership, *, by):
    return _decide_group_membership(
        membership, by=by, status=WorkingGroupMembership.Status.DECLINED
    )
