"""The secretariat's queue: sources awaiting approval and hand-made records (new ones and
edits of published ones) awaiting moderation; one page to decide each, and a whole CSV
import approved at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import DecisionForm, data_of_record
from ..models import RecordSubmission, Source
from ..services import sources as source_services
from ..services import submissions

PAGE_SIZE = 25


def _moderator(request):
    if not request.user.has_perm("catalogue.moderate"):
        raise PermissionDenied


@login_required
def moderation_queue(request):
    _moderator(request)
    pending = (
        RecordSubmission.objects.filter(status=RecordSubmission.Status.PENDING)
        .select_related("source__organization", "submitted_by", "record")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    batches = (
        RecordSubmission.objects.filter(status=RecordSubmission.Status.PENDING)
        .exclude(batch="")
        .values("batch", "source__organization__name")
        .annotate(count=Count("pk"))
        .order_by("batch")
    )
    sources = Source.objects.filter(status=Source.Status.PENDING).select_related(
        "organization", "registered_by"
    )
    return render(
        request,
        "catalogue/moderation_queue.html",
        {"page": page, "sources": sources, "batches": [b for b in batches if b["count"] > 1]},
    )


@login_required
def moderation_record(request, pk):
    _moderator(request)
    submission = get_object_or_404(
        RecordSubmission.objects.select_related("source__organization", "submitted_by",
                                                "record__work"),
        pk=pk,
    )  # fmt: skip
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == "approve":
                submissions.approve_submission(submission, by=request.user)
                messages.success(request, _("Published. The submitter has been told."))
            elif decision == "changes":
                submissions.request_record_changes(submission, by=request.user, message=message)
                messages.success(request, _("Changes requested. The submitter has been told."))
            else:
                submissions.decline_record_submission(submission, by=request.user, reason=message)
                messages.success(request, _("Declined. The submitter has been told."))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("catalogue:moderation-queue")
        else:
            return redirect("catalogue:moderation-queue")
    changed = []
    if submission.record is not None:
        live = data_of_record(submission.record)
        changed = sorted(k for k, v in submission.data.items() if live.get(k) != v)
    return render(
        request,
        "catalogue/moderation_record.html",
        {"submission": submission, "form": form, "changed": changed},
    )


@login_required
@require_POST
def moderation_batch(request, batch):
    _moderator(request)
    pending = list(
        RecordSubmission.objects.filter(batch=batch, status=RecordSubmission.Status.PENDING)
    )
    if pending:
        submissions.approve_submissions(pending, by=request.user)
        messages.success(request, _("%(count)s records published.") % {"count": len(pending)})
    return redirect("catalogue:moderation-queue")


@login_required
def moderation_source(request, slug):
    _moderator(request)
    source = get_object_or_404(Source.objects.select_related("organization"), slug=slug)
    form = DecisionForm(request.POST or None, allow_changes=False)
    if request.method == "POST" and form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == "approve":
                source_services.approve_source(source, by=request.user)
                messages.success(request, _("The source is approved; its first harvest is queued."))
            else:
                source_services.decline_source(source, by=request.user, reason=message)
                messages.success(request, _("The source was declined."))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("catalogue:moderation-queue")
        else:
            return redirect("catalogue:moderation-queue")
    return render(request, "catalogue/moderation_source.html", {"source": source, "form": form})
