"""A survey in the API: its questions while it is open, and one's own response to it.

Answers go through the survey page's form (`SurveyForm`: the same choices, conditions
and required questions) and `services.save_response` (the same window, one response per
person or browser). The browser's token is the page's signed cookie: an anonymous
client keeps the cookie the first save sets, as a browser does.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.errors import HttpError
from ninja.utils import check_csrf

from coalition.members.api import DECISION_ERRORS, DETAIL_ERRORS, _text
from coalition.members.schemas import Error, LanguageQuery

from .. import browsers
from ..forms import OTHER, SurveyForm, field_name, other_name
from ..models import SCALE_VALUES, QuestionKind, Survey
from ..results import Labels, survey_questions
from ..schemas import ResponseIn, ResponseOut, SurveyOut
from ..services import surveys as services
from . import router
from .consultations import survey_ref

ANSWER_ERRORS = {**DECISION_ERRORS, 429: Error}


def visible_survey(request, slug):
    """A published survey (any, for the secretariat), else a 404 with its reason."""
    survey = Survey.objects.filter(slug=slug).select_related("consultation").first()
    if survey is None or not (survey.is_published or request.user.has_perm("consultations.manage")):
        raise Http404(_("There is no survey with this name."))
    return survey


def _choices(question, labels, language):
    if question.is_choice:
        return [
            {"value": c.value, "label": _text(c, "label", language)} for c in question.choices.all()
        ]
    fixed = lambda value, label: {  # noqa: E731
        "value": str(value),
        "label": {"value": str(label), "language": language, "is_fallback": False},
    }
    if question.kind == QuestionKind.SCALE:
        return [fixed(v, labels.scale(question, v)) for v in SCALE_VALUES]
    if question.kind in (QuestionKind.WORKING_GROUP, QuestionKind.ACTION_AREA):
        return [fixed(code, labels.code(question, code)) for code in labels.all_codes(question)]
    return []


def _question(question, labels, language):
    condition = question.show_if_question
    return {
        "code": question.code,
        "kind": question.kind,
        "section": _text(question.section, "title", language) if question.section else None,
        "text": _text(question, "text", language),
        "help_text": _text(question, "help_text", language),
        "required": question.required,
        "allow_other": question.allow_other and question.is_choice,
        "choices": _choices(question, labels, language),
        "min_value": question.min_value,
        "max_value": question.max_value,
        "show_if": (
            {"question": condition.code, "value": question.show_if_value} if condition else None
        ),
    }


@router.get(
    "/surveys/{slug}",
    response={200: SurveyOut, **DETAIL_ERRORS},
    auth=None,
    summary="Read a survey and its questions",
)
def survey(request, slug: str, params: Query[LanguageQuery]):
    """A published survey: its window on the organizer's clock and, while it is open,
    its questions (for the secretariat, always). Before and after the window, `refusal`
    says when it opens or that it has closed, and `questions` is empty. The answer sets
    the CSRF cookie an anonymous client sends back when answering."""
    survey = visible_survey(request, slug)
    language = get_language()
    get_token(request)
    refusal = services.window_refusal(survey)
    shown = not refusal or request.user.has_perm("consultations.manage")
    labels = Labels()
    return {
        **survey_ref(survey, language),
        "consultation": survey.consultation.slug if survey.consultation else None,
        "introduction": _text(survey, "introduction", language, html=True),
        "refusal": refusal,
        "questions": (
            [_question(q, labels, language) for q in survey_questions(survey)] if shown else []
        ),
    }


def _respondent(request, survey):
    user = request.user if request.user.is_authenticated else None
    return user, browsers.browser_token(request, survey)


def _response_out(survey, response, questions):
    answers, others = {}, {}
    by_question = services.answers_of(response)
    for question in questions:
        values = []
        for answer in by_question.get(question.pk, []):
            if answer.is_other:
                others[question.code] = answer.text
            elif answer.choice_id:
                values.append(answer.choice.value)
            elif answer.number is not None:
                values.append(answer.number)
            else:
                values.append(answer.text)
        if question.kind == QuestionKind.MULTIPLE:
            if values or question.code in others:
                answers[question.code] = [str(v) for v in values]
        elif values:
            answers[question.code] = values[0]
    return {
        "survey": survey.slug,
        "status": response.status,
        "created_at": response.created_at,
        "submitted_at": response.submitted_at,
        "editable_until": survey.closes_at,
        "answers": answers,
        "others": others,
    }


@router.get(
    "/surveys/{slug}/response",
    response={200: ResponseOut, **DETAIL_ERRORS},
    auth=None,
    summary="Read my response to a survey",
)
def my_response(request, slug: str, params: Query[LanguageQuery]):
    """The response of the signed-in person, or of this browser (its token cookie), to
    resume it: a draft, or submitted answers that may be changed until the survey closes."""
    survey = visible_survey(request, slug)
    user, token = _respondent(request, survey)
    response = services.find_response(survey, user=user, browser_token=token)
    if response is None:
        raise Http404(_("You have not answered this survey yet."))
    return _response_out(survey, response, survey_questions(survey))


def _form_data(questions, payload):
    """The payload as the survey form's fields; unknown codes are reported by field."""
    by_code = {q.code: q for q in questions}
    data, errors = {}, {}
    for code in [*payload.answers, *payload.others]:
        if code not in by_code:
            key = "answers" if code in payload.answers else "others"
            errors[f"{key}.{code}"] = [_("There is no question with this code in the survey.")]
    for code, value in payload.answers.items():
        question = by_code.get(code)
        if question is None:
            continue
        if question.kind == QuestionKind.MULTIPLE:
            data[field_name(question)] = value if isinstance(value, list) else [value]
        elif isinstance(value, list):
            errors[f"answers.{code}"] = [_("This question takes one answer, not a list.")]
        else:
            data[field_name(question)] = str(value)
    for code, text in payload.others.items():
        question = by_code.get(code)
        if question is None:
            continue
        if not (question.is_choice and question.allow_other):
            errors[f"others.{code}"] = [_("This question has no “other” answer.")]
            continue
        name = field_name(question)
        if question.kind == QuestionKind.MULTIPLE:
            data[name] = [*data.get(name, []), OTHER]
        elif name in data:
            errors[f"others.{code}"] = [_("Give either a choice or an “other” answer.")]
            continue
        else:
            data[name] = OTHER
        data[other_name(question)] = text
    if payload.send_copy:
        data["copy"] = "on"
        data["copy_to"] = payload.copy_to
    return data, errors


