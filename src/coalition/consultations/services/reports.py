"""A working group's report: written by its rapporteur, shared with its chairs (who remark
on each section), published by the secretariat. Every change of state is logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit
from coalition.core.translated import localized_columns

from ..models import Comment, Quote, QuoteConsent, Report, ReportLogEntry, ReportNote

REPORT_FIELDS = ("priorities", "proposed_activities", "tool_issues")


def _name(user):
    person = getattr(user, "person", None)
    return person.name if person else user.email


def _log(report, *, actor, from_state, to_state):
    ReportLogEntry.objects.create(
        report=report, actor=actor, from_state=from_state, to_state=to_state
    )


@transaction.atomic
def start_report(consultation, working_group, *, user):
    """The group's report (a new draft the first time its rapporteur opens it)."""
    if not user.has_perm("consultations.start_report", working_group):
        raise PermissionDenied(_("Only the rapporteur of this working group writes its report."))
    report, created = Report.objects.get_or_create(
        consultation=consultation,
        working_group=working_group,
        defaults={"author": user, "author_name": _name(user)},
    )
    if created:
        _log(report, actor=user, from_state="", to_state=Report.State.DRAFT)
    return report


@transaction.atomic
def update_report(report, *, user, data):
    """Write the sections (`data` holds columns such as `priorities_fr`)."""
    if not user.has_perm("consultations.edit_report", report):
        raise PermissionDenied(_("Only the rapporteur of this working group edits its report."))
    allowed = {column for field in REPORT_FIELDS for column in localized_columns(field)}
    for column, value in data.items():
        if column not in allowed:
            raise ValidationError(f"unknown report field {column}")
        setattr(report, column, value)
    report.save()
    return report


def attribution(comment, *, anonymize):
    if anonymize or comment.quote_consent != QuoteConsent.NAMED:
        return ""
    if comment.organization:
        return f"{comment.author_name}, {comment.organization}"
    return comment.author_name


@transaction.atomic
def quote_comment(report, comment, *, user, anonymize=False, text=""):
    """Quote `comment` in `report`: named only if its author allowed it, else anonymized."""
    if not user.has_perm("consultations.edit_report", report):
        raise PermissionDenied(_("Only the rapporteur of this working group edits its report."))
    if (
        comment.consultation_id != report.consultation_id
        or comment.working_group_id != report.working_group_id
    ):
        raise ValidationError(_("This comment is not about this working group."), code="group")
    if comment.quote_consent == QuoteConsent.NONE:
        raise ValidationError(
            _("The author of this comment asked not to be quoted."), code="no_consent"
        )
    order = report.quotes.count()
    return Quote.objects.create(
        report=report,
        comment=comment,
        text=(text or comment.body).strip(),
        attribution=attribution(comment, anonymize=anonymize),
        order=order,
    )


@transaction.atomic
def remove_quote(quote, *, user):
    if not user.has_perm("consultations.edit_report", quote.report):
        raise PermissionDenied(_("Only the rapporteur of this working group edits its report."))
    quote.delete()


def _transition(report, *, user, permission, to_state, refusal):
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not user.has_perm(permission, report):
        raise PermissionDenied(refusal)
    from_state = report.state
    report.state = to_state
    if to_state == Report.State.PUBLISHED:
        report.published_at = timezone.now()
    report.save(update_fields=["state", "published_at", "updated_at"])
    _log(report, actor=user, from_state=from_state, to_state=to_state)
    return report


@transaction.atomic
def share_report(report, *, user):
    report = _transition(
        report,
        user=user,
        permission="consultations.share_report",
        to_state=Report.State.SHARED,
        refusal=_("Only the rapporteur of this working group shares its report."),
    )
    enqueue_on_commit("coalition.consultations.tasks.send_report_shared", report.pk)
    return report


@transaction.atomic
def publish_report(report, *, user):
    if report.state == Report.State.DRAFT and user.has_perm("consultations.manage"):
        raise ValidationError(
            _("The report must be shared with the chairs before it is published."),
            code="not_shared",
        )
    return _transition(
        report,
        user=user,
        permission="consultations.publish_report",
        to_state=Report.State.PUBLISHED,
        refusal=_("Only the secretariat publishes reports."),
    )


@transaction.atomic
def add_note(report, *, user, part, body):
    """A chair's remark on one section of a shared report."""
    if not user.has_perm("consultations.note_report", report):
        raise PermissionDenied(_("Only the chairs of this working group remark on its report."))
    if part not in ReportNote.Part.values:
        raise ValidationError(_("Choose a section of the report."), code="part")
    if not (body or "").strip():
        raise ValidationError(_("Write your remark."), code="empty")
    return ReportNote.objects.create(
        report=report, part=part, author=user, author_name=_name(user), body=body.strip()
    )


def quotable_comments(report):
    return Comment.objects.filter(
        consultation=report.consultation, working_group=report.working_group
    ).exclude(quote_consent=QuoteConsent.NONE)
