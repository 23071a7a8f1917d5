"""Unique slugs: slugified, cut, clear of reserved page words, counted up when taken."""

import pytest

from coalition.core.slugs import unique_slug
from coalition.members.models import Organization
from tests.factories.members import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_unique_slug_counts_up_when_taken():
    OrganizationFactory(slug="oer-africa")
    assert unique_slug(Organization, "OER Africa") == "oer-africa-2"


def test_unique_slug_steps_around_reserved_words():
    assert unique_slug(Organization, "Apply", reserved={"apply"}) == "apply-2"


def test_unique_slug_is_cut_without_a_trailing_dash_and_falls_back():
    assert unique_slug(Organization, "open " * 30, max_length=12) == "open-open-op"
    assert unique_slug(Organization, "开放", fallback="organization") == "organization"
