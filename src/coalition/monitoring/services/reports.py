"""Writing a national report: roles, drafts and autosave, evidence, comments, submission.

Permissions are the caller's (views ask `rules.py`); these functions enforce the states
(no edit of a submitted report, none after the deadline) and never lose an answer: a save
based on an older revision than the stored one raises `AnswerConflict` with both texts.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.activities.services.materials import validate_upload
from coalition.core.queue import enqueue_on_commit
from coalition.recommendation.languages import UN_LANGUAGES

from ..models import (
    CHOICES_OF_KIND,
    Answer,
    Comment,
    CountryRole,
    Evidence,
    Question,
    QuestionKind,
    Report,
    ReportingCycle,
    ReportVersion,
)

ANSWER_MAX_LENGTH = 20_000
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_max_bytes():
    return getattr(settings, "MONITORING_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES)


class AnswerConflict(Exception):
    """Someone saved this answer since the form was loaded: nothing was written."""

    def __init__(self, answer, choice, text):
        super().__init__("answer changed since it was loaded")
        self.answer = answer  # the stored, newer answer
        self.choice = choice  # what this save wanted to write
        self.text = text


class MissingAnswers(ValidationError):
    """Mandatory questions left empty at submission (`questions`, in order)."""

    def __init__(self, questions):
        self.questions = list(questions)
        super().__init__(
            _("Some mandatory questions have no answer yet: %(numbers)s.")
            % {"numbers": ", ".join(str(q.number) for q in self.questions)},
            code="missing",
        )


# Roles


@transaction.atomic
def give_focal_point(country, user, *, by, institution=""):
    """The secretariat names a Member State's national focal point."""
    role, created = CountryRole.objects.get_or_create(
        country=str(country),
        user=user,
        defaults={
            "role": CountryRole.Role.FOCAL_POINT,
            "granted_by": by,
            "institution": institution,
        },
    )
    newly_named = created or role.role != CountryRole.Role.FOCAL_POINT
    if not created and newly_named:
        role.role = CountryRole.Role.FOCAL_POINT
        role.granted_by = by
        role.save(update_fields=["role", "granted_by"])
    if newly_named:
        enqueue_on_commit("coalition.monitoring.tasks.send_focal_point_named", role.pk)
    return role


@transaction.atomic
def invite_co_editor(country, user, *, by):
    """A focal point (or the secretariat) adds a co-editor to the country's reports."""
    role, created = CountryRole.objects.get_or_create(
        country=str(country),
        user=user,
        defaults={"role": CountryRole.Role.CO_EDITOR, "granted_by": by},
    )
    if not created:
        raise ValidationError(_("This person already works on this country's reports."))
    enqueue_on_commit("coalition.monitoring.tasks.send_co_editor_invited", role.pk)
    return role


@transaction.atomic
def remove_role(role):
    role.delete()


# Reports


def _check_open(cycle, *, now=None):
    if not cycle.accepts_edits(now):
        if (
            cycle.status == ReportingCycle.Status.PREPARING
            or (now or timezone.now()) < cycle.opens_at
        ):
            raise ValidationError(_("This reporting cycle is not open yet."), code="not_open")
        raise ValidationError(
            _(
                "The deadline of this reporting cycle has passed: the report can no longer "
                "be changed."
            ),
            code="closed",
        )


@transaction.atomic
def start_report(cycle, country, *, user, from_previous=True, now=None):
    """The country's report for `cycle` (created once); with `from_previous`, the answers of
    the country's report in the previous cycle are copied where the question keys agree."""
    existing = Report.objects.filter(cycle=cycle, country=str(country)).first()
    if existing:
        return existing
    _check_open(cycle, now=now)
    language = (getattr(user, "preferred_language", "") or "en") if user else "en"
    try:
        with transaction.atomic():
            report = Report.objects.create(cycle=cycle, country=str(country), language=language)
    except IntegrityError:  # started at the same moment in another tab
        return Report.objects.get(cycle=cycle, country=str(country))
    previous = None
    if from_previous and cycle.previous_id:
        previous = Report.objects.filter(cycle_id=cycle.previous_id, country=str(country)).first()
    questions = {q.key: q for q in cycle.questionnaire.questions.all()}
    answers = []
    if previous:
        report.started_from = previous
        report.language = previous.language
        report.save(update_fields=["started_from", "language"])
        for old in previous.answers.select_related("question"):
            question = questions.get(old.question.key)
            if question and question.kind != QuestionKind.COUNTRY and not old.is_empty:
                answers.append(
                    Answer(
                        report=report,
                        question=question,
                        choice=old.choice,
                        text=old.text,
                        language=old.language,
                        revision=1,
                        updated_by=user,
                    )
                )
    Answer.objects.bulk_create(answers)
    return report


