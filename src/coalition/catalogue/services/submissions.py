"""Hand-made records (form, CSV import, API), moderated like activities.

A member organization's records live in its manual source (`add_manual_source`). Every
proposal, a new record or an edit of a published one, is a `RecordSubmission`; nothing
reaches the catalogue, its search or `/oai` until the secretariat approves it, and the
published version of an edited record stays as it is until then. Approving writes the
record through `records.store_items`, the one write path (deduplication, history,
search index), so a hand-made record joins a harvested copy of the same OER.

The secretariat's own proposals are approved as they are made (it is the moderator).
Decisions are e-mailed to the submitter on commit (`tasks.send_record_decision`).
"""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit
from coalition.members.models import Organization

from .. import search
from ..models import Record, RecordSubmission, Source
from ..oai.metadata import RECORD_FIELDS
from .records import Incoming, store_items
from .sources import add_manual_source

OPEN_STATUSES = [RecordSubmission.Status.PENDING, RecordSubmission.Status.CHANGES_REQUESTED]


def _check_can_act(user, organization):
    if not user.has_perm("catalogue.act_for_organization", organization):
        raise PermissionDenied
    if organization.status != Organization.Status.MEMBER:
        raise ValidationError(_("Only member organizations can add records."))


def _notify(submission):
    enqueue_on_commit("coalition.catalogue.tasks.send_record_decision", submission.pk)


@transaction.atomic
def submit_records(*, user, organization, records, batch=""):
    """New records of `organization` (each `data` as `RecordForm.record_data()`), waiting
    for moderation; approved at once when the secretariat submits them."""
    _check_can_act(user, organization)
    source = add_manual_source(organization)
    now = timezone.now()
    submissions = RecordSubmission.objects.bulk_create(
        RecordSubmission(source=source, data=data, submitted_by=user, submitted_at=now, batch=batch)
        for data in records
    )
    if user.has_perm("catalogue.moderate"):
        approve_submissions(submissions, by=user)
    return submissions


def submit_record(*, user, organization, data):
    return submit_records(user=user, organization=organization, records=[data])[0]


@transaction.atomic
def propose_record_change(record, *, user, data):
    """An edit of a published hand-made record: it waits; the live version stays."""
    if not user.has_perm("catalogue.change_record", record):
        raise PermissionDenied
    if record.deleted:
        raise ValidationError(_("This record was withdrawn."))
    RecordSubmission.objects.select_for_update().filter(
        record=record, status__in=OPEN_STATUSES
    ).update(status=RecordSubmission.Status.SUPERSEDED)
    submission = RecordSubmission.objects.create(
        source=record.source, record=record, data=data, submitted_by=user
    )
    if user.has_perm("catalogue.moderate"):
        approve_submissions([submission], by=user)
    return submission


def can_revise(user, submission):
    return submission.status in OPEN_STATUSES and (
        submission.submitted_by_id == user.pk
        or user.has_perm("catalogue.act_for_organization", submission.source.organization)
    )


@transaction.atomic
def revise_submission(submission, *, user, data):
    """A proposal not yet decided, or sent back for changes, replaced by a new version."""
    submission = RecordSubmission.objects.select_for_update().get(pk=submission.pk)
    if not can_revise(user, submission):
        raise PermissionDenied
    submission.status = RecordSubmission.Status.SUPERSEDED
    submission.save(update_fields=["status"])
    revised = RecordSubmission.objects.create(
        source=submission.source,
        record=submission.record,
        data=data,
        submitted_by=user,
        batch=submission.batch,
    )
    if user.has_perm("catalogue.moderate"):
        approve_submissions([revised], by=user)
    return revised


