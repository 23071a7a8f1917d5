"""Who may do what in the catalogue: the role matrix of catalogue/rules.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalition.catalogue.models import Source
from coalition.members.models import Organization
from tests.factories.catalogue import make_record
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    member = OrganizationFactory()
    other = OrganizationFactory()
    affiliated = UserFactory()
    AffiliationFactory(person=PersonFactory(user=affiliated), organization=member)
    manual = Source.objects.create(organization=member, name="Own", slug="own", kind="manual")
    harvested = Source.objects.create(organization=member, name="Repo", slug="repo",
                                      base_url="http://example.org/oai")  # fmt: skip
    pending = Source.objects.create(
        organization=member, name="New", slug="new", base_url="http://example.org/oai2",
        status="pending",
    )  # fmt: skip
    return {
        "member": member,
        "users": {
            "anonymous": AnonymousUser(),
            "signed in": UserFactory(),
            "affiliated": affiliated,
            "focal point": focal_point_of(member),
            "other focal point": focal_point_of(other),
            "secretariat": SecretariatFactory(),
        },
        "manual record": make_record(manual, "m1", title="Own record"),
        "harvested record": make_record(harvested, "h1", title="Harvested record"),
        "pending": pending,
    }


MATRIX = {
    # permission, object: roles allowed
    ("catalogue.act_for_organization", "member"): {"focal point", "secretariat"},
    ("catalogue.moderate", None): {"secretariat"},
    ("catalogue.view_source", "pending"): {"focal point", "secretariat"},
    ("catalogue.change_source", "pending"): {"focal point", "secretariat"},
    ("catalogue.view_reports", "pending"): {"focal point", "secretariat"},
    ("catalogue.change_record", "manual record"): {"focal point", "secretariat"},
    ("catalogue.change_record", "harvested record"): set(),  # edited at its source
}


@pytest.mark.parametrize("permission, target", list(MATRIX))
def test_role_matrix(world, permission, target):
    obj = world[target] if target else None
    allowed = {name for name, user in world["users"].items() if user.has_perm(permission, obj)}
    assert allowed == MATRIX[(permission, target)]


def test_a_focal_point_of_an_applicant_cannot_act_for_it(world):
    applicant = OrganizationFactory(status=Organization.Status.APPLIED)
    user = focal_point_of(applicant)
    assert not user.has_perm("catalogue.act_for_organization", applicant)


def test_everyone_sees_an_approved_source(world):
    approved = Source.objects.get(slug="repo")
    assert all(u.has_perm("catalogue.view_source", approved) for u in world["users"].values())
