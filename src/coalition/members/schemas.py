"""Shapes of the members API: what goes out (public fields only) and what comes in.

Output schemas list fields explicitly, so a private model field (a person's e-mail or
gender) can never reach an answer by being added to a model: it would have to be
added here, on purpose.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from coalition.recommendation.languages import UN_LANGUAGES
from coalition.recommendation.regions import Region

from .models import StakeholderType

# The six UN languages as the API accepts them, e.g. `?lang=fr` or a `names` key.
Language = Literal[UN_LANGUAGES]  # type: ignore[valid-type]
StakeholderTypeCode = Literal[tuple(StakeholderType.values)]  # type: ignore[valid-type]
RegionCode = Literal[tuple(Region.values)]  # type: ignore[valid-type]


class Out(BaseModel):
    """What the API answers. The operations build plain dicts, so the answers are
    validated as such (a ninja Schema would also read attributes of model objects)."""


DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Far beyond any list the Hub holds, and within every database's integer range (a larger
# offset would overflow PostgreSQL's bigint).
MAX_OFFSET = 10**9
# What the filters accept, as the server checks it (an unknown code or slug of this shape
# is a 400 with the reason).
COUNTRY_PATTERN = r"^(?:[A-Za-z]{2})?$"  # empty: no filter
SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"


class LanguageQuery(Schema):
    lang: Language | None = Field(
        None, description="Language of the answer (else Accept-Language, else English)."
    )


class PageQuery(LanguageQuery):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def country_filter():
    return Field(
        None,
        pattern=COUNTRY_PATTERN,
        description="ISO 3166-1 alpha-2 code, e.g. MG (any case); an unknown code is a 400.",
    )


def working_group_filter():
    return Field(
        None,
        pattern=SLUG_PATTERN,
        max_length=100,
        description="Slug of a working group (see /api/working-groups); an unknown one is a 400.",
    )


class OrganizationFilters(PageQuery):
    q: str = Field("", max_length=100, description="Words in a name or acronym.")
    stakeholder_type: StakeholderTypeCode | None = None
    region: RegionCode | None = None
    country: str | None = country_filter()
    working_group: str | None = working_group_filter()


class PeopleFilters(PageQuery):
    q: str = Field("", max_length=100, description="Words in a name or role title.")
    country: str | None = country_filter()
    working_group: str | None = working_group_filter()


class Choice(Out):
    """A coded value with its name in the answer's language."""

    code: str
    name: str


class Text(Out):
    """A translatable text: the value found, in which language, and whether it is a fallback."""

    value: str
    language: str = Field(description="Language of `value` (a UN language code).")
    is_fallback: bool = Field(
        description="True when `value` is not in the requested language (not yet translated)."
    )


class Error(Out):
    detail: str = Field(description="Why the request failed, in the answer's language.")
    errors: dict[str, list[str]] | None = Field(
        None, description="For invalid input: messages by field name (`__all__` for the whole)."
    )


class Page(Out):
    count: int = Field(description="Number of items matching the filters, on all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, if any.")
    previous: str | None = Field(description="URL of the previous page, if any.")


# Organizations ---------------------------------------------------------------------------


class OrganizationOut(Out):
    id: int
    slug: str
    name: str = Field(description="Name in the requested language, else its fallback.")
    name_language: str = Field(description="Language of `name`.")
    names: dict[str, str] = Field(description="Every name the organization has, by language.")
    acronym: str
    stakeholder_type: Choice
    country: Choice
    region: Choice | None
    website: str
    description: Text = Field(description="Sanitized HTML, with the language it is written in.")
    working_groups: list[str] = Field(description="Slugs of the working groups it takes part in.")
    joined_on: date | None
    url: str = Field(description="The organization's page in the Hub.")


class OrganizationDetailOut(OrganizationOut):
    status: Literal["applied", "member", "inactive"] = Field(
        description="Only members are public; the others are shown to who may edit them."
    )
    descriptions: dict[str, str] = Field(
        description="Every description (sanitized HTML) the organization has, by language."
    )


class OrganizationPage(Page):
    items: list[OrganizationOut]


class OrganizationPatch(Schema):
    """Fields a focal point may change; leave a field out to keep its value."""

    acronym: str | None = Field(None, max_length=40)
    website: str | None = Field(None, max_length=200)
    stakeholder_type: str | None = None
    country: str | None = Field(None, max_length=2)
    names: dict[Language, str] | None = Field(
        None, description="Names by language; an empty string removes a translation."
    )
    descriptions: dict[Language, str] | None = Field(
        None, description="Descriptions (HTML, sanitized on save) by language."
    )


class ApplicationIn(Schema):
    """The web application form, as JSON. Validated by the same rules as the form."""

    organization_name: str
    acronym: str = ""
    stakeholder_type: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. MG.")
    website: str = ""
    description: str = Field(description="What the organization does for OER (HTML allowed).")
    applicant_name: str
    applicant_email: str
    applicant_role_title: str
    motivation: str = ""
    privacy_consent: bool = Field(
        False, description="Must be true: the applicant accepts the privacy notice."
    )
    language: Language | None = Field(
        None,
        description="Language of the name and description given, and of our replies "
        "(default: the request's language).",
    )


class OrganizationRef(Out):
    slug: str
    name: str
    name_language: str


class ApplicationOut(Out):
    id: int
    status: Literal["pending", "approved", "declined"]
    organization: OrganizationRef
    submitted_at: datetime
    decided_at: datetime | None


class DeclineIn(Schema):
    reason: str = Field(max_length=2000, description="Sent to the applicant.")


# People ----------------------------------------------------------------------------------


class AffiliationOut(Out):
    organization: OrganizationRef
    role_title: str


class GroupRoleOut(Out):
    slug: str
    name: str
    role: Choice


class PersonOut(Out):
    slug: str
    name: str
    country: Choice | None
    affiliations: list[AffiliationOut] = Field(description="Member organizations only.")
    working_groups: list[GroupRoleOut] = Field(description="Active memberships only.")
    url: str


class PersonPage(Page):
    items: list[PersonOut]


# Working groups --------------------------------------------------------------------------


class ActionAreaOut(Out):
    number: int
    title: Text
    short_title: Text


class PersonRef(Out):
    slug: str
    name: str
    url: str


class WorkingGroupOut(Out):
    slug: str
    name: str = Field(description="Name in the requested language, else its fallback.")
    name_language: str
    names: dict[str, str]
    description: Text
    action_area: ActionAreaOut
    chairs: list[PersonRef] = Field(description="Chairs with a public profile.")
    rapporteurs: list[PersonRef] = Field(description="Rapporteurs with a public profile.")
    organizations: list[str] = Field(description="Slugs of the member organizations in it.")
    organization_count: int
    member_count: int = Field(description="Active members, with or without a public profile.")
    url: str


class WorkingGroupList(Out):
    count: int
    items: list[WorkingGroupOut]


class MembershipRequestIn(Schema):
    message: str = Field("", max_length=2000, description="Message to the chairs.")


class MembershipOut(Out):
    id: int
    working_group: str
    person: PersonRef
    role: Choice
    status: Literal["requested", "active", "declined"]
    requested_at: datetime
    decided_at: datetime | None
