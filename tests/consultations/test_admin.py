from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from coalition.consultations.admin import SurveyAdminForm
from tests.factories.consultations import sample_survey
from tests.factories.members import SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_window_is_typed_in_the_surveys_zone_and_stored_in_utc():
    form = SurveyAdminForm(
        data={
            "title": "Survey 2021",
            "introduction": "",
            "opens_at": "2021-07-10 00:00",
            "closes_at": "2021-07-21 00:00",
            "time_zone": "Asia/Tokyo",
        }
    )
    assert form.is_valid(), form.errors
    survey = form.save()
    assert survey.opens_at == datetime(2021, 7, 9, 15, 0, tzinfo=UTC)
    assert survey.closes_at == datetime(2021, 7, 20, 15, 0, tzinfo=UTC)
    again = SurveyAdminForm(instance=survey)
    assert again.initial["opens_at"] == datetime(2021, 7, 10, 0, 0)


def test_admin_refuses_a_window_that_closes_before_it_opens():
    form = SurveyAdminForm(
        data={
            "title": "Survey",
            "opens_at": "2021-07-10 00:00",
            "closes_at": "2021-07-01 00:00",
            "time_zone": "Europe/Paris",
        }
    )
    assert not form.is_valid()


def test_secretariat_builds_surveys_in_the_admin(client):
    survey = sample_survey()
    user = SecretariatFactory(is_staff=True)
    # As the demo's secretariat group does: the model permissions of the Hub's apps.
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="consultations"))
    client.force_login(user)
    for url in (
        reverse("admin:consultations_survey_changelist"),
        reverse("admin:consultations_survey_add"),
        reverse("admin:consultations_survey_change", args=[survey.pk]),
        reverse("admin:consultations_question_change", args=[survey.questions.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:consultations_survey_change", args=[survey.pk])).content
    assert b"show_if_question" in page and b"text_ar" in page


def test_admin_is_closed_to_members(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:consultations_survey_changelist"))
    assert response.status_code == 302
