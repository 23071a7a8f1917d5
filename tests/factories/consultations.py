"""Consultations, surveys and their questions, built as the secretariat builds them."""

from datetime import UTC, date, datetime, timedelta

import factory
from django.utils import timezone

from coalition.consultations.models import (
    Choice,
    Consultation,
    Question,
    QuestionKind,
    Section,
    Survey,
)
from coalition.members.models import WorkingGroupMembership
from tests.factories.members import MembershipFactory, PersonFactory, UserFactory

# The 2020 survey: 10–20 July 2020 in Paris (CEST, UTC+2): 10 July 00:00 CEST is
# 9 July 22:00 UTC; it closes at the end of 20 July, 21 July 00:00 CEST = 20 July 22:00 UTC.
JULY_OPENS = datetime(2020, 7, 9, 22, 0, tzinfo=UTC)
JULY_CLOSES = datetime(2020, 7, 20, 22, 0, tzinfo=UTC)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"OER Dynamic Coalition consultation {n}")
    title_en = factory.SelfAttribute("title")
    description_en = "<p>Public consultations of the working groups.</p>"
    starts_on = date(2020, 7, 22)
    ends_on = date(2020, 7, 24)
    is_published = True
    comments_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    comments_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Online survey {n}")
    title_en = factory.SelfAttribute("title")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=9))
    time_zone = "Europe/Paris"
    is_published = True


def question(survey, code, kind, text="", choices=(), **fields):
    q = Question.objects.create(
        survey=survey,
        code=code,
        kind=kind,
        text=text or f"Question {code}",
        text_en=text or f"Question {code}",
        order=int("".join(ch for ch in code if ch.isdigit()) or 0),
        **fields,
    )
    for order, (value, label) in enumerate(choices):
        Choice.objects.create(question=q, value=value, label=label, label_en=label, order=order)
    return q


def sample_survey(**fields):
    """A survey with one question of each kind and a condition: Q2 shows if Q1 is "yes"."""
    survey = SurveyFactory(**fields)
    section = Section.objects.create(survey=survey, title="About you", title_en="About you")
    q1 = question(
        survey,
        "Q1",
        QuestionKind.SINGLE,
        "Does your organization have an OER policy?",
        [("yes", "Yes"), ("no", "No")],
        required=True,
        section=section,
    )
    question(
        survey,
        "Q2",
        QuestionKind.TEXT,
        "Describe the policy",
        required=True,
        show_if_question=q1,
        show_if_value="yes",
        section=section,
    )
    question(
        survey,
        "Q3",
        QuestionKind.MULTIPLE,
        "Which areas matter most?",
        [("capacity", "Capacity"), ("policy", "Policy"), ("quality", "Quality")],
        allow_other=True,
    )
    question(
        survey,
        "Q4",
        QuestionKind.SCALE,
        "How useful would an electronic tool be?",
        scale_low_label="Not useful",
        scale_high_label="Very useful",
    )
    question(survey, "Q5", QuestionKind.COUNTRY, "Country")
    question(survey, "Q6", QuestionKind.WORKING_GROUP, "Working group")
    question(
        survey, "Q7", QuestionKind.NUMBER, "Staff working on OER", min_value=0, max_value=10000
    )
    question(survey, "Q8", QuestionKind.ACTION_AREA, "Action area")
    return survey


def answers(survey, **by_code):
    """`{question: [fields]}` for the service: Q1="yes", Q3=["policy"], Q4=5, Q5="TN"…"""
    values = {}
    for q in survey.questions.prefetch_related("choices"):
        if q.code not in by_code:
            continue
        given = by_code[q.code]
        items = given if isinstance(given, list) else [given]
        rows = []
        for item in items:
            if q.is_choice:
                rows.append({"choice": q.choices.get(value=item)})
            elif q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
                rows.append({"number": item})
            else:
                rows.append({"text": item})
        values[q] = rows
    return values


def role_in(group, role, **user_kwargs):
    """An account holding `role` (chair, rapporteur, member) in `group`."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(
        working_group=group,
        person=PersonFactory(user=user),
        role=WorkingGroupMembership.Role(role),
    )
    return user


def member_user(**user_kwargs):
    user = UserFactory(**user_kwargs)
    PersonFactory(user=user)
    return user