def _form_errors(form, questions):
    """The form's errors under the API's names: `answers.Q3`, `others.Q3`, `copy_to`."""
    names = {}
    for question in questions:
        names[field_name(question)] = f"answers.{question.code}"
        names[other_name(question)] = f"others.{question.code}"
    return {names.get(name, name): list(messages) for name, messages in form.errors.items()}


def _refuse_without_csrf(request):
    if check_csrf(request) is not None:
        raise HttpError(
            403,
            _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value."),
        )


@router.put(
    "/surveys/{slug}/response",
    response={200: ResponseOut, 201: ResponseOut, **ANSWER_ERRORS},
    auth=None,
    summary="Save or submit my response to a survey",
)
def save_my_response(
    request, reply: HttpResponse, slug: str, payload: ResponseIn, params: Query[LanguageQuery]
):
    """Saves the answers given (they replace the earlier ones) as a draft to resume, or
    submits them with `submit`. Signed in: one response per person. Anonymous, where the
    survey allows it: one response per browser, kept by the token cookie this operation
    sets on the first save (201), with the CSRF token (cookie and X-CSRFToken header) as
    for every write. Refused: outside the window (409, saying when), an invalid or
    missing required answer (400, by field, nothing saved), an anonymous answer to a
    survey for members (401), too many saves (429)."""
    _refuse_without_csrf(request)
    survey = visible_survey(request, slug)
    if browsers.too_many_saves(request):
        raise HttpError(429, _("Too many attempts. Please wait a while and try again."))
    refusal = services.window_refusal(survey)
    if refusal:
        raise HttpError(409, refusal)
    user, token = _respondent(request, survey)
    if user is None and not survey.allow_anonymous:
        raise HttpError(401, _("Please sign in to answer this survey."))
    questions = survey_questions(survey)
    data, errors = _form_data(questions, payload)
    form = SurveyForm(data, questions=questions, submitting=payload.submit, user=request.user)
    if not form.is_valid() or errors:
        raise ValidationError({**_form_errors(form, questions), **errors})
    response = services.find_response(survey, user=user, browser_token=token)
    new_token = ""
    if user is None and response is None:
        if browsers.too_many_new_anonymous(request):
            raise HttpError(
                429, _("Too many new answers from your network. Please try again later.")
            )
        if not token:
            token = new_token = browsers.new_browser_token()
    created = response is None
    try:
        response = services.save_response(
            survey,
            values=form.values(),
            user=user,
            browser_token=token,
            submit=payload.submit,
            language=get_language(),
            copy_to=form.copy_address(),
        )
    except PermissionDenied as denied:
        raise HttpError(401, str(denied) or _("Please sign in first.")) from denied
    except ValidationError as error:
        if error.code == "closed":
            raise HttpError(409, " ".join(error.messages)) from error
        raise
    if new_token:
        browsers.remember_browser(reply, survey, new_token)
    return Status(201 if created else 200, _response_out(survey, response, questions))