def _clean_answer(question, choice, text, language):
    choice = (choice or "").strip()
    text = (text or "").replace("\r\n", "\n")
    if question.kind in (QuestionKind.COUNTRY, QuestionKind.EVIDENCE):
        raise ValidationError(_("This question is not answered with text."), code="not_editable")
    if question.is_closed:
        allowed = [c.value for c in CHOICES_OF_KIND[question.kind]]
        if choice and choice not in allowed:
            raise ValidationError(_("Choose one of the answers offered."), code="choice")
        text = ""
    else:
        choice = ""
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("An answer may be at most %(limit)s characters long.") % {"limit": ANSWER_MAX_LENGTH},
            code="too_long",
        )
    if language and language not in UN_LANGUAGES:
        language = ""
    return choice, text, language


@transaction.atomic
def save_answer(
    report, question, *, user, choice="", text="", language="", base_revision=None, now=None
):
    """Store one answer; returns it. `base_revision` is the revision the person's form was
    loaded with: if the stored answer moved on and differs, `AnswerConflict` is raised and
    nothing is written (None means "overwrite", for imports)."""
    # The cycle comes with the locked report (its window and questionnaire are read below);
    # only the report's row is locked.
    report = (
        Report.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=report.pk)
    )
    if not report.is_editable_state:
        raise ValidationError(
            _(
                "This report has been submitted: it can be changed again only if the "
                "secretariat asks for clarification."
            ),
            code="submitted",
        )
    if report.status == Report.Status.DRAFT:
        _check_open(report.cycle, now=now)
    if question.questionnaire_id != report.cycle.questionnaire_id:
        raise ValidationError(_("This question is not part of this report."), code="question")
    choice, text, language = _clean_answer(question, choice, text, language)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        report=report, question=question
    )
    if (
        answer.choice == choice
        and answer.text == text
        and (answer.language == language or not language or not text)
    ):
        return answer
    if base_revision is not None and int(base_revision) != answer.revision:
        raise AnswerConflict(answer, choice, text)
    answer.choice = choice
    answer.text = text
    answer.language = (language or report.language) if text.strip() else ""
    answer.revision += 1
    answer.updated_at = timezone.now()
    answer.updated_by = user
    answer.save()
    Report.objects.filter(pk=report.pk).update(updated_at=answer.updated_at)
    return answer


@transaction.atomic
def set_report_options(report, *, language, is_public):
    if language not in UN_LANGUAGES:
        raise ValidationError(_("Choose one of the UN languages."))
    report.language = language
    report.is_public = is_public
    report.save(update_fields=["language", "is_public", "updated_at"])
    return report


@transaction.atomic
def add_comment(report, *, user, body, question=None):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a comment first."), code="empty")
    if len(body) > 5000:
        raise ValidationError(_("A comment may be at most 5000 characters long."))
    return Comment.objects.create(report=report, question=question, author=user, body=body)


# Evidence


def _evidence_question(report, question):
    if question.kind != QuestionKind.EVIDENCE or (
        question.questionnaire_id != report.cycle.questionnaire_id
    ):
        raise ValidationError(_("Evidence can be added only to an evidence question."))


def _check_editable(report, now=None):
    if not report.is_editable_state:
        raise ValidationError(_("This report has been submitted and cannot be changed now."))
    if report.status == Report.Status.DRAFT:
        _check_open(report.cycle, now=now)


