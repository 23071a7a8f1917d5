"""My Hub shows a focal point their country's reports and the secretariat its queue."""

import pytest
from django.urls import reverse

from coalition.monitoring.services import reports
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory, UserFactory
from tests.support.clients import signed_in

pytestmark = pytest.mark.django_db


def test_my_hub_lists_the_focal_points_reports(client):
    cycle = factories.open_cycle()
    focal = factories.focal_point("MG")
    report = reports.start_report(cycle, "MG", user=focal)
    body = signed_in(client, focal).get(reverse("site:my-hub")).content.decode()
    assert "National focal point" in body
    assert reverse("monitoring:report-edit", kwargs={"pk": report.pk}) in body
    assert reverse("monitoring:team", kwargs={"country": "MG"}) in body


def test_my_hub_counts_reports_to_review_for_the_secretariat(client):
    factories.submitted_report(factories.open_cycle(), "KE")
    body = signed_in(client, SecretariatFactory()).get(reverse("site:my-hub")).content.decode()
    assert "1 national report to review" in body


def test_my_hub_of_a_member_has_no_reporting_panel(client):
    body = signed_in(client, UserFactory()).get(reverse("site:my-hub")).content.decode()
    assert reverse("monitoring:review-queue") not in body
