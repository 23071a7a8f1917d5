"""A survey's results: counts and percentages per question, free-text answers, exports.

Every figure is counted in the database in a fixed number of queries, whatever the number
of questions or responses: one per kind of figure, for all questions at once. Filters
(region, stakeholder type, working group) read the columns copied onto each response.
Exports read the responses and their answers as two streams in step (`EXPORT_CHUNK` rows
at a time), so their memory stays flat however many there are.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Avg, Case, CharField, Count, F, Max, Min, Q, When, Window
from django.db.models.functions import Cast, RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.core.charts import Chart, bar_height
from coalition.members.models import StakeholderType, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region

from .models import COUNTED_KINDS, SCALE_VALUES, Answer, Question, QuestionKind, Response

TEXT_ANSWERS_SHOWN = 20
EXPORT_CHUNK = 2000
CODE_KINDS = (QuestionKind.COUNTRY, QuestionKind.WORKING_GROUP, QuestionKind.ACTION_AREA)


@dataclass(frozen=True)
class Filters:
    region: str = ""
    stakeholder_type: str = ""
    working_group: str = ""  # slug

    @classmethod
    def from_query(cls, query):
        region = query.get("region", "")
        kind = query.get("stakeholder_type", "")
        group = query.get("working_group", "")
        return cls(
            region=region if region in Region.values else "",
            stakeholder_type=kind if kind in StakeholderType.values else "",
            working_group=group if group and len(group) <= 50 else "",
        )

    def responses(self, survey):
        qs = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        if self.region:
            qs = qs.filter(region=self.region)
        if self.stakeholder_type:
            qs = qs.filter(stakeholder_type=self.stakeholder_type)
        if self.working_group:
            qs = qs.filter(working_group__slug=self.working_group)
        return qs

    def query(self):
        return {name: value for name, value in self.__dict__.items() if value}

    def __bool__(self):
        return bool(self.query())


@dataclass
class Row:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    other_count: int = 0
    summary: dict = field(default_factory=dict)
    chart: Chart | None = None

    @property
    def skipped(self):
        return max(self._total - self.answered, 0)

    _total: int = 0


class ResultsChart(Chart):
    @property
    def url(self):
        path = _chart_path(self.spec["survey"], get_language()).replace(
            "__code__", self.spec["code"]
        )
        query = urlencode({**self.spec["filters"], "v": self.digest})
        return f"{path}?{query}"


@lru_cache(maxsize=256)
def _chart_path(survey_slug, language):
    """The charts' address in the language's URL prefix, with a placeholder for the code."""
    return reverse("consultations:results-chart", kwargs={"slug": survey_slug, "code": "__code__"})


def _percent(count, base):
    return round(100 * count / base, 1) if base else 0.0


class Labels:
    """Names of the codes answers hold, in the interface language, read once per page."""

    def __init__(self):
        self._groups = None
        self._areas = None

    def group(self, slug):
        if self._groups is None:
            self._groups = {g.slug: content_in(g, "name") for g in WorkingGroup.objects.all()}
        return self._groups.get(slug, slug)

    def area(self, number):
        if self._areas is None:
            self._areas = {
                str(a.number): f"{a.number}. {content_in(a, 'short_title')}"
                for a in ActionArea.objects.all()
            }
        return self._areas.get(str(number), str(number))

    def code(self, question, code):
        if question.kind == QuestionKind.COUNTRY:
            return countries.name(code) or code
        if question.kind == QuestionKind.WORKING_GROUP:
            return str(self.group(code))
        return self.area(code)

    def scale(self, question, value):
        if value == SCALE_VALUES[0] and content_in(question, "scale_low_label"):
            return f"{value} – {content_in(question, 'scale_low_label')}"
        if value == SCALE_VALUES[-1] and content_in(question, "scale_high_label"):
            return f"{value} – {content_in(question, 'scale_high_label')}"
        return str(value)

    def all_codes(self, question):
        if question.kind == QuestionKind.WORKING_GROUP:
            self.group("")
            return list(self._groups)
        if question.kind == QuestionKind.ACTION_AREA:
            self.area("")
            return list(self._areas)
        return []


def survey_questions(survey):
    return list(
        survey.questions.select_related("section", "show_if_question").prefetch_related("choices")
    )


def _counts(answers, questions):
    """`{(question_id, key): count}` with key a choice id, a code or a scale value."""
    code_ids = [q.pk for q in questions if q.kind in CODE_KINDS]
    scale_ids = [q.pk for q in questions if q.kind == QuestionKind.SCALE]
    counted = [q.pk for q in questions if q.kind in COUNTED_KINDS]
    key = Case(
        When(question_id__in=code_ids or [0], then=F("text")),
        When(question_id__in=scale_ids or [0], then=Cast("number", CharField())),
        default=Cast("choice_id", CharField()),
        output_field=CharField(),
    )
    rows = (
        answers.filter(question_id__in=counted, is_other=False)
        .values("question_id", key=key)
        .annotate(n=Count("id"))
        .values_list("question_id", "key", "n")
        .order_by()
    )
    return {(question_id, key): n for question_id, key, n in rows}


def _answered(answers):
    rows = (
        answers.values("question_id")
        .annotate(
            n=Count("response_id", distinct=True), others=Count("id", filter=Q(is_other=True))
        )
        .values_list("question_id", "n", "others")
        .order_by()
    )
    return {question_id: (n, others) for question_id, n, others in rows}


def _number_summaries(answers, questions):
    ids = [q.pk for q in questions if q.kind == QuestionKind.NUMBER]
    if not ids:
        return {}
    rows = (
        answers.filter(question_id__in=ids)
        .values("question_id")
        .annotate(average=Avg("number"), low=Min("number"), high=Max("number"))
        .order_by()
    )
    return {row["question_id"]: row for row in rows}


def _texts(answers, questions, limit=TEXT_ANSWERS_SHOWN):
    """The latest free-text (and "other") answers of each question, `limit` each, one query."""
    ids = [q.pk for q in questions if q.kind == QuestionKind.TEXT or q.allow_other]
    if not ids:
        return {}
    rows = (
        answers.filter(question_id__in=ids)
        .filter(Q(question__kind=QuestionKind.TEXT) | Q(is_other=True))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").desc())
        )
        .filter(rank__lte=limit)
        .select_related("response__organization")
        .order_by("question_id", "-id")
    )
    found = {}
    for answer in rows:
        found.setdefault(answer.question_id, []).append(answer)
    return found


def _rows(question, counts, answered, labels):
    if question.is_choice:
        keyed = [(str(c.pk), str(content_in(c, "label"))) for c in question.choices.all()]
    elif question.kind == QuestionKind.SCALE:
        keyed = [(str(v), labels.scale(question, v)) for v in SCALE_VALUES]
    elif question.kind == QuestionKind.COUNTRY:
        found = sorted(
            ((key, n) for (qid, key), n in counts.items() if qid == question.pk),
            key=lambda item: (-item[1], item[0]),
        )
        keyed = [(key, labels.code(question, key)) for key, _n in found]
    else:
        keyed = [(code, labels.code(question, code)) for code in labels.all_codes(question)]
    rows = [Row(label, counts.get((question.pk, key), 0), 0.0) for key, label in keyed if label]
    for row in rows:
        row.percent = _percent(row.count, answered)
    return rows


def _chart(survey, question, rows, filters):
    if not rows:
        return None
    return ResultsChart(
        f"{survey.slug}-{question.code}",
        {
            "kind": "bars",
            "width": 720,
            "height": bar_height(len(rows)),
            "title": f"{question.code}. {content_in(question, 'text')}",
            "axis": _("Respondents"),
            "labels": [row.label for row in rows],
            "values": [row.count for row in rows],
            "survey": survey.slug,
            "code": question.code,
            "filters": filters.query(),
        },
    )


def survey_results(survey, filters=None, *, only=None, texts=True):
    """`(total, [QuestionResult…])` for the submitted responses that match `filters`."""
    filters = filters or Filters()
    questions = survey_questions(survey) if only is None else [only]
    responses = filters.responses(survey)
    total = responses.count()
    # Read through the (filtered) responses' index; one question only narrows further.
    answers = Answer.objects.filter(response__in=responses)
    if only is not None:
        answers = answers.filter(question=only)
    counts = _counts(answers, questions)
    answered = _answered(answers)
    numbers = _number_summaries(answers, questions)
    text_answers = _texts(answers, questions) if texts else {}
    labels = Labels()
    results = []
    for question in questions:
        n, others = answered.get(question.pk, (0, 0))
        result = QuestionResult(question=question, answered=n, other_count=others, _total=total)
        if question.kind in COUNTED_KINDS:
            result.rows = _rows(question, counts, n, labels)
            if question.allow_other and question.is_choice:
                result.rows.append(Row(_("Other"), others, _percent(others, n)))
            result.chart = _chart(survey, question, result.rows, filters)
        if question.kind == QuestionKind.NUMBER and question.pk in numbers:
            result.summary = numbers[question.pk]
        result.texts = text_answers.get(question.pk, [])
        results.append(result)
    return total, results


# --- one response, as lines (the copy sent by e-mail) and as export rows ---


class _CellLabels:
    """The label of each stored value, each looked up once per export (not once per cell)."""

    def __init__(self, questions, labels):
        self.labels = labels
        self.choices = {
            c.pk: str(content_in(c, "label")) for q in questions for c in q.choices.all()
        }
        self.codes = {}
        self.other = _("Other: %(text)s")

    def code(self, question, value):
        key = (question.kind, value)
        if key not in self.codes:
            self.codes[key] = self.labels.code(question, value)
        return self.codes[key]


# An answer as the exports read it: (response_id, question_id, choice_id, text, number, is_other).
ANSWER_COLUMNS = ("response_id", "question_id", "choice_id", "text", "number", "is_other")


def _cell(question, rows, cells):
    """The labels of one question's answers in a response, joined by "; "."""
    values = []
    for _response, _question, choice_id, text, number, is_other in rows:
        if is_other:
            values.append(cells.other % {"text": text})
        elif choice_id:
            values.append(cells.choices.get(choice_id, ""))
        elif question.kind in CODE_KINDS:
            values.append(cells.code(question, text))
        elif number is not None:
            values.append(str(number))
        else:
            values.append(text)
    return "; ".join(values)


