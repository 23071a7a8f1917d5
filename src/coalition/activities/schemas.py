"""Shapes of the activities API: what goes out (public fields only) and what comes in.

Output schemas list fields explicitly, so a private field of an activity (the access link
of a webinar, a contact e-mail the submitter did not make public, registrants) can never
reach a public answer by being added to a model: it would have to be added here, on purpose.

Times go out in UTC (ISO 8601 with `Z`) beside the organizer's IANA zone and the
organizer's clock as a sentence in the answer's language ("Thursday 9 March 2023,
16:00–17:00 CET"). Times come in as ISO 8601 instants **with their offset** (`Z` or
`+01:00`), with `time_zone` naming the zone the organizer announces them in.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from coalition.members.schemas import (
    SLUG_PATTERN,
    Choice,
    Language,
    OrganizationRef,
    Out,
    Page,
    PageQuery,
    PersonRef,
    RegionCode,
    Text,
    country_filter,
    working_group_filter,
)

from .models import EventFormat, Kind, Registration, State, Submission

KindCode = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
EventFormatCode = Literal[tuple(EventFormat.values)]  # type: ignore[valid-type]
StateCode = Literal[tuple(State.values)]  # type: ignore[valid-type]
SubmissionStatus = Literal[tuple(Submission.Status.values)]  # type: ignore[valid-type]
RegistrationStatus = Literal[tuple(Registration.Status.values)]  # type: ignore[valid-type]


# Filters ---------------------------------------------------------------------------------

LANGUAGE_PATTERN = r"^(?:[A-Za-z]{2})?$"  # empty: no filter


class _Filters(PageQuery):
    """The filters of the activity and event pages, with the same meaning."""

    q: str = Field("", max_length=100, description="Words in a title, in any language.")
    action_area: int | None = Field(
        None, ge=1, le=5, description="Number of an action area of the Recommendation (1–5)."
    )
    working_group: str | None = working_group_filter()
    language: str | None = Field(
        None,
        pattern=LANGUAGE_PATTERN,
        description="ISO 639-1 code (two letters, any case) of a language it is held or "
        "published in, e.g. pt; a language no published activity uses is a 400.",
    )
    region: RegionCode | None = Field(None, description="UNESCO region concerned.")
    country: str | None = country_filter()
    organization: str | None = Field(
        None,
        pattern=SLUG_PATTERN,
        max_length=100,
        description="Slug of an organizing member organization (see /api/organizations); "
        "an unknown one, or one that is not a member, is a 400.",
    )
    date_from: date | None = Field(
        None, description="Only what ends on or after this day (undated items: published then)."
    )
    date_to: date | None = Field(
        None,
        description="Only what starts on or before this day (undated items: published then). "
        "Not before `date_from`: a period that ends before it starts is a 400.",
    )


class ActivityFilters(_Filters):
    kind: KindCode | None = None


class EventFilters(_Filters):
    when: Literal["upcoming", "past"] = Field(
        "upcoming",
        description="Upcoming events (not yet over, soonest first) or past ones (latest first).",
    )


class SubmissionFilters(PageQuery):
    status: SubmissionStatus = Field(
        Submission.Status.PENDING.value, description="`pending`: the moderation queue."
    )


# Activities out --------------------------------------------------------------------------


class LinkOut(Out):
    label: str
    url: str


class ContactOut(Out):
    name: str
    email: str


class RegistrationInfo(Out):
    required: bool = Field(description="Participants register to take part.")
    open: bool = Field(
        description="A registration would be taken now: required, open, not cancelled, not "
        "over. When no place is left it goes to the waiting list."
    )
    capacity: int | None = Field(description="Number of places; null: no limit.")
    places_left: int | None = Field(description="Places not yet taken; null: no limit.")


class CitedRecordOut(Out):
    hub_id: str = Field(description="The record's Hub id, as in the catalogue's API.")
    title: str
    title_language: str = Field(description="BCP 47 language of the title (empty: not known).")
    licence_class: Choice = Field(
        description="How the Recommendation reads its licence: `open`, `open-nc`, `not-open` "
        "or `unknown`, with its name."
    )
    url: str = Field(description="The record's page in the Hub.")


class ActivityOut(Out):
    id: int
    slug: str
    kind: Choice
    event_format: Choice | None = Field(description="Events only.")
    title: Text
    summary: Text = Field(description="Sanitized HTML, with the language it is written in.")
    organizations: list[OrganizationRef]
    action_areas: list[int] = Field(description="Numbers of the action areas it serves (1–5).")
    working_groups: list[str] = Field(description="Slugs of the working groups concerned.")
    languages: list[str] = Field(description="ISO 639-1 codes of the languages it is held in.")
    countries: list[Choice] = Field(description="Countries concerned (none: worldwide).")
    regions: list[Choice] = Field(description="UNESCO regions concerned as a whole.")
    links: list[LinkOut]
    cited_records: list[CitedRecordOut] = Field(
        description="Catalogue records it cites (those still in the catalogue)."
    )
    contact: ContactOut | None = Field(description="Only when the submitter made it public.")
    url: str = Field(description="The activity's page in the Hub.")
    published_at: datetime | None
    starts_at: datetime | None = Field(description="UTC.")
    ends_at: datetime | None = Field(description="UTC.")
    time_zone: str | None = Field(description="The organizer's IANA time zone, e.g. Europe/Paris.")
    organizer_time: str | None = Field(
        description="Start and end on the organizer's clock, in the answer's language."
    )
    deadline: datetime | None = Field(description="Calls for submissions: the deadline, UTC.")
    deadline_organizer_time: str | None = Field(
        description="The deadline on the organizer's clock, in the answer's language."
    )
    is_online: bool
    location: str
    is_cancelled: bool
    registration: RegistrationInfo | None = Field(description="Events only.")


class ProgrammeRoleOut(Out):
    role: Choice
    person: PersonRef
    title_on_programme: str


class ActivityDetailOut(ActivityOut):
    state: StateCode = Field(
        description="`published` for everyone; organizers and the secretariat also see "
        "activities waiting for moderation."
    )
    programme: list[ProgrammeRoleOut] = Field(
        description="Speakers, chairs, rapporteurs and moderators with a public profile."
    )


class ActivityPage(Page):
    items: list[ActivityOut]


# Submissions -----------------------------------------------------------------------------


class LinkIn(Schema):
    label: str = Field("", max_length=200, description="Default: the address itself.")
    url: str = Field(max_length=200, description="An http:// or https:// address.")


class ActivityIn(Schema):
    """An activity as an organization proposes it, checked by the rules of the web form.

    Times are ISO 8601 instants with their offset from UTC (`2023-03-09T15:00:00Z` or
    `2023-03-09T16:00:00+01:00`: the same instant); `time_zone` is the IANA zone the
    organizer announces them in, required with any time. A time without offset is refused.
    """

    on_behalf_of: str = Field(
        pattern=SLUG_PATTERN.replace("*", "+"),
        max_length=100,
        description="Slug of the member organization submitting it, one the caller may act "
        "for (a focal point or staff member of it); any other is a 400.",
    )
    kind: KindCode
    event_format: EventFormatCode | None = Field(None, description="Required for events.")
    titles: dict[Language, str] = Field(
        default_factory=dict, description="Titles by language; at least one."
    )
    summaries: dict[Language, str] = Field(
        default_factory=dict, description="Summaries (HTML, sanitized) by language."
    )
    organizations: list[str] = Field(
        default_factory=list, description="Slugs of co-organizing member organizations."
    )
    action_areas: list[int] = Field(default_factory=list, description="Numbers 1–5.")
    working_groups: list[str] = Field(default_factory=list, description="Working group slugs.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    regions: list[RegionCode] = Field(default_factory=list)
    time_zone: str = Field("", description="IANA time zone, e.g. Europe/Paris.")
    starts_at: datetime | None = Field(None, description="With offset. Required for events.")
    ends_at: datetime | None = Field(None, description="With offset. Required for events.")
    deadline: datetime | None = Field(None, description="With offset. Required for calls.")
    location: str = ""
    is_online: bool = False
    registration_required: bool = Field(False, description="Events only.")
    registration_open: bool = True
    capacity: int | None = Field(None, description="Places; null: no limit.")
    access_url: str = Field(
        "", description="The webinar's address: shown only to participants and organizers."
    )
    links: list[LinkIn] = Field(default_factory=list)
    cited_records: list[str] = Field(
        default_factory=list,
        max_length=30,
        description="Hub ids of the catalogue records it cites (at most 30); an edit gives "
        "the whole list.",
    )
    contact_name: str = ""
    contact_email: str = ""
    contact_is_public: bool = False


class ProposalOut(Out):
    """What a submission proposes, in the shape it is submitted in; times in UTC."""

    kind: KindCode
    event_format: str
    titles: dict[str, str]
    summaries: dict[str, str]
    organizations: list[str] = Field(description="Slugs of all organizing organizations.")
    action_areas: list[int]
    working_groups: list[str]
    languages: list[str]
    countries: list[str]
    regions: list[str]
    time_zone: str
    starts_at: datetime | None
    ends_at: datetime | None
    deadline: datetime | None
    location: str
    is_online: bool
    registration_required: bool
    registration_open: bool
    capacity: int | None
    access_url: str
    links: list[LinkOut]
    cited_records: list[str] = Field(description="Hub ids of the records it would cite.")
    contact_name: str
    contact_email: str
    contact_is_public: bool


class ActivityRef(Out):
    id: int
    slug: str
    kind: KindCode
    title: Text
    state: StateCode
    is_published: bool
    url: str


class SubmissionOut(Out):
    id: int
    status: SubmissionStatus
    activity: ActivityRef
    on_behalf_of: OrganizationRef
    is_edit_of_published: bool = Field(
        description="An edit of a published activity, whose published version stays visible."
    )
    submitted_at: datetime
    decided_at: datetime | None
    message: str = Field(description="The secretariat's message with its decision.")
    proposed: ProposalOut


class SubmissionPage(Page):
    items: list[SubmissionOut]


class DecisionIn(Schema):
    message: str = Field(
        "", max_length=4000, description="Sent to the submitter; required to refuse."
    )


# Registrations ---------------------------------------------------------------------------


class RegistrationIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field("", description="Default: the e-mail address of the signed-in account.")
    organization_name: str = Field("", max_length=255)
    share_contact: bool = Field(
        False, description="The organizers may share these contact details with participants."
    )


class RegistrationAccepted(Out):
    event: str = Field(description="Slug of the event.")
    status: RegistrationStatus = Field(
        description="`confirmed`, or `waiting` when no place was left (the first waiting is "
        "promoted, and told, when a place frees). The e-mail that follows says which holds."
    )
    name: str
    email: str = Field(description="Where the confirmation (or the reminder) is sent.")
    organization_name: str
    share_contact: bool
