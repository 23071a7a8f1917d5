"""Prefill proposes exactly the country's approved items, area by area."""

import pytest

from coalition.monitoring.models import Evidence
from coalition.monitoring.selectors.prefill import proposal_by_ref, proposals
from coalition.monitoring.services import reports
from tests.factories import monitoring as factories
from tests.factories.activities import published_activity, submitted_activity
from tests.factories.members import OrganizationFactory, working_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    cycle = factories.open_cycle()
    focal = factories.focal_point("MG")
    report = reports.start_report(cycle, "MG", user=focal)
    malagasy = OrganizationFactory(country="MG", name="Université d'Antananarivo")
    french = OrganizationFactory(country="FR")
    policy = published_activity(malagasy, title_en="National OER policy workshop", action_areas=[2])
    capacity = published_activity(malagasy, title_en="Teacher training on OER", action_areas=[1, 2])
    published_activity(french, title_en="French policy day", action_areas=[2])  # another country
    submitted_activity(malagasy, title_en="Not approved yet", action_areas=[2])  # not approved
    working_group("supportive-policy").organizations.add(malagasy)
    return {
        "cycle": cycle,
        "focal": focal,
        "report": report,
        "policy": policy,
        "capacity": capacity,
        "malagasy": malagasy,
    }


def test_proposals_are_the_countrys_approved_items_of_the_area(setting):
    question = factories.question(setting["cycle"], "action-area-2-evidence")
    found = proposals(setting["report"], question)
    refs = {p.ref for p in found}
    group = working_group("supportive-policy")
    assert refs == {
        f"activity:{setting['policy'].pk}",
        f"activity:{setting['capacity'].pk}",
        f"working-group:{group.pk}:{setting['malagasy'].pk}",
    }


def test_other_areas_get_only_their_own_items(setting):
    question = factories.question(setting["cycle"], "action-area-1-evidence")
    assert {p.ref for p in proposals(setting["report"], question)} == {
        f"activity:{setting['capacity'].pk}"
    }
    assert (
        proposals(setting["report"], factories.question(setting["cycle"], "action-area-4-evidence"))
        == []
    )


def test_kept_and_dropped_proposals_are_not_proposed_again(setting):
    report, focal = setting["report"], setting["focal"]
    question = factories.question(setting["cycle"], "action-area-2-evidence")
    keep = proposal_by_ref(report, question, f"activity:{setting['policy'].pk}")
    drop = proposal_by_ref(report, question, f"activity:{setting['capacity'].pk}")
    kept = reports.decide_proposal(
        report, question, keep, user=focal, keep=True, title="Our workshop"
    )
    reports.decide_proposal(report, question, drop, user=focal, keep=False)
    assert kept.status == Evidence.Status.KEPT and kept.title == "Our workshop"
    assert kept.url == setting["policy"].get_absolute_url()
    remaining = {p.ref for p in proposals(report, question)}
    assert remaining == {
        f"working-group:{working_group('supportive-policy').pk}:{setting['malagasy'].pk}"
    }
    reports.remove_evidence(kept)
    assert Evidence.objects.get(pk=kept.pk).status == Evidence.Status.DROPPED
    assert f"activity:{setting['policy'].pk}" not in {p.ref for p in proposals(report, question)}
