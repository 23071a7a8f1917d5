"""Writing a report: autosave and conflicts, the deadline, evidence, submission, review."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.monitoring.models import Report, ReportVersion
from coalition.monitoring.services import reports, reviews
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return factories.open_cycle()


@pytest.fixture
def focal():
    return factories.focal_point("MG")


@pytest.fixture
def report(cycle, focal):
    return reports.start_report(cycle, "MG", user=focal)


def test_save_answer_raises_the_revision_and_records_language(report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    first = reports.save_answer(
        report, question, user=focal, text="Atelier national", language="fr", base_revision=0
    )
    second = reports.save_answer(
        report,
        question,
        user=focal,
        text="Deux ateliers",
        language="fr",
        base_revision=first.revision,
    )
    assert (first.revision, second.revision) == (1, 2)
    assert second.language == "fr" and second.updated_by == focal


def test_stale_save_is_a_conflict_and_keeps_the_newer_answer(report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    co_editor = factories.co_editor("MG", by=focal)
    reports.save_answer(report, question, user=co_editor, text="Theirs", base_revision=0)
    with pytest.raises(reports.AnswerConflict) as conflict:
        reports.save_answer(report, question, user=focal, text="Mine", base_revision=0)
    assert conflict.value.answer.text == "Theirs" and conflict.value.text == "Mine"
    assert report.answers.get(question=question).text == "Theirs"


def test_stale_save_of_the_same_text_is_not_a_conflict(report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    reports.save_answer(report, question, user=focal, text="Same", base_revision=0)
    answer = reports.save_answer(report, question, user=focal, text="Same", base_revision=0)
    assert answer.revision == 1


def test_closed_question_accepts_only_its_choices(report, focal, cycle):
    promoted = factories.question(cycle, "promoted")  # yes / no only
    with pytest.raises(ValidationError):
        reports.save_answer(report, promoted, user=focal, choice="partly")
    assert reports.save_answer(report, promoted, user=focal, choice="yes").choice == "yes"


def test_editing_after_the_deadline_is_refused_and_keeps_the_answer(report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    reports.save_answer(report, question, user=focal, text="Before")
    later = cycle.deadline + timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        reports.save_answer(report, question, user=focal, text="After", now=later)
    assert refused.value.code == "closed"
    assert report.answers.get(question=question).text == "Before"


def test_submission_lists_every_missing_mandatory_question(report, focal, cycle):
    with pytest.raises(reports.MissingAnswers) as missing:
        reports.submit_report(report, user=focal, certifying_official="X", certifying_title="Y")
    keys = [q.key for q in missing.value.questions]
    assert "responsible-entities" in keys and "aa2-policy" in keys
    assert "country" not in keys and "aa1-licensing" not in keys  # filled in / optional
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT


def test_submission_freezes_a_version_and_a_second_one_is_refused(report, focal, cycle):
    factories.answer_everything(report, focal)
    version = reports.submit_report(
        report, user=focal, certifying_official="Minister A", certifying_title="Minister"
    )
    assert version.number == 1 and version.answers["aa2-policy"]["choice"] == "yes"
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
    with pytest.raises(ValidationError) as twice:
        reports.submit_report(
            report, user=focal, certifying_official="Minister A", certifying_title="Minister"
        )
    assert twice.value.code == "already_submitted"
    with pytest.raises(ValidationError):
        reports.save_answer(
            report, factories.question(cycle, "aa2-policy"), user=focal, choice="no"
        )


def test_clarification_returns_the_report_and_a_new_version_follows(report, focal, cycle):
    factories.answer_everything(report, focal)
    first = reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    policy = factories.question(cycle, "aa2-policy")
    reviews.request_clarification(
        first, by=SecretariatFactory(), questions=[policy], message="Links?"
    )
    report.refresh_from_db()
    assert report.status == Report.Status.CLARIFICATION
    assert list(first.clarify.all()) == [policy]
    reports.save_answer(
        report, policy, user=focal, choice="partly", now=cycle.deadline + timedelta(days=3)
    )
    second = reports.submit_report(
        report,
        user=focal,
        certifying_official="A",
        certifying_title="B",
        now=cycle.deadline + timedelta(days=3),
    )
    assert second.number == 2 and second.answers["aa2-policy"]["choice"] == "partly"
    with pytest.raises(ValidationError):
        reviews.accept_report(first, by=SecretariatFactory())
    reviews.accept_report(second, by=SecretariatFactory())
    assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED
    assert ReportVersion.objects.get(pk=second.pk).decision == ReportVersion.Decision.ACCEPTED


def test_clarification_needs_named_questions(report, focal):
    factories.answer_everything(report, focal)
    version = reports.submit_report(
        report, user=focal, certifying_official="A", certifying_title="B"
    )
    with pytest.raises(ValidationError):
        reviews.request_clarification(version, by=SecretariatFactory(), questions=[])


def test_new_report_starts_from_the_previous_cycles_answers(cycle):
    previous = factories.accepted_report(cycle, "KE", choice="partly")
    following = factories.open_cycle(previous=cycle)
    focal = factories.focal_point("KE")
    report = reports.start_report(following, "KE", user=focal, from_previous=True)
    assert report.started_from == previous
    assert report.answers.get(question__key="aa2-policy").choice == "partly"
    assert (
        report.answers.get(question__key="aa2-policy").question.questionnaire
        == following.questionnaire
    )


def test_start_report_before_opening_is_refused(focal):
    cycle = factories.open_cycle(
        opens_at=timezone.now() + timedelta(days=1), deadline=timezone.now() + timedelta(days=9)
    )
    with pytest.raises(ValidationError) as refused:
        reports.start_report(cycle, "MG", user=focal)
    assert refused.value.code == "not_open"


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types>wordprocessingml</Types>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_evidence_upload_is_checked_by_content(report, focal, cycle):
    evidence_question = factories.question(cycle, "action-area-2-evidence")
    fake = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError) as refused:
        reports.add_evidence_file(report, evidence_question, user=focal, upload=fake)
    assert refused.value.code == "content"
    good = SimpleUploadedFile("policy.docx", _docx())
    evidence = reports.add_evidence_file(
        report, evidence_question, user=focal, upload=good, title="Policy"
    )
    assert evidence.file_type == "docx" and evidence.file.name.endswith(".docx")
    assert "policy" not in evidence.file.name


def test_evidence_upload_over_the_size_limit_is_refused(report, focal, cycle, settings):
    settings.MONITORING_EVIDENCE_MAX_BYTES = 100
    evidence_question = factories.question(cycle, "action-area-2-evidence")
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"x" * 200)
    with pytest.raises(ValidationError) as refused:
        reports.add_evidence_file(report, evidence_question, user=focal, upload=upload)
    assert refused.value.code == "too_large"
    assert not report.evidence.exists()


def test_evidence_only_on_evidence_questions(report, focal, cycle):
    with pytest.raises(ValidationError):
        reports.add_evidence_link(
            report,
            factories.question(cycle, "aa2-policy"),
            user=focal,
            url="https://example.org",
            title="x",
        )


def test_comment_needs_a_body(report, focal):
    with pytest.raises(ValidationError):
        reports.add_comment(report, user=focal, body="  ")
    assert reports.add_comment(report, user=focal, body="Please check 12").body == "Please check 12"
