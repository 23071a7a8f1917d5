"""The secretariat's moderation pages: the queue of pending submissions and deciding one
(publish, ask for changes, decline), with what changed and the activity's log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coalition.core.permissions import permission_required

from ..forms.activities import ModerationForm
from ..models import Submission
from ..review import history_of, review_of
from ..services import moderation
from .activities import PAGE_SIZE


@permission_required("activities.moderate")
def moderation_queue(request):
    pending = (
        Submission.objects.filter(status=Submission.Status.PENDING)
        .select_related("activity", "on_behalf_of", "submitted_by")
        .order_by("submitted_at")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/moderation_queue.html", {"page": page})


@permission_required("activities.moderate")
def moderation_detail(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("activity", "on_behalf_of", "submitted_by"), pk=pk
    )
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == "approve":
                moderation.approve_submission(submission, by=request.user)
                messages.success(request, _("Published. The submitter has been told."))
            elif decision == "changes":
                moderation.request_changes(submission, by=request.user, message=message)
                messages.success(request, _("Changes requested. The submitter has been told."))
            else:
                moderation.decline_submission(submission, by=request.user, reason=message)
                messages.success(request, _("Declined. The submitter has been told."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("activities:moderation-queue")
    activity = submission.activity
    return render(
        request,
        "activities/moderation_detail.html",
        {
            "submission": submission,
            "activity": activity,
            "review": review_of(submission, reader_zone=request.user.time_zone),
            "form": form,
            "log": history_of(activity),
        },
    )
