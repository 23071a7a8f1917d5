"""The secretariat's review of a submitted report: accept it, or send it back with the
questions that need clarification highlighted. Either way the country's reporting team is
told by e-mail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core.queue import enqueue_on_commit

from ..models import Report, ReportVersion


def _pending(version):
    version = ReportVersion.objects.select_for_update().select_related("report").get(pk=version.pk)
    if version.decision != ReportVersion.Decision.PENDING:
        raise ValidationError(_("This version has already been reviewed."), code="decided")
    latest = version.report.versions.order_by("-number").values_list("pk", flat=True).first()
    if latest != version.pk:
        raise ValidationError(_("A newer version of this report was submitted."), code="stale")
    return version


@transaction.atomic
def accept_report(version, *, by, message=""):
    version = _pending(version)
    now = timezone.now()
    version.decision = ReportVersion.Decision.ACCEPTED
    version.decision_message = message.strip()
    version.decided_by = by
    version.decided_at = now
    version.save()
    Report.objects.filter(pk=version.report_id).update(
        status=Report.Status.ACCEPTED, accepted_at=now, updated_at=now
    )
    enqueue_on_commit("coalition.monitoring.tasks.send_report_decision", version.pk)
    return version


@transaction.atomic
def request_clarification(version, *, by, questions, message=""):
    """Return the report to its country; `questions` are highlighted on its page."""
    questions = list(questions)
    if not questions:
        raise ValidationError(
            _("Name at least one question that needs clarification."), code="no_questions"
        )
    version = _pending(version)
    questionnaire_id = version.report.cycle.questionnaire_id
    if any(q.questionnaire_id != questionnaire_id for q in questions):
        raise ValidationError(_("These questions are not part of this report."))
    now = timezone.now()
    version.decision = ReportVersion.Decision.CLARIFICATION
    version.decision_message = message.strip()
    version.decided_by = by
    version.decided_at = now
    version.save()
    version.clarify.set(questions)
    Report.objects.filter(pk=version.report_id).update(
        status=Report.Status.CLARIFICATION, updated_at=now
    )
    enqueue_on_commit("coalition.monitoring.tasks.send_report_decision", version.pk)
    return version
