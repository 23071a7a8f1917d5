import pytest

from coalition.consultations.demo import load_demo_consultations
from coalition.consultations.models import Comment, Consultation, Report, Response, Session

pytestmark = pytest.mark.django_db


def test_demo_consultation_loads_once_with_sessions_responses_and_a_published_report():
    summary = load_demo_consultations()
    assert summary.created and summary.responses == 300
    consultation = Consultation.objects.get()
    assert Session.objects.filter(consultation=consultation).count() == 6
    assert Session.objects.filter(working_group__isnull=True).count() == 2
    assert Response.objects.filter(status="submitted").count() == 300
    assert Response.objects.exclude(region="").values("region").distinct().count() >= 4
    assert Comment.objects.values("working_group").distinct().count() >= 3
    report = Report.objects.get(state="published")
    assert report.author_name == "Neil Butcher"
    assert report.priorities_ar and report.quotes.exists()
    again = load_demo_consultations()
    assert not again.created
    assert Response.objects.count() == 300
