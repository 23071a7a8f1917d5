from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from coalition.consultations.models import Answer, Response
from coalition.consultations.services import surveys as services
from tests.factories.consultations import (
    JULY_CLOSES,
    JULY_OPENS,
    answers,
    member_user,
    sample_survey,
)
from tests.factories.members import AffiliationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_window_last_minute_before_closing_in_cest_is_open():
    survey = sample_survey(opens_at=JULY_OPENS, closes_at=JULY_CLOSES, time_zone="Europe/Paris")
    # 20 July 2020, 23:59 CEST is 21:59 UTC: still open; midnight CEST closes it.
    assert survey.is_open(datetime(2020, 7, 20, 21, 59, tzinfo=UTC))
    assert survey.window_state(datetime(2020, 7, 20, 22, 0, tzinfo=UTC)) == "closed"
    assert survey.window_state(datetime(2020, 7, 9, 21, 59, tzinfo=UTC)) == "upcoming"


def test_window_last_minute_before_closing_in_tokyo_is_open():
    # 20 July 2020 closes at midnight in Tokyo (JST, UTC+9): 20 July 15:00 UTC.
    closes = datetime(2020, 7, 20, 15, 0, tzinfo=UTC)
    survey = sample_survey(opens_at=JULY_OPENS, closes_at=closes, time_zone="Asia/Tokyo")
    assert survey.is_open(closes - timedelta(minutes=1))
    assert not survey.is_open(closes)


def test_window_refusal_says_when_it_opens_in_the_organizers_clock():
    survey = sample_survey(opens_at=JULY_OPENS, closes_at=JULY_CLOSES)
    message = services.window_refusal(survey, datetime(2020, 7, 1, tzinfo=UTC))
    assert "10 July 2020" in message and "00:00 CEST" in message
    closed = services.window_refusal(survey, datetime(2020, 8, 1, tzinfo=UTC))
    assert "closed" in closed and "21 July 2020, 00:00 CEST" in closed


def test_save_response_refused_after_closing_keeps_nothing():
    survey = sample_survey(opens_at=JULY_OPENS, closes_at=JULY_CLOSES)
    user = member_user()
    with pytest.raises(ValidationError):
        services.save_response(
            survey,
            values=answers(survey, Q1="no"),
            user=user,
            submit=True,
            now=JULY_CLOSES,
        )
    assert not Response.objects.exists()


def test_save_then_resume_then_submit_keeps_one_response():
    survey = sample_survey()
    user = member_user()
    draft = services.save_response(survey, values=answers(survey, Q1="yes"), user=user)
    assert draft.status == Response.Status.DRAFT
    found = services.find_response(survey, user=user)
    assert found == draft
    assert [
        a.choice.value for a in services.answers_of(found)[survey.questions.get(code="Q1").pk]
    ] == ["yes"]
    submitted = services.save_response(
        survey, values=answers(survey, Q1="yes", Q2="A national policy"), user=user, submit=True
    )
    assert submitted.pk == draft.pk
    assert submitted.status == Response.Status.SUBMITTED
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response=submitted).count() == 2


def test_submitted_response_can_be_edited_until_closing():
    survey = sample_survey()
    user = member_user()
    services.save_response(survey, values=answers(survey, Q1="no"), user=user, submit=True)
    services.save_response(survey, values=answers(survey, Q1="yes", Q2="x"), user=user, submit=True)
    assert Answer.objects.filter(choice__value="no").count() == 0
    assert Answer.objects.filter(choice__value="yes").count() == 1


def test_second_response_of_the_same_person_is_refused_by_the_database():
    survey = sample_survey()
    user = member_user()
    Response.objects.create(survey=survey, user=user)
    with pytest.raises(IntegrityError):
        Response.objects.create(survey=survey, user=user)


def test_anonymous_answers_need_a_survey_that_allows_them():
    survey = sample_survey(allow_anonymous=False)
    with pytest.raises(PermissionDenied):
        services.save_response(survey, values={}, browser_token="abc")


def test_anonymous_answers_are_one_per_browser_token_stored_as_digest():
    survey = sample_survey(allow_anonymous=True)
    first = services.save_response(survey, values=answers(survey, Q1="no"), browser_token="tok-1")
    again = services.save_response(
        survey, values=answers(survey, Q1="yes"), browser_token="tok-1", submit=True
    )
    other = services.save_response(survey, values=answers(survey, Q1="no"), browser_token="tok-2")
    assert first.pk == again.pk != other.pk
    assert again.browser_token != "tok-1" and len(again.browser_token) == 64


def test_submit_copies_who_answered_for_the_filters():
    survey = sample_survey()
    user = member_user()
    organization = OrganizationFactory(country="TN", stakeholder_type="igo")
    AffiliationFactory(person=user.person, organization=organization, is_focal_point=True)
    response = services.save_response(
        survey,
        values=answers(survey, Q1="no", Q6="supportive-policy"),
        user=user,
        submit=True,
    )
    assert response.organization == organization
    assert response.region == "arab-states"
    assert response.stakeholder_type == "igo"
    assert response.working_group.slug == "supportive-policy"


def test_anonymous_region_comes_from_the_country_answer():
    survey = sample_survey(allow_anonymous=True)
    response = services.save_response(
        survey, values=answers(survey, Q1="no", Q5="JP"), browser_token="t", submit=True
    )
    assert response.region == "asia-pacific"
    assert response.organization is None


def test_copy_by_email_lists_the_answers(django_capture_on_commit_callbacks):
    survey = sample_survey()
    user = member_user(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_response(
            survey,
            values=answers(survey, Q1="yes", Q2="Our policy", Q4=5),
            user=user,
            submit=True,
            copy_to=user.email,
            language="en",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Our policy" in message.body and "Q4." in message.body and "5" in message.body


def test_copy_survey_copies_questions_choices_conditions_and_translations():
    survey = sample_survey()
    q1 = survey.questions.get(code="Q1")
    q1.text_ar = "هل لدى مؤسستكم سياسة للموارد التعليمية المفتوحة؟"
    q1.save()
    copy = services.copy_survey(
        survey,
        title="Survey 2021",
        opens_at=datetime(2021, 7, 1, tzinfo=UTC),
        closes_at=datetime(2021, 7, 11, tzinfo=UTC),
    )
    assert copy.copied_from == survey and not copy.is_published
    assert copy.questions.count() == survey.questions.count()
    new_q1 = copy.questions.get(code="Q1")
    assert new_q1.text_ar == q1.text_ar
    assert list(new_q1.choices.values_list("value", flat=True)) == ["yes", "no"]
    q2 = copy.questions.get(code="Q2")
    assert q2.show_if_question == new_q1 and q2.show_if_value == "yes"
    assert copy.sections.get().questions.count() == 2


def test_answers_to_another_surveys_questions_are_refused():
    survey, other = sample_survey(), sample_survey()
    with pytest.raises(ValidationError):
        services.save_response(survey, values=answers(other, Q1="no"), user=member_user())
    assert not Response.objects.exists()
