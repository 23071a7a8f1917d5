"""Shapes of the consultations API: what goes out and what comes in.

Output schemas list fields explicitly: a comment, a draft report or who answered a
survey can never reach an answer by being added to a model. Times go out in UTC with
the organizer's IANA zone and the organizer's clock as a sentence in the answer's
language.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from coalition.members.schemas import LanguageQuery, Out, Page, RegionCode, Text
from coalition.members.schemas import StakeholderTypeCode as _StakeholderTypeCode

from .models import QuestionKind, Response

QuestionKindCode = Literal[tuple(QuestionKind.values)]  # type: ignore[valid-type]
ResponseStatus = Literal[tuple(Response.Status.values)]  # type: ignore[valid-type]
WindowState = Literal["upcoming", "open", "closed"]

SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"


class GroupRef(Out):
    slug: str
    name: str


# Consultations ---------------------------------------------------------------------------


class ConsultationOut(Out):
    slug: str
    title: Text
    description: Text = Field(description="Sanitized HTML, with the language it is written in.")
    starts_on: date
    ends_on: date
    time_zone: str = Field(description="IANA zone the consultation is announced in.")
    session_count: int
    url: str = Field(description="The consultation's page in the Hub.")


class ConsultationPage(Page):
    items: list[ConsultationOut]


class SessionOut(Out):
    event: str = Field(description="Slug of the event (see /api/activities/{slug}).")
    title: Text
    starts_at: datetime | None = Field(description="UTC.")
    ends_at: datetime | None = Field(description="UTC.")
    time_zone: str = Field(description="The organizer's IANA zone.")
    organizer_clock: str = Field(description="When, on the organizer's clock, as a sentence.")
    working_group: GroupRef | None = Field(
        description="The working group of the session; none for the whole Coalition."
    )


class SurveyRef(Out):
    slug: str
    title: Text
    opens_at: datetime = Field(description="UTC.")
    closes_at: datetime = Field(description="UTC; answers are refused from this instant.")
    time_zone: str = Field(description="IANA zone the window is announced in.")
    window: str = Field(description="The window on the organizer's clock, as a sentence.")
    state: WindowState
    allow_anonymous: bool = Field(description="Whether people without an account may answer.")


class ReportRef(Out):
    working_group: GroupRef
    author_name: str
    published_at: datetime | None
    url: str = Field(description="The report's page in the Hub.")
    pdf: str = Field(description="The report as a PDF.")


class ConsultationDetailOut(ConsultationOut):
    sessions: list[SessionOut]
    surveys: list[SurveyRef] = Field(description="Its published surveys.")
    comments_open_at: datetime | None
    comments_close_at: datetime | None
    comments_open: bool = Field(description="Whether members may comment now.")
    reports: list[ReportRef] = Field(description="Its published reports, one per working group.")


# Reports ---------------------------------------------------------------------------------


class QuoteOut(Out):
    text: str
    attribution: str = Field(description="Empty when quoted without the author's name.")


class GroupReportOut(ReportRef):
    consultation: str = Field(description="Slug of the consultation.")
    priorities: Text = Field(description="Sanitized HTML.")
    proposed_activities: Text = Field(description="Sanitized HTML.")
    tool_issues: Text = Field(description="Issues for the electronic tool; sanitized HTML.")
    quotes: list[QuoteOut]


# Surveys ---------------------------------------------------------------------------------


class ChoiceOut(Out):
    value: str
    label: Text


class ConditionOut(Out):
    question: str = Field(description="Code of the question the condition reads.")
    value: str = Field(description="Shown when that answer is (or includes) this value.")


class SurveyQuestionOut(Out):
    code: str
    kind: QuestionKindCode
    section: Text | None
    text: Text
    help_text: Text
    required: bool = Field(description="Must be answered to submit (when shown).")
    allow_other: bool = Field(description="Choice questions: an “other” answer with a text.")
    choices: list[ChoiceOut] = Field(
        description="Choices of a single or multiple choice question; for a scale, working "
        "group or action area, the values it takes; empty for the others."
    )
    min_value: int | None
    max_value: int | None
    show_if: ConditionOut | None


class SurveyOut(SurveyRef):
    consultation: str | None = Field(description="Slug of its consultation, if any.")
    introduction: Text = Field(description="Sanitized HTML.")
    refusal: str = Field(description="Why answers are refused now; empty while open.")
    questions: list[SurveyQuestionOut]


AnswerValue = int | str | list[str]


class ResponseIn(Schema):
    """Answers by question code. Single choice, country (ISO 3166-1 alpha-2), working group
    (slug) and free text: a string; scale, number and action area: a whole number;
    multiple choice: a list of choice values. An “other, please specify” answer is given
    in `others` (its text) and needs no choice value. Answers to questions whose condition
    is not met are dropped; a question left out is unanswered."""

    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    others: dict[str, str] = Field(
        default_factory=dict, description="Texts of “other, please specify”, by question code."
    )
    submit: bool = Field(
        False,
        description="True to submit (required questions must be answered); false to keep "
        "a draft to resume. A submitted response may be changed until the survey closes.",
    )
    send_copy: bool = Field(
        False, description="On submitting, send a copy of the answers by e-mail."
    )
    copy_to: str = Field(
        "",
        max_length=254,
        description="Anonymous answers: the address of the copy (not stored).",
    )


class ResponseOut(Out):
    survey: str
    status: ResponseStatus
    created_at: datetime
    submitted_at: datetime | None
    editable_until: datetime = Field(description="When the survey closes (UTC).")
    answers: dict[str, AnswerValue]
    others: dict[str, str]


# Results ---------------------------------------------------------------------------------


class ResultsQuery(LanguageQuery):
    region: RegionCode | None = None
    stakeholder_type: _StakeholderTypeCode | None = None
    working_group: str | None = Field(
        None, pattern=SLUG_PATTERN, max_length=50, description="Slug of a working group."
    )


class ResultRow(Out):
    label: str
    count: int
    percent: float = Field(description="Of the respondents who answered the question.")


class TextAnswerOut(Out):
    text: str
    is_other: bool = Field(description="The text of an “other, please specify” answer.")
    organization: str | None = Field(
        description="The respondent's organization; none for anonymous answers."
    )


class NumberSummary(Out):
    average: float | None
    low: int | None
    high: int | None


class QuestionResultOut(Out):
    code: str
    kind: QuestionKindCode
    text: Text
    answered: int = Field(description="Respondents (matching the filters) who answered.")
    skipped: int
    rows: list[ResultRow] = Field(description="Counts per value; empty for text and numbers.")
    other_count: int
    summary: NumberSummary | None = Field(description="Number questions only.")
    texts: list[TextAnswerOut] = Field(description="The latest free-text answers (20 at most).")
    chart: str | None = Field(description="The SVG chart of the counts.")


class ResultsOut(Out):
    survey: str
    filters: dict[str, str] = Field(description="The filters applied.")
    responses: int = Field(description="Submitted responses matching the filters.")
    questions: list[QuestionResultOut]


class ExportQuestion(Out):
    code: str
    kind: QuestionKindCode
    text: str
    required: bool
    choices: list[dict[str, str]]


class ExportRecord(Out):
    response: int
    submitted_at: str | None
    language: str
    organization: str | None
    region: str | None
    stakeholder_type: str | None
    working_group: str | None
    answers: dict[str, int | str | dict[str, str] | list[str | dict[str, str]] | None]


class ExportOut(Out):
    survey: str
    questions: list[ExportQuestion]
    responses: list[ExportRecord]
