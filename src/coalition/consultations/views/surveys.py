"""Answering a survey: the window in both clocks, save and resume, submit, edit until closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.exceptions import Ratelimited

from coalition.activities.clocks import to_utc

from .. import browsers
from ..forms import CopySurveyForm, SurveyForm
from ..models import Survey
from ..results import survey_questions
from ..services import surveys as services


def _visible_survey(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    if not survey.is_published and not request.user.has_perm("consultations.manage"):
        raise PermissionDenied(_("This survey is not published."))
    return survey


def _sections(questions, form):
    """Questions grouped by section, each with its bound field(s), in the survey's order."""
    groups = []
    for question in questions:
        section = question.section
        if not groups or groups[-1]["section"] != section:
            groups.append({"section": section, "items": []})
        field = form[f"q_{question.pk}"]
        other = form[f"q_{question.pk}_other"] if f"q_{question.pk}_other" in form.fields else None
        groups[-1]["items"].append({"question": question, "field": field, "other": other})
    return groups


@require_http_methods(["GET", "POST"])
def survey_detail(request, slug):
    if request.method == "POST" and browsers.too_many_saves(request):
        raise Ratelimited
    survey = _visible_survey(request, slug)
    questions = survey_questions(survey)
    user = request.user if request.user.is_authenticated else None
    token = browsers.browser_token(request, survey)
    response = services.find_response(survey, user=user, browser_token=token)
    refusal = services.window_refusal(survey)
    may_answer = not refusal and (user is not None or survey.allow_anonymous)
    submitting = request.method == "POST" and "submit" in request.POST
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        submitting=submitting,
        answers=services.answers_of(response),
        user=request.user,
    )
    new_token = ""
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        elif not may_answer:
            raise PermissionDenied(_("Please sign in to answer this survey."))
        elif form.is_valid():
            if user is None and response is None:
                if browsers.too_many_new_anonymous(request):
                    messages.error(
                        request,
                        _("Too many new answers from your network. Please try again later."),
                    )
                    return _page(request, survey, questions, form, response, refusal, status=429)
                if not token:
                    token = new_token = browsers.new_browser_token()
            try:
                response = services.save_response(
                    survey,
                    values=form.values(),
                    user=user,
                    browser_token=token,
                    submit=submitting,
                    language=get_language(),
                    copy_to=form.copy_address(),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return _page(request, survey, questions, form, response, refusal)
            if submitting:
                messages.success(
                    request,
                    _(
                        "Thank you: your answers are submitted. "
                        "You may change them until the survey closes."
                    ),
                )
                if form.copy_address():
                    messages.info(request, _("A copy of your answers is on its way."))
            else:
                messages.success(
                    request,
                    _("Your answers are saved. Come back to finish them before the survey closes."),
                )
            reply = redirect(survey.get_absolute_url())
            if new_token:
                browsers.remember_browser(reply, survey, new_token)
            return reply
        else:
            messages.error(
                request,
                _("Your answers are not saved yet: please correct the questions marked below."),
            )
    return _page(request, survey, questions, form, response, refusal, may_answer=may_answer)


def _page(request, survey, questions, form, response, refusal, *, may_answer=True, status=200):
    return render(
        request,
        "consultations/survey_detail.html",
        {
            "survey": survey,
            "form": form,
            "sections": _sections(questions, form),
            "response": response,
            "refusal": refusal,
            "may_answer": may_answer and not refusal,
            "state": survey.window_state(),
            "can_view_results": request.user.has_perm("consultations.view_results"),
            "can_manage": request.user.has_perm("consultations.manage"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_copy(request, slug):
    if not request.user.has_perm("consultations.manage"):
        raise PermissionDenied(_("Only the secretariat copies surveys."))
    survey = get_object_or_404(Survey, slug=slug)
    form = CopySurveyForm(
        request.POST or None,
        initial={"time_zone": survey.time_zone, "title": survey.title},
    )
    if request.method == "POST" and form.is_valid():
        zone = form.cleaned_data["time_zone"]
        copy = services.copy_survey(
            survey,
            title=form.cleaned_data["title"],
            opens_at=to_utc(form.cleaned_data["opens_at"].replace(tzinfo=None), zone),
            closes_at=to_utc(form.cleaned_data["closes_at"].replace(tzinfo=None), zone),
            consultation=None,
            by=request.user,
        )
        copy.time_zone = zone
        copy.save(update_fields=["time_zone"])
        messages.success(
            request,
            _("The survey is copied. Edit its texts and publish it in the administration."),
        )
        return redirect("admin:consultations_survey_change", copy.pk)
    return render(request, "consultations/survey_copy.html", {"survey": survey, "form": form})
