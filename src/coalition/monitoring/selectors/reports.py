"""Reads of reports for pages, exports and tasks, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django_countries import countries

from coalition.recommendation.content import content_in
from coalition.recommendation.regions import REGION_OF_COUNTRY

from ..models import (
    Answer,
    Comment,
    CountryRole,
    Evidence,
    Question,
    QuestionKind,
    Report,
    ReportingCycle,
    ReportVersion,
    Section,
)

MEMBER_STATES = sorted(REGION_OF_COUNTRY)


def member_state_choices():
    return sorted(((code, countries.name(code)) for code in MEMBER_STATES), key=lambda c: c[1])


def countries_of(user):
    """The countries whose reports `user` works on, with their role."""
    if not user.is_authenticated:
        return {}
    return dict(CountryRole.objects.filter(user=user).values_list("country", "role"))


def cycles_for_list():
    return ReportingCycle.objects.select_related("questionnaire").annotate(
        report_count=Count("reports"),
        accepted_count=Count("reports", filter=Q(reports__status=Report.Status.ACCEPTED)),
    )


def reports_of_cycle(cycle, *, status=None, region=None):
    reports = (
        Report.objects.filter(cycle=cycle)
        .annotate(version_count=Count("versions"))
        .order_by("country")
    )
    if status:
        reports = reports.filter(status=status)
    if region:
        reports = reports.filter(region=region)
    return reports


@dataclass
class Item:
    question: Question
    text: str
    answer: Answer | None
    evidence: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    clarify: bool = False
    # Set by the edit page: what its fields show (the stored answer, or what was posted
    # when the page comes back with a conflict or an error), and the prefill proposals.
    conflict: object = None
    errors: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    value_choice: str = ""
    value_text: str = ""
    value_language: str = ""
    value_revision: int = 0

    @property
    def is_empty(self):
        if self.question.kind == QuestionKind.EVIDENCE:
            return not self.evidence
        return self.answer is None or self.answer.is_empty


@dataclass
class SectionItems:
    section: Section
    title: str
    items: list


def report_sections(report, *, clarify_ids=()):
    """The questionnaire of `report` by section, each question with its answer, kept
    evidence and comments. Five queries whatever the questionnaire's length."""
    questionnaire_id = report.cycle.questionnaire_id
    sections = list(
        Section.objects.filter(questionnaire_id=questionnaire_id)
        .select_related("action_area")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("number"), to_attr="ordered")
        )
        .order_by("position", "pk")
    )
    answers = {a.question_id: a for a in Answer.objects.filter(report=report)}
    evidence = {}
    for item in Evidence.objects.filter(report=report, status=Evidence.Status.KEPT):
        evidence.setdefault(item.question_id, []).append(item)
    comments = {}
    for comment in Comment.objects.filter(report=report).select_related("author"):
        comments.setdefault(comment.question_id, []).append(comment)
    result = []
    for section in sections:
        items = [
            Item(
                question,
                content_in(question, "text"),
                answers.get(question.pk),
                evidence.get(question.pk, []),
                comments.get(question.pk, []),
                question.pk in clarify_ids,
            )
            for question in section.ordered
        ]
        result.append(SectionItems(section, content_in(section, "title"), items))
    return result, comments.get(None, [])


def latest_version(report):
    return report.versions.order_by("-number").prefetch_related("clarify").first()


def open_clarification(report):
    """The ids of the questions the secretariat asked to clarify, while the report is back."""
    if report.status != Report.Status.CLARIFICATION:
        return set()
    version = latest_version(report)
    return {q.pk for q in version.clarify.all()} if version else set()


@dataclass
class Change:
    question: Question
    text: str
    before: dict | None
    after: dict | None

    @property
    def changed(self):
        return (self.before or {}) != (self.after or {})


def compare_versions(version, previous=None):
    """Every question of the report, with its answer in `previous` and in `version`."""
    questions = Question.objects.filter(
        questionnaire_id=version.report.cycle.questionnaire_id
    ).order_by("number")
    before = previous.answers if previous else {}
    return [
        Change(q, content_in(q, "text"), before.get(q.key), version.answers.get(q.key))
        for q in questions
        if q.kind not in (QuestionKind.COUNTRY, QuestionKind.EVIDENCE)
    ]


def versions_of(report):
    return list(ReportVersion.objects.filter(report=report).order_by("number"))


def review_queue():
    return (
        ReportVersion.objects.filter(decision=ReportVersion.Decision.PENDING)
        .select_related("report__cycle")
        .order_by("submitted_at")
    )


def my_reporting(user):
    """My Hub's panel: the user's countries with their reports, and for the secretariat
    the number of submitted versions waiting for review (None for everyone else)."""
    roles = list(CountryRole.objects.filter(user=user).order_by("country"))
    reports = {}
    for report in Report.objects.filter(country__in=[r.country for r in roles]).select_related(
        "cycle"
    ):
        reports.setdefault(report.country.code, []).append(report)
    countries_ = [
        {
            "code": role.country.code,
            "name": role.country.name,
            "role_label": role.get_role_display(),
            "is_focal_point": role.role == CountryRole.Role.FOCAL_POINT,
            "reports": reports.get(role.country.code, []),
        }
        for role in roles
    ]
    to_review = review_queue().count() if user.has_perm("monitoring.manage") else None
    return {"countries": countries_, "to_review": to_review}
