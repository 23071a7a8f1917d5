"""The monitoring demo: 78 reports across the five regions in every state, a published
synthesis, the next cycle open with Madagascar's report started from its previous one."""

import pytest
from django.db.models import Count

from coalition.monitoring.demo import load_demo_monitoring
from coalition.monitoring.models import Report, ReportingCycle

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_and_again_changes_nothing():
    summary = load_demo_monitoring(build_pdfs=False)
    first = ReportingCycle.objects.get(slug="2019-2023")
    reports = Report.objects.filter(cycle=first)
    assert reports.count() == 78
    assert set(reports.values_list("region", flat=True)) == {
        "africa",
        "arab-states",
        "asia-pacific",
        "europe-north-america",
        "latin-america-caribbean",
    }
    states = dict(reports.values_list("status").annotate(n=Count("id")))
    assert states == {"draft": 6, "submitted": 6, "clarification": 4, "accepted": 62}
    assert first.status == ReportingCycle.Status.SYNTHESIZED
    assert first.synthesis.is_published and first.synthesis.excerpts.exists()
    following = ReportingCycle.objects.get(slug="2023-2027")
    madagascar = Report.objects.get(cycle=following, country="MG")
    assert madagascar.started_from == reports.get(country="MG")
    assert madagascar.answers.exists()
    assert summary.reports == 79

    again = load_demo_monitoring(build_pdfs=False)
    assert (again.cycles, again.reports, again.answers) == (0, 0, 0)
    assert Report.objects.count() == 79
