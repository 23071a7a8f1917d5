import pytest
from django.urls import reverse

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


def test_demo_sessions_are_events_of_their_working_group_with_a_calendar(client):
    """Sessions are ordinary events: in their group's lists and feeds (which carry recent and
    coming events only, so the 2020 sessions are checked through their own calendar)."""
    load_demo_consultations()
    session = Session.objects.select_related("event", "working_group").get(
        working_group__slug="supportive-policy"
    )
    assert list(session.event.working_groups.all()) == [session.working_group]
    url = reverse("activities:event-calendar", kwargs={"slug": session.event.slug})
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Session 4: Working Group 2" in body
    assert b"TZID=Europe/Paris" in body
