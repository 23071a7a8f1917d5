"""Who is asking, for the role matrices of the API and page tests.

Each helper builds a user (None: an anonymous visitor) in one role relative to the
object a test is about: an organization for focal points, a working group for chairs.
Parametrize a test over them and give the answer each role must get.
"""

from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    focal_point_of,
    working_group,
)


def anonymous(obj):
    return None


def member(obj):
    """A signed-in member with no role (no organization, no group office)."""
    return UserFactory()


def focal_point_of_another_organization(obj):
    return focal_point_of(OrganizationFactory())


def own_focal_point(organization):
    return focal_point_of(organization)


def secretariat(obj):
    return SecretariatFactory()


def chair_of_another_group(obj):
    return chair_of(working_group("supportive-policy"))


def chair_of_the_group(group):
    return chair_of(group)
