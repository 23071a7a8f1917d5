"""A country's report: reading, editing with autosave and conflict detection, evidence,
comments, submission, versions and the secretariat's review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from ..forms import (
    CommentForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    ReportOptionsForm,
    ReviewForm,
    SubmitForm,
)
from ..models import Evidence, Question, QuestionKind, Report, ReportVersion
from ..selectors import prefill
from ..selectors.reports import (
    compare_versions,
    latest_version,
    open_clarification,
    report_sections,
    versions_of,
)
from ..services import reports as services
from ..services import reviews


def _report(request, pk, perm="monitoring.view_report"):
    report = get_object_or_404(Report.objects.select_related("cycle__questionnaire"), pk=pk)
    if not request.user.has_perm(perm, report):
        if not request.user.is_authenticated:
            raise PermissionDenied
        raise PermissionDenied
    return report


def _messages_of(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


def report_detail(request, pk):
    report = _report(request, pk)
    clarify = open_clarification(report)
    sections, general_comments = report_sections(report, clarify_ids=clarify)
    can_comment = request.user.has_perm("monitoring.comment_report", report)
    return render(
        request,
        "monitoring/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "versions": versions_of(report),
            "general_comments": general_comments if can_comment else [],
            "can_edit": request.user.has_perm("monitoring.edit_report", report),
            "can_submit": request.user.has_perm("monitoring.submit_report", report),
            "can_comment": can_comment,
            "can_review": request.user.has_perm("monitoring.review_report", report),
            "latest": latest_version(report),
            "comment_form": CommentForm(),
        },
    )


def _edit_context(request, report, *, conflicts=None, errors=None, posted=None):
    clarify = open_clarification(report)
    sections, general_comments = report_sections(report, clarify_ids=clarify)
    conflicts, errors = conflicts or {}, errors or {}
    for section in sections:
        for item in section.items:
            question, answer = item.question, item.answer
            if question.kind == QuestionKind.EVIDENCE:
                item.proposals = prefill.proposals(report, question)
            item.value_choice = answer.choice if answer else ""
            item.value_text = answer.text if answer else ""
            item.value_language = (answer.language if answer else "") or report.language
            item.value_revision = answer.revision if answer else 0
            item.errors = errors.get(question.pk, [])
            mine = _posted_answer(posted, question) if posted is not None else None
            if mine and (question.pk in conflicts or question.pk in errors):
                # Back with what the person typed: nothing entered is lost.
                item.value_choice, item.value_text = mine["choice"], mine["text"]
                item.value_language = mine["language"] or item.value_language
            if question.pk in conflicts:
                item.conflict = conflicts[question.pk].answer
                item.value_revision = item.conflict.revision
    return {
        "report": report,
        "sections": sections,
        "languages": UN_LANGUAGE_CHOICES,
        "options_form": ReportOptionsForm(instance=report),
        "general_comments": general_comments,
        "clarify": clarify,
        "latest": latest_version(report),
        "can_submit": request.user.has_perm("monitoring.submit_report", report),
        "can_publish": request.user.has_perm("monitoring.publish_report", report),
        "posted": posted or {},
        "evidence_max": services.evidence_max_bytes(),
    }


def _posted_answer(post, question):
    prefix = f"answer-{question.pk}"
    if f"{prefix}-rev" not in post:
        return None
    return {
        "choice": post.get(f"{prefix}-choice", ""),
        "text": post.get(f"{prefix}-text", ""),
        "language": post.get(f"{prefix}-lang", ""),
        "base_revision": post.get(f"{prefix}-rev") or 0,
    }


def _evidence_question(report, question_pk):
    return get_object_or_404(
        Question.objects.select_related("section"),
        pk=question_pk if str(question_pk).isdigit() else 0,
        questionnaire_id=report.cycle.questionnaire_id,
        kind=QuestionKind.EVIDENCE,
    )


def _form_errors(form):
    return [error for errors in form.errors.values() for error in errors]


def _apply_action(request, report):
    """The button pressed besides saving the answers: evidence or a comment. Returns the
    anchor to come back to and the message to show; ValidationError with the reason."""
    post, user = request.POST, request.user
    if "keep" in post or "drop" in post:
        keep = "keep" in post
        question_pk, _sep, ref = post["keep" if keep else "drop"].partition("|")
        question = _evidence_question(report, question_pk)
        proposal = prefill.proposal_by_ref(report, question, ref)
        if proposal is None:
            raise ValidationError(_("This proposal is no longer offered."))
        services.decide_proposal(report, question, proposal, user=user, keep=keep)
        return question.anchor, _("Kept as evidence.") if keep else _("Proposal dropped.")
    if "upload" in post:
        question = _evidence_question(report, post["upload"])
        form = EvidenceFileForm(
            {"title": post.get(f"file-title-{question.pk}", "")},
            {"file": request.FILES.get(f"file-{question.pk}")}
            if request.FILES.get(f"file-{question.pk}")
            else {},
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.add_evidence_file(
            report,
            question,
            user=user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
        return question.anchor, _("The document is added.")
    if "link" in post:
        question = _evidence_question(report, post["link"])
        form = EvidenceLinkForm(
            {
                "title": post.get(f"link-title-{question.pk}", ""),
                "url": post.get(f"link-url-{question.pk}", ""),
            }
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.add_evidence_link(
            report,
            question,
            user=user,
            url=form.cleaned_data["url"],
            title=form.cleaned_data["title"],
        )
        return question.anchor, _("The link is added.")
    if "remove" in post:
        evidence = get_object_or_404(
            Evidence, pk=post["remove"] if post["remove"].isdigit() else 0, report=report
        )
        services.remove_evidence(evidence)
        return evidence.question.anchor, _("The evidence is removed.")
    if "comment" in post:
        question = None
        if post["comment"]:
            question = get_object_or_404(
                Question,
                pk=post["comment"] if post["comment"].isdigit() else 0,
                questionnaire_id=report.cycle.questionnaire_id,
            )
        body = post.get(f"comment-{question.pk if question else 'report'}", "")
        services.add_comment(report, user=user, body=body, question=question)
        return (question.anchor if question else "comments"), _("Your comment is posted.")
    return None, _("Your answers are saved.")


@login_required
def report_edit(request, pk):
    """The whole questionnaire as one form, which works without script: every button
    (save, keep or drop a proposal, upload, add a link, comment) saves the answers too, so
    nothing typed is lost. The autosave script also sends each answer as it is typed."""
    report = _report(request, pk, "monitoring.view_report")
    if not request.user.has_perm("monitoring.edit_report", report):
        if request.user.has_perm("monitoring.view_report", report) and not report.is_editable_state:
            messages.info(request, _("This report has been submitted and cannot be changed now."))
            return redirect(report)
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "monitoring/report_edit.html", _edit_context(request, report))
    conflicts, errors = {}, {}
    questions = Question.objects.filter(questionnaire_id=report.cycle.questionnaire_id)
    for question in questions:
        posted = _posted_answer(request.POST, question)
        if posted is None:
            continue
        try:
            services.save_answer(report, question, user=request.user, **posted)
        except services.AnswerConflict as conflict:
            conflicts[question.pk] = conflict
        except ValidationError as error:
            if error.code in ("closed", "not_open", "submitted"):
                messages.error(request, " ".join(_messages_of(error)))
                return redirect(report)
            errors[question.pk] = _messages_of(error)
    anchor, done = None, None
    if not conflicts and not errors:
        try:
            anchor, done = _apply_action(request, report)
        except ValidationError as error:
            messages.error(request, " ".join(_messages_of(error)))
            return render(
                request,
                "monitoring/report_edit.html",
                _edit_context(request, report, posted=request.POST),
                status=400,
            )
    if conflicts or errors:
        if conflicts:
            messages.warning(
                request,
                _(
                    "Someone else changed some answers since you opened this page. Both "
                    "versions are shown below: nothing was overwritten. Keep one and save again."
                ),
            )
        else:
            messages.error(request, _("Some answers could not be saved; see the reasons below."))
        return render(
            request,
            "monitoring/report_edit.html",
            _edit_context(request, report, conflicts=conflicts, errors=errors, posted=request.POST),
            status=409 if conflicts else 400,
        )
    messages.success(request, done)
    url = reverse("monitoring:report-edit", kwargs={"pk": report.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def answer_save(request, pk, question_pk):
    """Autosave of one answer (JSON). 409 with the stored answer when it moved on."""
    report = _report(request, pk, "monitoring.view_report")
    if not request.user.has_perm("monitoring.edit_report", report):
        return JsonResponse({"detail": _("You cannot change this report.")}, status=403)
    question = get_object_or_404(
        Question, pk=question_pk, questionnaire_id=report.cycle.questionnaire_id
    )
    posted = _posted_answer(request.POST, question)
    if posted is None:
        return JsonResponse({"detail": _("The answer's revision is missing.")}, status=400)
    try:
        answer = services.save_answer(report, question, user=request.user, **posted)
    except services.AnswerConflict as conflict:
        return JsonResponse(
            {
                "detail": _(
                    "Someone else changed this answer since you opened the page. Your text "
                    "is kept in the field; their version is shown beside it."
                ),
                "conflict": {
                    "choice": conflict.answer.choice,
                    "text": conflict.answer.text,
                    "revision": conflict.answer.revision,
                    "by": str(conflict.answer.updated_by or ""),
                },
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(_messages_of(error))}, status=400)
    return JsonResponse({"revision": answer.revision, "saved_at": answer.updated_at.isoformat()})


@login_required
@require_POST
def report_options(request, pk):
    report = _report(request, pk, "monitoring.publish_report")
    form = ReportOptionsForm(request.POST, instance=report)
    if form.is_valid():
        services.set_report_options(
            report, language=form.cleaned_data["language"], is_public=form.cleaned_data["is_public"]
        )
        messages.success(request, _("The report's options are saved."))
    else:
        messages.error(request, _("Please choose one of the UN languages."))
    return redirect(reverse("monitoring:report-edit", kwargs={"pk": report.pk}) + "#options")


def evidence_download(request, pk, evidence_pk):
    report = _report(request, pk)
    evidence = get_object_or_404(
        Evidence,
        pk=evidence_pk,
        report=report,
        kind=Evidence.Kind.UPLOAD,
        status=Evidence.Status.KEPT,
    )
    if not evidence.file:
        raise Http404
    from coalition.activities.services.materials import DOCUMENT_TYPES

    kind = DOCUMENT_TYPES.get(evidence.file_type)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"evidence-{evidence.pk}.{evidence.file_type}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def comment_add(request, pk):
    report = _report(request, pk, "monitoring.comment_report")
    question = None
    if request.POST.get("question"):
        question = get_object_or_404(
            Question, pk=request.POST["question"], questionnaire_id=report.cycle.questionnaire_id
        )
    try:
        services.add_comment(
            report, user=request.user, body=request.POST.get("body", ""), question=question
        )
        messages.success(request, _("Your comment is posted."))
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    target = (
        "report-edit"
        if request.user.has_perm("monitoring.edit_report", report)
        else "report-detail"
    )
    anchor = f"#{question.anchor}" if question else "#comments"
    return redirect(reverse(f"monitoring:{target}", kwargs={"pk": report.pk}) + anchor)


@login_required
def report_submit(request, pk):
    report = _report(request, pk, "monitoring.view_report")
    if not request.user.has_perm("monitoring.submit_report", report):
        if request.user.has_perm("monitoring.view_report", report) and not report.is_editable_state:
            messages.error(
                request,
                _("This report has already been submitted; the secretariat is reviewing it."),
            )
            return redirect(report)
        raise PermissionDenied
    missing = services.missing_answers(report)
    certifying = (
        report.answers.filter(question__key="certifying-officials")
        .values_list("text", flat=True)
        .first()
    )
    form = SubmitForm(
        request.POST or None, initial={"certifying_official": (certifying or "")[:200]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(
                report,
                user=request.user,
                certifying_official=form.cleaned_data["certifying_official"],
                certifying_title=form.cleaned_data["certifying_title"],
            )
        except services.MissingAnswers as error:
            missing = error.questions
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            form.add_error(None, " ".join(_messages_of(error)))
        else:
            messages.success(
                request, _("Your report is submitted. The secretariat will review it.")
            )
            return redirect(report)
    return render(
        request,
        "monitoring/report_submit.html",
        {"report": report, "form": form, "missing": missing},
        status=400 if request.method == "POST" else 200,
    )


def version_detail(request, pk, number):
    report = _report(request, pk)
    versions = versions_of(report)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    previous = next((v for v in versions if v.number == number - 1), None)
    changes = compare_versions(version, previous)
    show = request.GET.get("show")
    if show == "changed":
        changes = [change for change in changes if change.changed]
    review_form = None
    if request.user.has_perm("monitoring.review_report", report) and (
        version.decision == ReportVersion.Decision.PENDING and version == versions[-1]
    ):
        review_form = ReviewForm()
    return render(
        request,
        "monitoring/version_detail.html",
        {
            "report": report,
            "version": version,
            "previous": previous,
            "changes": changes,
            "show": show,
            "review_form": review_form,
            "clarify_ids": {q.pk for q in version.clarify.all()},
        },
    )


@login_required
@require_POST
def version_review(request, pk, number):
    report = _report(request, pk, "monitoring.review_report")
    version = get_object_or_404(ReportVersion, report=report, number=number)
    form = ReviewForm(request.POST)
    back = reverse("monitoring:version-detail", kwargs={"pk": report.pk, "number": number})
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "accept":
            reviews.accept_report(version, by=request.user, message=form.cleaned_data["message"])
            messages.success(request, _("The report is accepted."))
        else:
            questions = Question.objects.filter(
                questionnaire_id=report.cycle.questionnaire_id,
                pk__in=[v for v in request.POST.getlist("clarify") if v.isdigit()],
            )
            reviews.request_clarification(
                version, by=request.user, questions=questions, message=form.cleaned_data["message"]
            )
            messages.success(
                request, _("The report is sent back to the country with your questions.")
            )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect(back)
    return redirect(report)