def _fields(data):
    fields = {name: data.get(name) for name in RECORD_FIELDS}
    for name in ("date_created", "date_modified"):
        value = fields[name]
        fields[name] = date.fromisoformat(value) if isinstance(value, str) and value else None
    for name in ("title_translations", "description_translations"):
        fields[name] = fields[name] or {}
    lists = ("creators", "contributors", "languages", "subjects", "keywords", "coverage", "urls")
    for name in lists:
        fields[name] = fields[name] or []
    for name, value in fields.items():
        if value is None and name not in ("date_created", "date_modified", "year"):
            fields[name] = ""
    return fields


@transaction.atomic
def approve_submissions(submissions, *, by):
    """Publish these pending proposals (one or a whole CSV import) in one transaction."""
    if not by.has_perm("catalogue.moderate"):
        raise PermissionDenied
    ids = [submission.pk for submission in submissions]
    pending = list(
        RecordSubmission.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status=RecordSubmission.Status.PENDING)
        .select_related("record", "source")
        .order_by("pk")
    )
    if len(pending) != len(ids):
        raise ValidationError(_("This submission has already been decided."))
    now = timezone.now()
    by_source = {}
    for submission in pending:
        if submission.record is not None:
            identifier = submission.record.identifier
        else:
            identifier = f"hub:{uuid.uuid4()}"
        submission._identifier = identifier
        by_source.setdefault(submission.source_id, []).append(submission)
    for source_id, group in by_source.items():
        source = group[0].source
        store_items(
            source,
            [Incoming(s._identifier, now, False, [], _fields(s.data)) for s in group],
            created_by=group[0].submitted_by,
        )
        records = {
            record.identifier: record
            for record in Record.objects.filter(
                source_id=source_id, identifier__in=[s._identifier for s in group]
            )
        }
        for submission in group:
            record = records[submission._identifier]
            record.action_areas.set(submission.data.get("action_areas") or [])
            submission.record = record
    RecordSubmission.objects.filter(pk__in=ids).update(
        status=RecordSubmission.Status.APPROVED, decided_by=by, decided_at=now, message=""
    )
    for submission in pending:
        RecordSubmission.objects.filter(pk=submission.pk).update(record=submission.record)
        if submission.submitted_by_id != by.pk:
            _notify(submission)
    # Action areas are part of each work's search entry and OAI sets.
    search.index_works({submission.record.work_id for submission in pending})
    return pending


def approve_submission(submission, *, by):
    return approve_submissions([submission], by=by)[0]


def _refuse(submission, *, by, status, message):
    if not by.has_perm("catalogue.moderate"):
        raise PermissionDenied
    if not (message or "").strip():
        raise ValidationError({"message": _("Please tell the submitter why.")})
    submission = RecordSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != RecordSubmission.Status.PENDING:
        raise ValidationError(_("This submission has already been decided."))
    submission.status = status
    submission.message = message.strip()
    submission.decided_by, submission.decided_at = by, timezone.now()
    submission.save(update_fields=["status", "message", "decided_by", "decided_at"])
    _notify(submission)
    return submission


@transaction.atomic
def request_record_changes(submission, *, by, message):
    return _refuse(
        submission, by=by, status=RecordSubmission.Status.CHANGES_REQUESTED, message=message
    )


@transaction.atomic
def decline_record_submission(submission, *, by, reason):
    return _refuse(submission, by=by, status=RecordSubmission.Status.DECLINED, message=reason)


@transaction.atomic
def withdraw_record(record, *, by):
    """Take a published hand-made record out of the catalogue (kept as a deleted entry,
    with its history, for OAI harvesters). Pending edits of it are dropped."""
    if not by.has_perm("catalogue.change_record", record):
        raise PermissionDenied
    RecordSubmission.objects.filter(record=record, status__in=OPEN_STATUSES).update(
        status=RecordSubmission.Status.SUPERSEDED
    )
    store_items(record.source, [Incoming(record.identifier, timezone.now(), deleted=True)])
    record.refresh_from_db()
    return record


def manual_source_of(organization):
    return Source.objects.filter(organization=organization, kind=Source.Kind.MANUAL).first()
