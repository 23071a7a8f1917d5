"""A working group's report: the rapporteur writes and quotes, the chairs remark, the
secretariat publishes; once published, a public page and a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.core.pdf import pdf_response, render_pdf
from coalition.core.translated import localized_column
from coalition.members.models import WorkingGroup

from ..forms import NoteForm, QuoteForm, ReportForm
from ..models import Comment, Consultation, Quote, Report
from ..services import reports as services
from ..services.reports import REPORT_FIELDS


def _report(slug, group):
    report = (
        Report.objects.select_related("consultation", "working_group")
        .filter(consultation__slug=slug, working_group__slug=group)
        .first()
    )
    if report is None:
        raise Http404
    return report


def _refused(request, action, *args, **kwargs):
    """Run a service; a refusal becomes a message on the page the person came from (True)."""
    try:
        action(*args, **kwargs)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You do not have permission to do this."))
        return True
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return True
    return False


def _back(request, report):
    """To the report, or to the consultation for someone who may not read the report."""
    if request.user.has_perm("consultations.view_report", report):
        return redirect(report.get_absolute_url())
    return redirect(report.consultation.get_absolute_url())


def report_detail(request, slug, group):
    report = _report(slug, group)
    if not request.user.has_perm("consultations.view_report", report):
        raise Http404
    return render(
        request,
        "consultations/report_detail.html",
        {
            "report": report,
            "consultation": report.consultation,
            "quotes": report.quotes.all(),
            "notes": report.notes.all() if not report.is_published else [],
            "log": report.log.select_related("actor") if not report.is_published else [],
            "note_form": NoteForm()
            if request.user.has_perm("consultations.note_report", report)
            else None,
            "can_edit": request.user.has_perm("consultations.edit_report", report),
            "can_share": request.user.has_perm("consultations.share_report", report)
            and report.state == Report.State.DRAFT,
            "can_publish": request.user.has_perm("consultations.publish_report", report),
        },
    )


def report_pdf(request, slug, group):
    report = _report(slug, group)
    if not request.user.has_perm("consultations.view_report", report):
        raise Http404
    pdf = render_pdf(
        "consultations/report_pdf.html",
        {"report": report, "consultation": report.consultation, "quotes": report.quotes.all()},
    )
    return pdf_response(
        pdf, f"{report.consultation.slug}-{report.working_group.slug}-{get_language()}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, slug, group):
    consultation = get_object_or_404(Consultation, slug=slug)
    working_group = get_object_or_404(WorkingGroup, slug=group)
    report = Report.objects.filter(consultation=consultation, working_group=working_group).first()
    try:
        if report is None:
            report = services.start_report(consultation, working_group, user=request.user)
    except PermissionDenied as denied:
        raise PermissionDenied(*denied.args) from None
    if not request.user.has_perm("consultations.edit_report", report):
        raise PermissionDenied(_("Only the rapporteur of this working group edits its report."))
    language = get_language()
    initial = {f: getattr(report, localized_column(f, language)) for f in REPORT_FIELDS}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_report(
            report,
            user=request.user,
            data={localized_column(f, language): form.cleaned_data[f] for f in REPORT_FIELDS},
        )
        messages.success(request, _("The report is saved."))
        return redirect("consultations:report-edit", slug=slug, group=group)
    comments = (
        services.quotable_comments(report).select_related("organization").order_by("created_at")
    )
    return render(
        request,
        "consultations/report_form.html",
        {
            "report": report,
            "consultation": consultation,
            "form": form,
            "comments": comments,
            "quotes": report.quotes.all(),
            "quote_form": QuoteForm(),
        },
    )


@login_required
@require_POST
def quote_add(request, slug, group):
    report = _report(slug, group)
    form = QuoteForm(request.POST)
    if form.is_valid():
        comment = get_object_or_404(Comment, pk=form.cleaned_data["comment"])
        if not _refused(
            request,
            services.quote_comment,
            report,
            comment,
            user=request.user,
            anonymize=form.cleaned_data["anonymize"],
        ):
            messages.success(request, _("The comment is quoted in the report."))
    return redirect("consultations:report-edit", slug=slug, group=group)


@login_required
@require_POST
def quote_remove(request, slug, group, pk):
    report = _report(slug, group)
    quote = get_object_or_404(Quote, pk=pk, report=report)
    if not _refused(request, services.remove_quote, quote, user=request.user):
        messages.success(request, _("The quotation is removed."))
    return redirect("consultations:report-edit", slug=slug, group=group)


@login_required
@require_POST
def report_share(request, slug, group):
    report = _report(slug, group)
    if _refused(request, services.share_report, report, user=request.user):
        return _back(request, report)
    messages.success(request, _("The report is shared with the working group's chairs."))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_publish(request, slug, group):
    report = _report(slug, group)
    if not _refused(request, services.publish_report, report, user=request.user):
        messages.success(request, _("The report is published."))
    return _back(request, report)


@login_required
@require_POST
def note_add(request, slug, group):
    report = _report(slug, group)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(
            report,
            user=request.user,
            part=form.cleaned_data["part"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Your remark is added to the report."))
    else:
        messages.error(request, _("Choose a section and write your remark."))
    return redirect(report.get_absolute_url())