@transaction.atomic
def add_evidence_file(report, question, *, user, upload, title=""):
    """A document checked by its content (PDF, Word, PowerPoint, OpenDocument) and size."""
    _check_editable(report)
    _evidence_question(report, question)
    if upload.size > evidence_max_bytes():
        raise ValidationError(
            _("This file is %(size)s; evidence files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(evidence_max_bytes())},
            code="too_large",
        )
    document = validate_upload(upload)
    evidence = Evidence(
        report=report,
        question=question,
        kind=Evidence.Kind.UPLOAD,
        title=(title or upload.name.rsplit("/", 1)[-1])[:255],
        file_type=document.extension,
        file_size=upload.size,
        added_by=user,
    )
    evidence.file.save(f"{secrets.token_hex(16)}.{document.extension}", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def add_evidence_link(report, question, *, user, url, title):
    from coalition.activities.services.materials import validate_material_url

    _check_editable(report)
    _evidence_question(report, question)
    validate_material_url(url)
    if not (title or "").strip():
        raise ValidationError(_("Give the link a title."), code="title")
    return Evidence.objects.create(
        report=report,
        question=question,
        kind=Evidence.Kind.LINK,
        title=title.strip()[:255],
        url=url,
        added_by=user,
    )


@transaction.atomic
def decide_proposal(report, question, proposal, *, user, keep, title=None, note="", now=None):
    """Keep (optionally edited) or drop a prefill proposal: either way it is not proposed again."""
    _check_editable(report, now)
    _evidence_question(report, question)
    evidence, _created = Evidence.objects.update_or_create(
        report=report,
        question=question,
        ref=proposal.ref,
        defaults={
            "kind": proposal.kind,
            "status": Evidence.Status.KEPT if keep else Evidence.Status.DROPPED,
            "title": ((title or "").strip() or proposal.title)[:255],
            "note": note.strip(),
            "url": proposal.url,
            "added_by": user,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence):
    _check_editable(evidence.report)
    if evidence.ref:
        # A removed prefill item stays dropped, so it is not proposed again.
        evidence.status = Evidence.Status.DROPPED
        evidence.save(update_fields=["status"])
    else:
        evidence.file.delete(save=False) if evidence.file else None
        evidence.delete()


# Submission


def missing_answers(report):
    answered = {a.question_id for a in report.answers.all() if not a.is_empty}
    return [
        q
        for q in report.cycle.questionnaire.questions.filter(required=True).order_by("number")
        if q.kind != QuestionKind.COUNTRY and q.pk not in answered
    ]


def snapshot(report):
    answers = {
        a.question.key: {"choice": a.choice, "text": a.text, "language": a.language}
        for a in report.answers.select_related("question")
        if not a.is_empty
    }
    evidence = [
        {
            "question": e.question.key,
            "kind": e.kind,
            "title": e.title,
            "url": e.url,
            "file": e.file.name if e.file else "",
        }
        for e in report.evidence.filter(status=Evidence.Status.KEPT).select_related("question")
    ]
    return answers, evidence


@transaction.atomic
def submit_report(report, *, user, certifying_official, certifying_title, now=None):
    """Freeze the answers in a new version for the secretariat to review; the country's
    team and the secretariat are told by e-mail."""
    report = Report.objects.select_for_update().select_related("cycle").get(pk=report.pk)
    if not report.is_editable_state:
        raise ValidationError(
            _("This report has already been submitted; the secretariat is reviewing it."),
            code="already_submitted",
        )
    if report.status == Report.Status.DRAFT:
        _check_open(report.cycle, now=now)
    official = (certifying_official or "").strip()
    title = (certifying_title or "").strip()
    if not official or not title:
        raise ValidationError(
            _("Give the name and title of the official certifying the report."), code="official"
        )
    missing = missing_answers(report)
    if missing:
        raise MissingAnswers(missing)
    answers, evidence = snapshot(report)
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        submitted_by=user,
        certifying_official=official[:200],
        certifying_title=title[:255],
        answers=answers,
        evidence=evidence,
    )
    report.status = Report.Status.SUBMITTED
    report.submitted_at = version.submitted_at
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    enqueue_on_commit("coalition.monitoring.tasks.send_report_submitted", version.pk)
    return version


def question_by_key(questionnaire, key):
    return Question.objects.get(questionnaire=questionnaire, key=key)
