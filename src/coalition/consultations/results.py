"""A survey's results: counts and percentages per question, free-text answers, exports.

Every figure is counted in the database in a fixed number of queries, whatever the number
of questions or responses: one per kind of figure, for all questions at once. Filters
(region, stakeholder type, working group) read the columns copied onto each response.
Exports walk the responses in pages of `EXPORT_PAGE` by primary key, so their memory
stays flat however many there are.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Case, CharField, Count, F, Max, Min, Q, When, Window
from django.db.models.functions import Cast, RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.core.charts import Chart, bar_height
from coalition.members.models import StakeholderType, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region

from .models import COUNTED_KINDS, SCALE_VALUES, Answer, Question, QuestionKind, Response

TEXT_ANSWERS_SHOWN = 20
EXPORT_PAGE = 1000
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
        path = reverse(
            "consultations:results-chart",
            kwargs={"slug": self.spec["survey"], "code": self.spec["code"]},
        )
        query = urlencode({**self.spec["filters"], "v": self.digest})
        return f"{path}?{query}"


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
            return list(WorkingGroup.objects.values_list("slug", flat=True))
        if question.kind == QuestionKind.ACTION_AREA:
            return [str(n) for n in ActionArea.objects.values_list("number", flat=True)]
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
    answers = Answer.objects.filter(
        question_id__in=[q.pk for q in questions], response__in=responses
    )
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


def _value_labels(question, answers, cells):
    values = []
    for answer in answers:
        if answer.is_other:
            values.append(cells.other % {"text": answer.text})
        elif answer.choice_id:
            values.append(cells.choices.get(answer.choice_id, ""))
        elif question.kind in CODE_KINDS:
            values.append(cells.code(question, answer.text))
        elif answer.number is not None:
            values.append(str(answer.number))
        else:
            values.append(answer.text)
    return values


def answer_lines(response):
    """`[(question, "label; label")…]` of one response, in the survey's order."""
    questions = survey_questions(response.survey)
    by_question = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    cells = _CellLabels(questions, Labels())
    return [
        (q, "; ".join(_value_labels(q, by_question[q.pk], cells)))
        for q in questions
        if q.pk in by_question
    ]


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


def _pages(responses):
    last = 0
    while True:
        page = list(
            responses.filter(pk__gt=last)
            .select_related("organization", "working_group")
            .order_by("pk")[:EXPORT_PAGE]
        )
        if not page:
            return
        yield page
        last = page[-1].pk


class _Answer:
    __slots__ = ("choice_id", "is_other", "number", "text")

    def __init__(self, choice_id, text, number, is_other):
        self.choice_id, self.text, self.number, self.is_other = choice_id, text, number, is_other


def _answers_by_response(page):
    found = {}
    rows = Answer.objects.filter(response_id__in=[r.pk for r in page]).values_list(
        "response_id", "question_id", "choice_id", "text", "number", "is_other"
    )
    for response_id, question_id, *values in rows.order_by("pk"):
        found.setdefault(response_id, {}).setdefault(question_id, []).append(_Answer(*values))
    return found


def export_rows(survey, filters=None):
    """The header, then one list of cells per submitted response (labels, this language)."""
    filters = filters or Filters()
    questions = survey_questions(survey)
    labels = Labels()
    cells = _CellLabels(questions, labels)
    regions = dict(Region.choices)
    types = {value: str(label) for value, label in StakeholderType.choices}
    yield export_header(questions)
    for page in _pages(filters.responses(survey)):
        answers = _answers_by_response(page)
        for response in page:
            mine = answers.get(response.pk, {})
            yield [
                response.pk,
                response.submitted_at.isoformat() if response.submitted_at else "",
                response.language,
                str(content_in(response.organization, "name")) if response.organization else "",
                str(regions.get(response.region, "")),
                types.get(response.stakeholder_type, ""),
                str(labels.group(response.working_group.slug)) if response.working_group else "",
                *(
                    "; ".join(_value_labels(q, mine[q.pk], cells)) if q.pk in mine else ""
                    for q in questions
                ),
            ]


def _json_value(question, answers):
    values = []
    for answer in answers:
        if answer.is_other:
            values.append({"other": answer.text})
        elif answer.choice_id:
            choice = next((c for c in question.choices.all() if c.pk == answer.choice_id), None)
            values.append(choice.value if choice else None)
        elif answer.number is not None:
            values.append(answer.number)
        else:
            values.append(answer.text)
    if question.kind == QuestionKind.MULTIPLE:
        return values
    return values[0] if values else None


def export_records(survey, filters=None):
    """One dict per submitted response, with codes rather than labels (for programs)."""
    filters = filters or Filters()
    questions = survey_questions(survey)
    for page in _pages(filters.responses(survey)):
        answers = _answers_by_response(page)
        for response in page:
            mine = answers.get(response.pk, {})
            yield {
                "response": response.pk,
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "language": response.language,
                "organization": response.organization.slug if response.organization else None,
                "region": response.region or None,
                "stakeholder_type": response.stakeholder_type or None,
                "working_group": response.working_group.slug if response.working_group else None,
                "answers": {q.code: _json_value(q, mine[q.pk]) for q in questions if q.pk in mine},
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
