"""The secretariat sends an Update from the web: who will receive it, send now or schedule
(with a time zone), cancel a scheduled send, and follow the progress of each edition."""

from datetime import timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from coalition.activities.clocks import span_in_zone

from .. import selectors
from ..forms.sending import ScheduleForm
from ..models import UpdateIssue
from ..services import sending

# How often the progress page reloads itself while the Update is being sent.
REFRESH_SECONDS = 3


def sender_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("updates.send_issue"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _issue(pk):
    return get_object_or_404(UpdateIssue, pk=pk)


def _scheduled_for(issue):
    if issue.status != UpdateIssue.Status.SCHEDULED or issue.send_at is None:
        return ""
    return span_in_zone(issue.send_at, None, issue.send_time_zone or issue.time_zone)


def _default_schedule(issue):
    """Tomorrow, 09:00 in the issue's zone: a time the secretariat often picks."""
    zone = ZoneInfo(issue.send_time_zone or issue.time_zone or "UTC")
    tomorrow = (timezone.now().astimezone(zone) + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return {"send_at": tomorrow.replace(tzinfo=None), "time_zone": zone.key}


def _send_page(request, issue, *, schedule_form=None, status=200):
    audience = selectors.audience(issue)
    return render(
        request,
        "updates/manage/send.html",
        {
            "issue": issue,
            "audience": audience,
            "sendable": issue.status in (UpdateIssue.Status.DRAFT, UpdateIssue.Status.SCHEDULED),
            "has_items": issue.items.exists(),
            "scheduled_for": _scheduled_for(issue),
            "schedule_form": schedule_form or ScheduleForm(initial=_default_schedule(issue)),
        },
        status=status,
    )


@sender_required
@require_GET
def issue_send(request, pk):
    issue = _issue(pk)
    if issue.status in (UpdateIssue.Status.SENDING, UpdateIssue.Status.SENT):
        return redirect("updates:issue-progress", pk=issue.pk)
    return _send_page(request, issue)


@sender_required
@require_POST
def issue_send_now(request, pk):
    issue = _issue(pk)
    try:
        count = sending.start_sending(issue, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("updates:issue-send", pk=issue.pk)
    messages.success(
        request,
        ngettext(
            "Sending has started: %(count)d message is queued.",
            "Sending has started: %(count)d messages are queued.",
            count,
        )
        % {"count": count},
    )
    return redirect("updates:issue-progress", pk=issue.pk)


@sender_required
@require_POST
def issue_schedule(request, pk):
    issue = _issue(pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _send_page(request, issue, schedule_form=form, status=400)
    try:
        issue = sending.schedule_sending(
            issue,
            by=request.user,
            send_at=form.cleaned_data["send_at"],
            time_zone=form.cleaned_data["time_zone"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _send_page(request, issue, schedule_form=form, status=400)
    messages.success(
        request,
        _("The Update will be sent on %(when)s.") % {"when": _scheduled_for(issue)},
    )
    return redirect("updates:issue-send", pk=issue.pk)


@sender_required
@require_POST
def issue_cancel_schedule(request, pk):
    issue = _issue(pk)
    try:
        sending.cancel_schedule(issue, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scheduled send is cancelled: the issue is a draft again."))
    return redirect("updates:issue-send", pk=issue.pk)


@sender_required
@require_GET
def issue_progress(request, pk):
    issue = _issue(pk)
    if issue.status in (UpdateIssue.Status.DRAFT, UpdateIssue.Status.SCHEDULED):
        return redirect("updates:issue-send", pk=issue.pk)
    rows = selectors.progress(issue)
    running = issue.status == UpdateIssue.Status.SENDING
    # The page reloads itself while the Update is being sent (an HTTP Refresh header: no
    # script needed), unless the reader turned that off (WCAG 2.2.1).
    automatic = running and request.GET.get("auto") != "off"
    response = render(
        request,
        "updates/manage/progress.html",
        {
            "issue": issue,
            "rows": rows,
            "running": running,
            "finished": (
                span_in_zone(issue.sent_at, None, issue.send_time_zone or issue.time_zone)
                if issue.sent_at
                else ""
            ),
            "automatic": automatic,
            "refresh_seconds": REFRESH_SECONDS,
            "totals": {
                name: sum(getattr(row, name) for row in rows)
                for name in ("sent", "pending", "retrying", "failed", "skipped", "resent_in_doubt")
            },
            "editions": list(issue.editions.order_by("language")),
            "self_url": reverse("updates:issue-progress", kwargs={"pk": issue.pk}),
        },
    )
    response["Cache-Control"] = "no-store"
    if automatic:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
