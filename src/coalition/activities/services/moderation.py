"""Every write with side effects in the activities domain: submit, moderate, register.

Each function is one transaction; e-mails are queued on commit, so nothing is sent for
a change that did not happen, and a task worker that dies re-runs only unsent work.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit
from coalition.members.models import Organization

from ..models import Activity, ModerationEntry, State, Submission
from ..snapshot import apply_snapshot, schedule_changed
from . import registration


def _check_can_submit(user, organization):
    if not user.has_perm("activities.submit_for_organization", organization):
        raise PermissionDenied
    if organization.status != Organization.Status.MEMBER:
        raise ValidationError(_("Only member organizations can share activities."))


@transaction.atomic
def submit_activity(*, user, organization, data):
    """A new activity, proposed by `user` for `organization`, waiting for moderation."""
    _check_can_submit(user, organization)
    organizers = set(data.get("organizations", []))
    # Whoever shares for an organization names it among the organizers; the secretariat
    # may relay an item organized outside the Coalition (a UNDP call) with its own organizers.
    if not (organizers and user.has_perm("activities.moderate")):
        organizers.add(organization.pk)
    data = {**data, "organizations": sorted(organizers)}
    activity = Activity(kind=data["kind"], state=State.SUBMITTED, created_by=user)
    apply_snapshot(activity, data)
    submission = Submission.objects.create(
        activity=activity, on_behalf_of=organization, data=data, submitted_by=user
    )
    ModerationEntry.objects.record(
        activity, actor=user, action="submitted", to_state=State.SUBMITTED, submission=submission
    )
    enqueue_on_commit("coalition.activities.tasks.send_submission_received", submission.pk)
    return activity


@transaction.atomic
def propose_change(activity, *, user, organization, data):
    """An edit. Unpublished: replaces the proposal. Published: waits; the live version stays."""
    if not user.has_perm("activities.change_activity", activity):
        raise PermissionDenied
    _check_can_submit(user, organization)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    Submission.objects.filter(
        activity=activity,
        status__in=[Submission.Status.PENDING, Submission.Status.CHANGES_REQUESTED],
    ).update(status=Submission.Status.SUPERSEDED)
    submission = Submission.objects.create(
        activity=activity, on_behalf_of=organization, data=data, submitted_by=user
    )
    previous = activity.state
    if not activity.is_published:
        apply_snapshot(activity, data)
        activity.state = State.SUBMITTED
        activity.save(update_fields=["state", "updated_at"])
    ModerationEntry.objects.record(
        activity,
        actor=user,
        action="changed",
        from_state=previous,
        to_state=activity.state,
        submission=submission,
    )
    enqueue_on_commit("coalition.activities.tasks.send_submission_received", submission.pk)
    return submission


def _pending(submission):
    submission = (
        Submission.objects.select_for_update().select_related("activity").get(pk=submission.pk)
    )
    if submission.status != Submission.Status.PENDING:
        raise ValidationError(_("This submission has already been decided."))
    return submission


@transaction.atomic
def approve_submission(submission, *, by):
    if not by.has_perm("activities.moderate"):
        raise PermissionDenied
    submission = _pending(submission)
    activity = Activity.objects.select_for_update().get(pk=submission.activity_id)
    previous = activity.state
    if activity.is_published and activity.is_event and schedule_changed(activity, submission.data):
        activity.sequence += 1
        # Before the snapshot is applied, so the e-mails can say what the time and place were.
        registration.announce_schedule_change(activity)
    activity.state = State.PUBLISHED
    if activity.published_at is None:
        activity.published_at = timezone.now()
    if previous == State.PUBLISHED:
        apply_snapshot(activity, submission.data)
    else:
        # Until it is published, an activity shows its latest proposal (submit_activity and
        # propose_change applied it): publishing it changes only its state.
        activity.save(update_fields=["state", "published_at", "updated_at"])
    submission.status = Submission.Status.APPROVED
    submission.decided_by, submission.decided_at = by, timezone.now()
    submission.save(update_fields=["status", "decided_by", "decided_at"])
    ModerationEntry.objects.record(
        activity,
        actor=by,
        action="approved",
        from_state=previous,
        to_state=State.PUBLISHED,
        submission=submission,
    )
    enqueue_on_commit("coalition.activities.tasks.send_submission_decision", submission.pk)
    return activity


def _refuse(submission, *, by, status, state, action, message):
    if not by.has_perm("activities.moderate"):
        raise PermissionDenied
    if not (message or "").strip():
        raise ValidationError({"message": _("Please tell the submitter why.")})
    submission = _pending(submission)
    activity = submission.activity
    previous = activity.state
    submission.status = status
    submission.message = message.strip()
    submission.decided_by, submission.decided_at = by, timezone.now()
    submission.save(update_fields=["status", "message", "decided_by", "decided_at"])
    # A published activity keeps its published state: only the proposed edit is refused.
    if not activity.is_published:
        activity.state = state
        activity.save(update_fields=["state", "updated_at"])
    ModerationEntry.objects.record(
        activity,
        actor=by,
        action=action,
        from_state=previous,
        to_state=activity.state,
        submission=submission,
        message=submission.message,
    )
    enqueue_on_commit("coalition.activities.tasks.send_submission_decision", submission.pk)
    return submission


@transaction.atomic
def request_changes(submission, *, by, message):
    return _refuse(
        submission,
        by=by,
        status=Submission.Status.CHANGES_REQUESTED,
        state=State.CHANGES_REQUESTED,
        action="changes-requested",
        message=message,
    )


@transaction.atomic
def decline_submission(submission, *, by, reason):
    return _refuse(
        submission,
        by=by,
        status=Submission.Status.DECLINED,
        state=State.DECLINED,
        action="declined",
        message=reason,
    )
