"""The synthesis in figures: who reported, and for every closed question the share of
reporting Member States per answer, overall and by UNESCO region.

The figures count accepted reports only (those the secretariat validated). Shares are of
the reporting countries in the scope, so an optional question left empty shows as "No
answer" and the parts add up to 100. A breakdown over fewer than `MIN_COUNTRIES` countries
is withheld: with one or two countries, a share would disclose a country's answer.
Three queries whatever the number of countries, questions and cycles.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.formats import get_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.recommendation.content import content_in
from coalition.recommendation.regions import Region

from ..models import CHOICES_OF_KIND, CLOSED_KINDS, Answer, Choice, Question, QuestionKind, Report

MIN_COUNTRIES = 3
NO_ANSWER = "none"


@dataclass
class Share:
    choice: str
    label: str
    count: int
    total: int
    # The percentage as the page prints it ("16,7" in French), formatted once here: the
    # template's own number formatting of thousands of cells was most of the page's time.
    percent_text: str = ""

    @property
    def percent(self):
        return round(100 * self.count / self.total, 1) if self.total else 0.0


@dataclass
class Breakdown:
    key: str  # "all" or a region
    label: str
    total: int
    shares: list = field(default_factory=list)

    @property
    def withheld(self):
        return self.total < MIN_COUNTRIES


@dataclass
class QuestionFigures:
    question: Question
    text: str
    overall: Breakdown
    regions: list

    @property
    def rows(self):
        return [self.overall, *self.regions]


@dataclass
class ReportingCountry:
    code: str
    name: str
    region: str
    report_id: int
    is_public: bool


@dataclass
class RegionCount:
    region: str
    label: str
    count: int


@dataclass
class SynthesisFigures:
    countries: list
    by_region: list
    questions: list
    min_countries: int = MIN_COUNTRIES
    cache_key: str = ""  # set by kept_figures: what else is kept with them is filed under it

    @property
    def total(self):
        return len(self.countries)

    def digest(self):
        """Changes whenever a figure changes: the kept PDFs are rebuilt then."""
        data = [
            [c.code for c in self.countries],
            [
                [q.question.pk, [(s.choice, s.count) for s in q.overall.shares]]
                for q in self.questions
            ],
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def withheld_text():
    return ngettext(
        "Withheld: fewer than %(counter)s reporting country",
        "Withheld: fewer than %(counter)s reporting countries",
        MIN_COUNTRIES,
    ) % {"counter": MIN_COUNTRIES}


def choice_labels():
    labels = {choice.value: choice.label for choice in Choice}
    labels[NO_ANSWER] = _("No answer")
    return {key: str(label) for key, label in labels.items()}


def _breakdown(key, label, total, counts, kind, labels, separator="."):
    options = [c.value for c in CHOICES_OF_KIND[kind]]
    answered = sum(counts.get(option, 0) for option in options)
    shares = [Share(option, labels[option], counts.get(option, 0), total) for option in options]
    shares.append(Share(NO_ANSWER, labels[NO_ANSWER], max(total - answered, 0), total))
    for share in shares:
        share.percent_text = f"{share.percent:.1f}".replace(".", separator)
    return Breakdown(key, label, total, shares)


def accepted_reports(cycle):
    return Report.objects.filter(cycle=cycle, status=Report.Status.ACCEPTED)


def synthesis_figures(cycle):
    reports = list(accepted_reports(cycle).values("id", "country", "region", "is_public"))
    reporting = sorted(
        (
            ReportingCountry(
                r["country"], countries.name(r["country"]), r["region"], r["id"], r["is_public"]
            )
            for r in reports
        ),
        key=lambda c: c.name,
    )
    per_region = {region.value: 0 for region in Region}
    for country in reporting:
        if country.region in per_region:
            per_region[country.region] += 1
    by_region = [
        RegionCount(region.value, str(region.label), per_region[region.value]) for region in Region
    ]

    counts = {}
    rows = (
        Answer.objects.filter(
            report__cycle=cycle,
            report__status=Report.Status.ACCEPTED,
            question__kind__in=CLOSED_KINDS,
        )
        .exclude(choice="")
        .values_list("question_id", "report__region", "choice")
        .annotate(n=Count("id"))
    )
    for question_id, region, choice, n in rows:
        per_question = counts.setdefault(question_id, {})
        per_question.setdefault(region, {})[choice] = n
        per_question.setdefault("all", {})
        per_question["all"][choice] = per_question["all"].get(choice, 0) + n

    labels = choice_labels()
    separator = get_format("DECIMAL_SEPARATOR")
    questions = []
    closed = (
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id, kind__in=CLOSED_KINDS)
        .select_related("section")
        .order_by("number")
    )
    for question in closed:
        per_question = counts.get(question.pk, {})
        overall = _breakdown(
            "all",
            _("All reporting countries"),
            len(reporting),
            per_question.get("all", {}),
            question.kind,
            labels,
            separator,
        )
        regions = [
            _breakdown(
                row.region,
                row.label,
                row.count,
                per_question.get(row.region, {}),
                question.kind,
                labels,
                separator,
            )
            for row in by_region
        ]
        questions.append(QuestionFigures(question, content_in(question, "text"), overall, regions))
    return SynthesisFigures(reporting, by_region, questions)


FIGURES_CACHE_SECONDS = 24 * 3600


def kept_figures(cycle):
    """`synthesis_figures(cycle)`, kept in the cache under a stamp of the cycle's reports
    (their number and latest change: every answer saved, submission and decision moves
    it), so the synthesis page and its charts cost one small query while nothing changes."""
    stamp = Report.objects.filter(cycle=cycle).aggregate(n=Count("id"), last=Max("updated_at"))
    last = stamp["last"].isoformat() if stamp["last"] else "-"
    key = (
        f"monitoring:figures:{cycle.pk}:{cycle.questionnaire_id}:{get_language()}:"
        f"{stamp['n']}:{last}"
    )
    figures = cache.get(key)
    if figures is None:
        figures = synthesis_figures(cycle)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    figures.cache_key = key
    return figures


def published_reports(figures):
    """The reporting countries that chose to publish their report (each is accepted)."""
    return [country for country in figures.countries if country.is_public]


def free_text_answers(cycle, *, question=None, text="", area=None):
    """Free-text answers of accepted reports, searchable, for picking good practice."""
    answers = (
        Answer.objects.filter(
            report__cycle=cycle,
            report__status=Report.Status.ACCEPTED,
            question__kind__in=[QuestionKind.TEXT, QuestionKind.DETAILS],
        )
        .exclude(text="")
        .select_related("report", "question__section")
        .order_by("question__number", "report__country")
    )
    if question is not None:
        answers = answers.filter(question=question)
    if area:
        answers = answers.filter(question__section__action_area_id=area)
    for word in text.split()[:8]:
        answers = answers.filter(Q(text__icontains=word))
    return answers


def excerpts_by_area(synthesis):
    """Good-practice excerpts grouped by action area (section), in question order."""
    groups = {}
    for excerpt in synthesis.excerpts.select_related("report", "question__section"):
        section = excerpt.question.section
        groups.setdefault(section.pk, (section, []))[1].append(excerpt)
    return list(groups.values())
