from datetime import UTC, datetime

import pytest
from django.urls import reverse

from coalition.consultations.models import Survey
from coalition.consultations.services import surveys as services
from tests.factories.consultations import (
    ConsultationFactory,
    answers,
    member_user,
    role_in,
    sample_survey,
)
from tests.factories.members import SecretariatFactory, working_group

pytestmark = pytest.mark.django_db


def test_consultation_page_shows_the_open_survey_in_both_clocks_in_arabic(client):
    consultation = ConsultationFactory(title_ar="المشاورات العامة")
    survey = sample_survey(consultation=consultation, title_ar="الاستبيان")
    page = client.get(consultation.get_absolute_url().replace("/en/", "/ar/")).content.decode()
    assert 'dir="rtl"' in page
    assert "المشاورات العامة" in page and "الاستبيان" in page
    assert 'class="organizer-clock"' in page and 'class="reader-clock"' in page
    assert survey.get_absolute_url().replace("/en/", "/ar/") in page


def test_unpublished_consultation_is_hidden_from_the_public(client):
    consultation = ConsultationFactory(is_published=False)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    client.force_login(SecretariatFactory())
    assert client.get(consultation.get_absolute_url()).status_code == 200


def test_secretariat_copies_a_survey_with_a_window_in_its_zone(client):
    survey = sample_survey()
    client.force_login(SecretariatFactory(is_staff=True))
    url = reverse("consultations:survey-copy", kwargs={"slug": survey.slug})
    response = client.post(
        url,
        {
            "title": "Online survey 2021",
            "opens_at": "2021-07-10T00:00",
            "closes_at": "2021-07-21T00:00",
            "time_zone": "Europe/Paris",
        },
    )
    copy = Survey.objects.get(copied_from=survey)
    assert response.status_code == 302
    assert copy.opens_at == datetime(2021, 7, 9, 22, 0, tzinfo=UTC)
    assert copy.questions.count() == 8 and not copy.is_published


def test_members_cannot_copy_surveys(client):
    survey = sample_survey()
    client.force_login(member_user())
    assert (
        client.get(reverse("consultations:survey-copy", kwargs={"slug": survey.slug})).status_code
        == 403
    )


def test_my_hub_lists_open_surveys_and_my_state(client):
    survey = sample_survey()
    user = member_user()
    services.save_response(survey, values=answers(survey, Q1="no"), user=user)
    client.force_login(user)
    page = client.get(reverse("site:my-hub")).content.decode()
    assert survey.get_absolute_url() in page
    assert "your answers are saved, not yet submitted" in page


def test_my_hub_of_a_rapporteur_links_to_the_comments(client):
    consultation = ConsultationFactory()
    client.force_login(role_in(working_group("capacity-building"), "rapporteur"))
    page = client.get(reverse("site:my-hub")).content.decode()
    assert reverse("consultations:comment-list", kwargs={"slug": consultation.slug}) in page


def test_navigation_links_to_the_consultations(client):
    page = client.get(reverse("site:home")).content.decode()
    assert reverse("consultations:consultation-list") in page
