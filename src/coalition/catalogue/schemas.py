"""Shapes of the catalogue in the JSON API. Output schemas list their fields explicitly:
nothing private (who submitted, harvest leases) can reach an answer by accident."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from coalition.members.schemas import Language

from .models import LicenceClass

LicenceClassCode = Literal[tuple(LicenceClass.values)]  # type: ignore[valid-type]
Sort = Literal["relevance", "date"]


class Out(BaseModel):
    pass


class SearchQuery(Schema):
    q: str = Field("", max_length=2000, description='Words, "phrases", prefix*, -excluded.')
    licence: list[LicenceClassCode] = Field([], description="Licence class codes (OR).")
    language: list[str] = Field([], description="Primary language subtags, e.g. fr, zh.")
    type: list[str] = Field([], description="Learning resource type codes.")
    level: list[str] = Field([], description="Educational level codes.")
    subject: list[str] = Field([], description="Subjects, as written by the sources.")
    year: list[int] = Field([], description="Years of publication.")
    source: list[int] = Field([], description="Source ids.")
    area: list[int] = Field([], description="Action areas of the Recommendation (1-5).")
    region: list[str] = Field([], description="UNESCO region codes of the sources.")
    sort: Sort | None = Field(None, description="Relevance when there are words, else date.")
    page: int = Field(1, ge=1, le=500)
    per_page: int = Field(20, ge=1, le=100)
    lang: Language | None = None


class Person(Out):
    name: str
    orcid: str = ""


class Licence(Out):
    spdx: str = Field(description="SPDX id of the canonical licence; empty when none applies.")
    url: str
    licence_class: LicenceClassCode = Field(description="open, open-nc, not-open or unknown.")
    class_label: str = Field(description="The class in words, in the answer's language.")
    reason: str = Field(description="Why, in the answer's language.")
    rights_statement: str = Field(description="What the source said, as harvested.")


class Provenance(Out):
    source_id: int
    source: str
    organization: str
    identifier: str = Field(description="The record's identifier at its source.")
    datestamp: datetime | None
    licence: Licence


class RecordOut(Out):
    hub_id: UUID
    url: str = Field(description="The record's page on the Hub.")
    title: str
    title_language: str
    description: str
    creators: list[Person]
    publisher: str
    year: int | None
    date_created: date | None
    languages: list[str]
    subjects: list[str]
    keywords: list[str]
    coverage: list[str]
    learning_resource_type: str
    educational_level: str
    links: list[str]
    doi: str
    licence: Licence
    sources: list[str]


class RecordDetailOut(RecordOut):
    audience: str
    media_format: str
    accessibility: str
    action_areas: list[int]
    provenance: list[Provenance] = Field(description="Every source's copy of this OER.")


class FacetValue(Out):
    value: str
    label: str
    count: int


class SearchPage(Out):
    count: int
    count_is_lower_bound: bool = Field(description="True past 10,000 matches.")
    page: int
    per_page: int
    next: str | None
    items: list[RecordOut]
    facets: dict[str, list[FacetValue]]


class RecordIn(Schema):
    """A hand-made record. Checked by the record form of the pages."""

    organization: str | None = Field(
        None, description="Slug of the member organization (only needed when you act for several)."
    )
    title: str = Field(max_length=1000)
    title_language: str = Field(max_length=35, description="BCP 47, e.g. en, fr, pt-BR.")
    description: str = ""
    creators: list[Person] = []
    publisher: str = ""
    date_created: date | None = None
    languages: list[str] = []
    urls: list[str] = Field(description="At least one http(s) link to the resource.")
    learning_resource_type: str = ""
    educational_level: str = ""
    subjects: list[str] = []
    keywords: list[str] = []
    coverage: list[str] = Field([], description="Places or periods the resource is about.")
    audience: str = ""
    media_format: str = ""
    licence: str = Field("", description="SPDX id, e.g. CC-BY-4.0.")
    rights_statement: str = Field("", description="If no SPDX licence fits.")
    doi: str = ""
    accessibility: str = ""
    action_areas: list[int] = []


class RecordSubmissionOut(Out):
    id: int
    status: str
    title: str
    organization: str
    is_edit: bool
    submitted_at: datetime
    message: str
    record: str | None = Field(description="The record's page once published.")


class RecordSubmissionPage(Out):
    count: int
    items: list[RecordSubmissionOut]


class RecordDecisionIn(Schema):
    message: str = Field("", max_length=4000, description="Required to decline or ask changes.")


class SourceOut(Out):
    id: int
    slug: str
    name: str
    kind: str
    organization: str
    base_url: str
    metadata_prefix: str
    status: str
    record_count: int
    url: str


class SourceIn(Schema):
    organization: str = Field(description="Slug of the member organization.")
    base_url: str = Field(max_length=500)
    name: str = ""
    set_spec: str = ""
    harvest_every_hours: int = Field(24, ge=0, le=8760)


class LicenceCheckIn(Schema):
    statements: list[str] = Field(
        min_length=1, max_length=200, description="Rights statements, one per item."
    )


class LicenceReading(Out):
    statement: str
    spdx: str
    name: str
    url: str
    version: str
    jurisdiction: str
    licence_class: LicenceClassCode
    class_label: str
    reason: str
    access_right: str


class LicenceCheckOut(Out):
    readings: list[LicenceReading] = Field(description="Each statement read on its own.")
    together: LicenceReading = Field(description="All statements read as one record's.")
