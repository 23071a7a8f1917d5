import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from coalition.consultations.models import Response
from tests.factories.consultations import (
    JULY_CLOSES,
    JULY_OPENS,
    member_user,
    sample_survey,
)

pytestmark = pytest.mark.django_db


def _url(survey):
    return reverse("consultations:survey-detail", kwargs={"slug": survey.slug})


def _q(survey, code):
    return f"q_{survey.questions.get(code=code).pk}"


def test_survey_page_before_the_window_says_when_it_opens(client):
    survey = sample_survey(
        opens_at=datetime(2099, 7, 9, 22, tzinfo=UTC),
        closes_at=datetime(2099, 7, 20, 22, tzinfo=UTC),
    )
    response = client.get(_url(survey))
    assert response.status_code == 200
    assert "This survey opens on Friday, 10 July 2099, 00:00 CEST" in response.content.decode()
    assert b'name="submit"' not in response.content


def test_answer_posted_after_closing_is_refused_with_a_message(client):
    survey = sample_survey(opens_at=JULY_OPENS, closes_at=JULY_CLOSES)
    client.force_login(member_user())
    response = client.post(_url(survey), {_q(survey, "Q1"): "no", "submit": "1"})
    assert response.status_code == 200
    assert "Answers are no longer accepted" in response.content.decode()
    assert not Response.objects.exists()


def test_submit_without_a_required_answer_reshows_the_form_and_keeps_the_rest(client):
    survey = sample_survey()
    client.force_login(member_user())
    response = client.post(
        _url(survey), {_q(survey, "Q3"): ["policy"], _q(survey, "Q7"): "12", "submit": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This question requires an answer." in page
    assert 'value="12"' in page
    assert re.search(r'value="policy"[^>]*checked', page)
    assert not Response.objects.exists()


def test_conditional_required_question_applies_only_when_its_condition_is_met(client):
    survey = sample_survey()
    client.force_login(member_user())
    page = client.post(_url(survey), {_q(survey, "Q1"): "yes", "submit": "1"}).content.decode()
    assert "This question requires an answer." in page
    response = client.post(
        _url(survey), {_q(survey, "Q1"): "no", _q(survey, "Q2"): "dropped", "submit": "1"}
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.status == Response.Status.SUBMITTED
    assert not saved.answers.filter(question__code="Q2").exists()


def test_invalid_choice_posted_by_hand_is_refused(client):
    survey = sample_survey()
    client.force_login(member_user())
    response = client.post(_url(survey), {_q(survey, "Q1"): "maybe", "submit": "1"})
    assert "Select a valid choice" in response.content.decode()
    assert not Response.objects.exists()


def test_other_choice_needs_its_text(client):
    survey = sample_survey()
    client.force_login(member_user())
    response = client.post(
        _url(survey), {_q(survey, "Q1"): "no", _q(survey, "Q3"): ["__other__"], "submit": "1"}
    )
    assert "Please specify your other answer." in response.content.decode()


def test_save_and_resume_fills_the_form_in_again(client):
    survey = sample_survey()
    client.force_login(member_user())
    response = client.post(_url(survey), {_q(survey, "Q7"): "42", "save": "1"})
    assert response.status_code == 302
    assert Response.objects.get().status == Response.Status.DRAFT
    page = client.get(_url(survey)).content.decode()
    assert 'value="42"' in page
    assert "Your saved answers are filled in below." in page


def test_anonymous_visitor_of_a_members_only_survey_is_asked_to_sign_in(client):
    survey = sample_survey(allow_anonymous=False)
    page = client.get(_url(survey)).content.decode()
    assert "Please sign in to answer this survey." in page
    assert client.post(_url(survey), {_q(survey, "Q1"): "no", "submit": "1"}).status_code == 403


def test_anonymous_answer_sets_a_browser_token_and_resumes_with_it(client):
    survey = sample_survey(allow_anonymous=True)
    response = client.post(_url(survey), {_q(survey, "Q1"): "no", "save": "1"})
    assert response.status_code == 302
    assert f"hub_survey_{survey.pk}" in response.cookies
    client.post(_url(survey), {_q(survey, "Q1"): "yes", _q(survey, "Q2"): "ok", "submit": "1"})
    assert Response.objects.count() == 1
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_new_anonymous_responses_are_rate_limited(client, settings):
    settings.RATELIMIT_ENABLE = True
    survey = sample_survey(allow_anonymous=True)
    statuses = []
    for _ in range(21):
        client.cookies.clear()
        statuses.append(
            client.post(_url(survey), {_q(survey, "Q1"): "no", "save": "1"}).status_code
        )
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert Response.objects.count() == 20


def test_unpublished_survey_is_hidden_from_members(client):
    survey = sample_survey(is_published=False)
    client.force_login(member_user())
    assert client.get(_url(survey)).status_code == 403
