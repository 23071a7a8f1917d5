"""Answering a survey (save, resume, submit, edit until the window closes) and copying one.

Who answers: a signed-in person (one response each), or, where the survey allows it, a
browser holding a random token in a cookie (one response per browser; only a digest of
the token is stored). The window is checked here, at the moment of writing, so that a
form opened before closing time and posted after it is refused.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.activities.clocks import span_in_zone
from coalition.core.queue import enqueue_on_commit
from coalition.core.translated import localized_columns
from coalition.members.models import Affiliation, WorkingGroup, WorkingGroupMembership
from coalition.recommendation.regions import region_for_country

from ..models import Answer, Choice, Question, QuestionKind, Response, Section, Survey
from ..results import results_changed


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def window_refusal(survey, now=None):
    """Why answers are refused now ("" while the survey is open), in the organizer's clock."""
    state = survey.window_state(now)
    if state == "upcoming":
        return _("This survey opens on %(when)s.") % {
            "when": span_in_zone(survey.opens_at, None, survey.time_zone)
        }
    if state == "closed":
        return _("This survey closed on %(when)s. Answers are no longer accepted.") % {
            "when": span_in_zone(survey.closes_at, None, survey.time_zone)
        }
    return ""


def find_response(survey, *, user=None, browser_token=""):
    """The response of this person or browser, if they started one."""
    if user is not None and user.is_authenticated:
        return Response.objects.filter(survey=survey, user=user).first()
    if browser_token:
        return Response.objects.filter(
            survey=survey, user=None, browser_token=token_digest(browser_token)
        ).first()
    return None


def _respondent(survey, user, browser_token):
    if user is not None and user.is_authenticated:
        return {"user": user}
    if not survey.allow_anonymous:
        raise PermissionDenied(_("Please sign in to answer this survey."))
    if not browser_token:
        raise ValidationError(_("Your browser must accept cookies to answer anonymously."))
    return {"user": None, "browser_token": token_digest(browser_token)}


def _who(response, values):
    """Organization, region, stakeholder type and working group of the respondent, as the
    results filter them: from their account, else from their answers."""
    organization = region = stakeholder_type = ""
    working_group = None
    if response.user_id:
        affiliation = (
            Affiliation.objects.filter(person__user_id=response.user_id)
            .select_related("organization")
            .order_by("-is_focal_point", "pk")
            .first()
        )
        if affiliation:
            organization = affiliation.organization
            region = organization.region
            stakeholder_type = organization.stakeholder_type
        memberships = list(
            WorkingGroupMembership.objects.filter(
                person__user_id=response.user_id, status=WorkingGroupMembership.Status.ACTIVE
            ).values_list("working_group_id", flat=True)[:2]
        )
        if len(memberships) == 1:
            working_group = memberships[0]
    for question, rows in values.items():
        if not rows:
            continue
        if question.kind == QuestionKind.COUNTRY and not region:
            region = region_for_country(rows[0]["text"])
        if question.kind == QuestionKind.WORKING_GROUP and working_group is None:
            working_group = (
                WorkingGroup.objects.filter(slug=rows[0]["text"]).values_list("pk", flat=True)
            ).first()
    return {
        "organization": organization or None,
        "region": region or "",
        "stakeholder_type": stakeholder_type or "",
        "working_group_id": working_group,
    }


@transaction.atomic
def save_response(
    survey,
    *,
    values,
    user=None,
    browser_token="",
    submit=False,
    language="",
    copy_to="",
    now=None,
):
    """Store the answers (`{question: [answer fields]}`, validated by the survey form).

    `submit=False` keeps a draft to resume; `submit=True` submits (or re-submits an edit).
    Refused outside the window. Returns the response.
    """
    now = now or timezone.now()
    refusal = window_refusal(survey, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    who = _respondent(survey, user, browser_token)
    if any(question.survey_id != survey.pk for question in values):
        raise ValidationError("answers to another survey's questions", code="foreign_question")
    # Two first saves at once (a double click): the second finds the row the first made.
    response, _created = Response.objects.select_for_update().get_or_create(survey=survey, **who)
    response.language = language or response.language
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = now
        for name, value in _who(response, values).items():
            setattr(response, name, value)
    response.save()
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question=question, **row)
        for question, rows in values.items()
        for row in rows
    )
    # In the same transaction: the new version is seen with the answers it stands for.
    results_changed(survey.pk)
    if submit and copy_to:
        enqueue_on_commit(
            "coalition.consultations.tasks.send_response_copy",
            response.pk,
            copy_to,
            response.language,
        )
    return response


def answers_of(response):
    """`{question_id: [Answer, …]}` of a response (to fill the form in again)."""
    found = {}
    if response is None:
        return found
    for answer in response.answers.select_related("choice"):
        found.setdefault(answer.question_id, []).append(answer)
    return found


# --- copying a survey ---


def _translated_values(obj, *fields):
    values = {}
    for field in fields:
        for column in localized_columns(field):
            values[column] = getattr(obj, column)
        values[field] = getattr(obj, field)
    return values


QUESTION_FIELDS = (
    "code",
    "order",
    "kind",
    "required",
    "allow_other",
    "min_value",
    "max_value",
    "show_if_value",
)


@transaction.atomic
def copy_survey(survey, *, title, opens_at, closes_at, consultation=None, by=None):
    """A new, unpublished survey with the sections, questions, choices and conditions of
    `survey` in every language: the 2020 survey as the template for the next one."""
    if by is not None and not by.has_perm("consultations.manage"):
        raise PermissionDenied
    copy = Survey.objects.create(
        title=title,
        **_translated_values(survey, "introduction"),
        title_en=title,
        opens_at=opens_at,
        closes_at=closes_at,
        time_zone=survey.time_zone,
        allow_anonymous=survey.allow_anonymous,
        consultation=consultation,
        copied_from=survey,
        is_published=False,
    )
    sections = {}
    for section in survey.sections.all():
        sections[section.pk] = Section.objects.create(
            survey=copy, order=section.order, **_translated_values(section, "title")
        )
    questions = {}
    originals = list(survey.questions.prefetch_related("choices"))
    for question in originals:
        new = Question.objects.create(
            survey=copy,
            section=sections.get(question.section_id),
            **{name: getattr(question, name) for name in QUESTION_FIELDS},
            **_translated_values(
                question, "text", "help_text", "scale_low_label", "scale_high_label"
            ),
        )
        questions[question.pk] = new
        Choice.objects.bulk_create(
            Choice(
                question=new,
                value=choice.value,
                order=choice.order,
                **_translated_values(choice, "label"),
            )
            for choice in question.choices.all()
        )
    for question in originals:
        if question.show_if_question_id:
            new = questions[question.pk]
            new.show_if_question = questions.get(question.show_if_question_id)
            new.save(update_fields=["show_if_question"])
    return copy