def answer_lines(response):
    """`[(question, "label; label")…]` of one response, in the survey's order."""
    questions = survey_questions(response.survey)
    by_question = {}
    for row in response.answers.order_by("pk").values_list(*ANSWER_COLUMNS):
        by_question.setdefault(row[1], []).append(row)
    cells = _CellLabels(questions, Labels())
    return [(q, _cell(q, by_question[q.pk], cells)) for q in questions if q.pk in by_question]


def export_header(questions):
    fixed = [
        _("Response"),
        _("Submitted (UTC)"),
        _("Language"),
        _("Organization"),
        _("UNESCO region"),
        _("Stakeholder type"),
        _("Working group"),
    ]
    return fixed + [f"{q.code}. {content_in(q, 'text')}" for q in questions]


def _responses_with_answers(responses):
    """Each response with `{question_id: [answer rows]}`, from two streams read in step:
    the responses by id, and their answers by response id. Memory holds one chunk of each."""
    answers = (
        Answer.objects.filter(response__in=responses)
        .order_by("response_id", "pk")
        .values_list(*ANSWER_COLUMNS)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    pending = next(answers, None)
    rows = responses.select_related("organization", "working_group").order_by("pk")
    for response in rows.iterator(chunk_size=EXPORT_CHUNK):
        mine = {}
        while pending is not None and pending[0] < response.pk:
            pending = next(answers, None)
        while pending is not None and pending[0] == response.pk:
            mine.setdefault(pending[1], []).append(pending)
            pending = next(answers, None)
        yield response, mine


def export_rows(survey, filters=None):
    """The header, then one list of cells per submitted response (labels, this language)."""
    filters = filters or Filters()
    questions = survey_questions(survey)
    labels = Labels()
    cells = _CellLabels(questions, labels)
    regions = {value: str(label) for value, label in Region.choices}
    types = {value: str(label) for value, label in StakeholderType.choices}
    organizations = {}
    yield export_header(questions)
    for response, mine in _responses_with_answers(filters.responses(survey)):
        organization = ""
        if response.organization_id:
            if response.organization_id not in organizations:
                organizations[response.organization_id] = str(
                    content_in(response.organization, "name")
                )
            organization = organizations[response.organization_id]
        yield [
            response.pk,
            response.submitted_at.isoformat() if response.submitted_at else "",
            response.language,
            organization,
            regions.get(response.region, ""),
            types.get(response.stakeholder_type, ""),
            str(labels.group(response.working_group.slug)) if response.working_group else "",
            *(_cell(q, mine[q.pk], cells) if q.pk in mine else "" for q in questions),
        ]


def _json_value(question, rows, choice_values):
    values = []
    for _response, _question, choice_id, text, number, is_other in rows:
        if is_other:
            values.append({"other": text})
        elif choice_id:
            values.append(choice_values.get(choice_id))
        elif number is not None:
            values.append(number)
        else:
            values.append(text)
    if question.kind == QuestionKind.MULTIPLE:
        return values
    return values[0] if values else None


def export_records(survey, filters=None):
    """One dict per submitted response, with codes rather than labels (for programs)."""
    filters = filters or Filters()
    questions = survey_questions(survey)
    choice_values = {c.pk: c.value for q in questions for c in q.choices.all()}
    for response, mine in _responses_with_answers(filters.responses(survey)):
        yield {
            "response": response.pk,
            "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
            "language": response.language,
            "organization": response.organization.slug if response.organization else None,
            "region": response.region or None,
            "stakeholder_type": response.stakeholder_type or None,
            "working_group": response.working_group.slug if response.working_group else None,
            "answers": {
                q.code: _json_value(q, mine[q.pk], choice_values) for q in questions if q.pk in mine
            },
        }


def question_schema(survey):
    """The questions as the JSON export describes them (codes, kinds, choices)."""
    return [
        {
            "code": q.code,
            "kind": q.kind,
            "text": str(content_in(q, "text")),
            "required": q.required,
            "choices": [
                {"value": c.value, "label": str(content_in(c, "label"))} for c in q.choices.all()
            ],
        }
        for q in survey_questions(survey)
    ]
