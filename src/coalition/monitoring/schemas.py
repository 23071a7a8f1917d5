"""Shapes of national reporting in the JSON API. Output schemas list their fields
explicitly: nothing private (comments, who certified or decided, a withheld share) can
reach an answer by being added to a model."""

from datetime import date, datetime

from ninja import Field
from pydantic import BaseModel

from coalition.members.schemas import Language


class Out(BaseModel):
    pass


class Coded(Out):
    code: str
    name: str = Field(description="The code's name in the answer's language.")


class SynthesisRef(Out):
    published_at: datetime
    url: str = Field(description="The synthesis in this API.")
    page: str = Field(description="The synthesis's public page.")


class CycleOut(Out):
    slug: str
    title: str
    title_language: Language
    period_start: date
    period_end: date
    opens_at: datetime
    deadline: datetime
    time_zone: str
    status: Coded
    questionnaire_version: int
    accepted_reports: int = Field(description="Reports the secretariat accepted so far.")
    synthesis: SynthesisRef | None = Field(description="The published synthesis, if any.")
    page: str


class CycleList(Out):
    count: int
    items: list[CycleOut]


class Share(Out):
    answer: Coded = Field(description='An answer, or "none" for countries that gave none.')
    count: int
    percent: float


class Breakdown(Out):
    scope: str = Field(description='"all", or a UNESCO region\'s code.')
    name: str
    countries: int = Field(description="Reporting countries in the scope.")
    withheld: bool = Field(
        description="Fewer reporting countries than `min_countries`: the shares are withheld."
    )
    shares: list[Share] | None = Field(description="Null when withheld.")


class QuestionFigures(Out):
    number: int
    key: str
    text: str
    overall: Breakdown
    regions: list[Breakdown]


class ReportingCountry(Out):
    code: str
    name: str
    region: str = Field(description="The UNESCO region's code.")


class RegionCount(Out):
    region: str = Field(description="The UNESCO region's code.")
    name: str
    count: int


class PublishedReport(Out):
    country: Coded
    url: str = Field(description="The report in this API.")
    page: str


class SynthesisOut(Out):
    cycle: str = Field(description="The cycle's slug.")
    title: str
    published_at: datetime | None
    min_countries: int = Field(description="Smallest number of countries whose shares are shown.")
    reporting_countries: list[ReportingCountry]
    by_region: list[RegionCount]
    questions: list[QuestionFigures]
    published_reports: list[PublishedReport] = Field(
        description="The accepted reports whose countries chose to publish them."
    )
    page: str


class AnswerOut(Out):
    choice: Coded | None
    text: str
    language: str = Field(description="The language the answer is written in, if given.")
    updated_at: datetime


class EvidenceOut(Out):
    kind: Coded
    title: str
    url: str | None = Field(description="The link, or where the document is downloaded.")


class QuestionOut(Out):
    number: int
    key: str
    kind: str
    required: bool
    text: str
    answer: AnswerOut | None
    evidence: list[EvidenceOut]


class SectionOut(Out):
    key: str
    title: str
    questions: list[QuestionOut]


class ReportOut(Out):
    cycle: str
    country: Coded
    region: str = Field(description="The UNESCO region's code.")
    status: Coded
    language: str = Field(description="The usual language of the answers.")
    is_public: bool
    submitted_at: datetime | None
    accepted_at: datetime | None
    versions: int = Field(description="Versions submitted so far.")
    sections: list[SectionOut]
    page: str


class MyReport(Out):
    cycle: str
    status: Coded
    url: str
    page: str


class MyCountry(Out):
    country: Coded
    role: Coded
    reports: list[MyReport]


class MyCountries(Out):
    count: int
    items: list[MyCountry]
