"""Factories for the whole suite: each builds a valid object with the fewest arguments."""

import factory
from django.utils import timezone

from coalition.members.models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    StakeholderType,
    User,
    WorkingGroup,
    WorkingGroupMembership,
)

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    is_active = True

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Accounts are made with a verified e-mail, as allauth requires to sign in."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class SecretariatFactory(UserFactory):
    is_secretariat = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Open Learning Institute {n}")
    name_en = factory.SelfAttribute("name")
    stakeholder_type = StakeholderType.UNIVERSITY
    country = "FR"
    status = Organization.Status.MEMBER
    joined_on = factory.LazyFunction(timezone.localdate)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    country = "MG"
    public_profile = True


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role_title = "Open education officer"


def focal_point_of(organization, **user_kwargs):
    """An account that is the focal point of `organization`."""
    user = UserFactory(**user_kwargs)
    person = PersonFactory(user=user)
    AffiliationFactory(person=person, organization=organization, is_focal_point=True)
    return user


def working_group(slug="capacity-building"):
    return WorkingGroup.objects.get(slug=slug)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMembership

    working_group = factory.LazyFunction(working_group)
    person = factory.SubFactory(PersonFactory)
    role = WorkingGroupMembership.Role.MEMBER
    status = WorkingGroupMembership.Status.ACTIVE


def chair_of(group, **user_kwargs):
    user = UserFactory(**user_kwargs)
    MembershipFactory(
        working_group=group, person=PersonFactory(user=user), role=WorkingGroupMembership.Role.CHAIR
    )
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    organization = factory.SubFactory(
        OrganizationFactory, status=Organization.Status.APPLIED, joined_on=None
    )
    applicant_name = "Nivo Ralamboranto"
    applicant_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    applicant_role_title = "Chief of Service"
    privacy_consent_at = factory.LazyFunction(timezone.now)
