"""The role matrix of national reporting: secretariat, the country's focal point, a
co-editor, another country's focal point, a member, the public."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalition.monitoring.services import synthesis as synthesis_services
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cycle = factories.open_cycle()
    focal = factories.focal_point("MG")
    co_editor = factories.co_editor("MG", by=focal)
    other = factories.focal_point("KE")
    draft = factories.reports.start_report(cycle, "MG", user=focal)
    published = factories.accepted_report(cycle, "SN", public=True)
    private = factories.accepted_report(cycle, "TN")
    synthesis = synthesis_services.synthesis_for(cycle)
    return {
        "cycle": cycle,
        "draft": draft,
        "published": published,
        "private": private,
        "synthesis": synthesis,
        "users": {
            "public": AnonymousUser(),
            "member": UserFactory(),
            "other_focal_point": other,
            "co_editor": co_editor,
            "focal_point": focal,
            "secretariat": SecretariatFactory(),
        },
    }


MATRIX = [
    ("monitoring.manage", None, {"secretariat"}),
    ("monitoring.view_report", "draft", {"focal_point", "co_editor", "secretariat"}),
    ("monitoring.edit_report", "draft", {"focal_point", "co_editor"}),
    ("monitoring.comment_report", "draft", {"focal_point", "co_editor", "secretariat"}),
    ("monitoring.submit_report", "draft", {"focal_point"}),
    ("monitoring.publish_report", "draft", {"focal_point"}),
    ("monitoring.review_report", "draft", {"secretariat"}),
    (
        "monitoring.view_report",
        "published",
        {"public", "member", "other_focal_point", "co_editor", "focal_point", "secretariat"},
    ),
    ("monitoring.view_report", "private", {"secretariat"}),
    ("monitoring.edit_report", "private", set()),
    ("monitoring.invite_co_editor", "MG", {"focal_point", "secretariat"}),
    ("monitoring.start_report", "MG", {"focal_point", "co_editor"}),
    ("monitoring.view_synthesis", "synthesis", {"secretariat"}),
    ("monitoring.edit_synthesis", "synthesis", {"secretariat"}),
]


@pytest.mark.parametrize(("perm", "key", "allowed"), MATRIX)
def test_role_matrix_allows_exactly_the_listed_roles(world, perm, key, allowed):
    target = world.get(key, key) if key else None
    granted = {role for role, user in world["users"].items() if user.has_perm(perm, target)}
    assert granted == allowed


def test_published_synthesis_is_visible_to_everyone(world):
    synthesis_services.publish_synthesis(world["synthesis"])
    assert AnonymousUser().has_perm("monitoring.view_synthesis", world["synthesis"])


def test_submitted_report_cannot_be_edited_even_by_its_focal_point(world):
    report, _version = factories.submitted_report(
        world["cycle"], "KE", world["users"]["other_focal_point"]
    )
    assert not world["users"]["other_focal_point"].has_perm("monitoring.edit_report", report)
    assert world["users"]["other_focal_point"].has_perm("monitoring.view_report", report)
