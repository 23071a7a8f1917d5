"""A survey's results: counts and percentages per question, free-text answers, exports.

Every figure is counted in the database in a fixed number of queries, whatever the number
of questions or responses: one per kind of figure, for all questions at once. Filters
(region, stakeholder type, working group) read the columns copied onto each response.
Exports read the responses and their answers as two streams in step (`EXPORT_CHUNK` rows
at a time), so their memory stays flat however many there are.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.db import connections
from django.db.models import Avg, Case, CharField, Count, F, Max, Min, Q, When, Window
from django.db.models.functions import Cast, RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.core import page_cache
from coalition.core.charts import Chart, bar_height
from coalition.members.models import StakeholderType, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region

from .models import COUNTED_KINDS, SCALE_VALUES, Answer, Question, QuestionKind, Response

TEXT_ANSWERS_SHOWN = 20
# Computed results are kept under the survey's stamp, which every saved response and
# every change of its questions moves; the timeout bounds what nothing announces.
RESULTS_CACHE_SECONDS = 6 * 3600
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


def results_stamp(survey_id):
    return f"survey-results:{survey_id}"


def results_changed(survey_id):
    """New answers or questions: the results kept for the survey are computed again."""
    page_cache.touch(results_stamp(survey_id))


def kept_survey_results(survey, filters=None, *, only=None, texts=True):
    """`survey_results`, kept under the versions of the survey's answers and questions and
    of the members' names it shows (organizations, working groups): one query to read the
    versions when nothing changed, whatever the number of responses."""
    filters = filters or Filters()
    stamps = page_cache.versions([results_stamp(survey.pk), "members"])
    parts = [f"{name}={value}" for name, value in sorted(filters.query().items())]
    key = ":".join(
        (
            "survey-results",
            str(survey.pk),
            get_language() or "",
            only.code if only is not None else "*",
            "texts" if texts else "counts",
            *stamps,
            "&".join(parts),
        )
    )
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=20).hexdigest()
    found = cache.get(digest)
    if found is None:
        found = survey_results(survey, filters, only=only, texts=texts)
        cache.set(digest, found, RESULTS_CACHE_SECONDS)
    return found


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


# A response as the exports read it, without building model instances.
RESPONSE_COLUMNS = (
    "pk",
    "submitted_at",
    "language",
    "organization_id",
    "region",
    "stakeholder_type",
    "working_group_id",
)


def _raw(queryset, chunk=EXPORT_CHUNK):
    """The rows of a values_list query set as the driver gives them, `chunk` at a time from
    a server-side cursor on PostgreSQL (a stepping cursor on SQLite): no converters, no
    model instances. For columns whose raw values are what they mean (ids, texts, numbers;
    a boolean may come as 0/1)."""
    connection = connections[queryset.db]
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _responses_with_answers(responses):
    """Each response (a tuple of RESPONSE_COLUMNS) with `{question_id: [answer rows]}`,
    from two streams read in step: the responses by id, and their answers by response
    id. Memory holds one chunk of each."""
    answers = _raw(
        Answer.objects.filter(response__in=responses)
        .order_by("response_id", "pk")
        .values_list(*ANSWER_COLUMNS)
    )
    pending = next(answers, None)
    rows = responses.order_by("pk").values_list(*RESPONSE_COLUMNS)
    for response in rows.iterator(chunk_size=EXPORT_CHUNK):
        pk, mine = response[0], {}
        while pending is not None and pending[0] < pk:
            pending = next(answers, None)
        while pending is not None and pending[0] == pk:
            mine.setdefault(pending[1], []).append(pending)
            pending = next(answers, None)
        yield response, mine


def _organizations(responses, field):
    """`{organization id: field}` of the organizations the responses name, in one query."""
    from coalition.members.models import Organization

    found = Organization.objects.filter(
        pk__in=responses.exclude(organization=None).values("organization_id")
    )
    if field == "slug":
        return dict(found.values_list("pk", "slug"))
    return {o.pk: str(content_in(o, "name")) for o in found}


def _formatter(question, cells):
    """The label of one answer row of `question` (as `_cell` gives it), for the CSV."""
    other = cells.other
    if question.is_choice:
        choices = cells.choices
        return lambda row: other % {"text": row[3]} if row[5] else choices.get(row[2], "")
    if question.kind in CODE_KINDS:
        return lambda row: cells.code(question, row[3])
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return lambda row: "" if row[4] is None else str(row[4])
    return lambda row: row[3]


def export_rows(survey, filters=None):
    """The header, then one list of cells per submitted response (labels, this language).

    The columns are worked out once: each question's place in the row and the label of
    every stored value, so that a row is filled by looking values up, not by asking."""
    filters = filters or Filters()
    questions = survey_questions(survey)
    labels = Labels()
    cells = _CellLabels(questions, labels)
    regions = {value: str(label) for value, label in Region.choices}
    types = {value: str(label) for value, label in StakeholderType.choices}
    groups = {g.pk: str(labels.group(g.slug)) for g in WorkingGroup.objects.all()}
    responses = filters.responses(survey)
    organizations = _organizations(responses, "name")
    formats = {q.pk: _formatter(q, cells) for q in questions}
    fixed = len(RESPONSE_COLUMNS)
    column = {q.pk: fixed + index for index, q in enumerate(questions)}
    width = fixed + len(questions)
    yield export_header(questions)
    for response, mine in _responses_with_answers(responses):
        pk, submitted_at, language, organization, region, kind, group = response
        row = [""] * width
        row[0] = pk
        row[1] = submitted_at.isoformat() if submitted_at else ""
        row[2] = language
        row[3] = organizations.get(organization, "")
        row[4] = regions.get(region, "")
        row[5] = types.get(kind, "")
        row[6] = groups.get(group, "")
        for question_id, answers in mine.items():
            if question_id not in column:
                continue
            if len(answers) == 1:  # the commonest case, without the general join
                value = formats[question_id](answers[0])
            else:
                value = "; ".join(formats[question_id](answer) for answer in answers)
            row[column[question_id]] = value
        yield row


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
    groups = dict(WorkingGroup.objects.values_list("pk", "slug"))
    responses = filters.responses(survey)
    organizations = _organizations(responses, "slug")
    for response, mine in _responses_with_answers(responses):
        pk, submitted_at, language, organization, region, kind, group = response
        yield {
            "response": pk,
            "submitted_at": submitted_at.isoformat() if submitted_at else None,
            "language": language,
            "organization": organizations.get(organization),
            "region": region or None,
            "stakeholder_type": kind or None,
            "working_group": groups.get(group),
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


def json_export(survey, filters=None):
    """The JSON export as a stream of strings: the questions, then the responses one by one."""
    head = {"survey": survey.slug, "questions": question_schema(survey)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "responses": ['
    first = True
    for record in export_records(survey, filters):
        yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}"
