"""The activities domain in the JSON API: activities, events, moderation, registration.

Reads are public and show what the public pages show, never more: published activities,
filtered by the pages' own filter form through `selectors`, and never the access link of
an event, a contact e-mail its submitter did not make public, or anything about who
registered. Writes need a signed-in session (the API's default authentication, see
`coalition/api.py`), are validated by the web form (`ActivityForm`) and go through
`services` and `registrations`, which check permissions again and run in one
transaction each.

Times go out in UTC with the organizer's zone and clock; they come in as instants with
their offset from UTC, `time_zone` naming the organizer's zone (see `ActivityIn`).
"""

from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from coalition.core.translated import localized_column, localized_columns
from coalition.members.api import (
    DECISION_ERRORS,
    DETAIL_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    _Answer,
    _conflict,
    _get,
    _organization_ref,
    _page,
    _text,
)
from coalition.members.models import Organization, WorkingGroup
from coalition.members.schemas import Error, LanguageQuery
from coalition.recommendation.regions import Region
from coalition.recommendation.timezones import time_zone_names, validate_time_zone

from . import selectors
from .clocks import span_in_zone
from .forms.activities import ActivityFilterForm, ActivityForm
from .models import (
    Activity,
    EventFormat,
    Kind,
    ProgrammeRole,
    Registration,
    Submission,
)
from .schemas import (
    ActivityDetailOut,
    ActivityFilters,
    ActivityIn,
    ActivityPage,
    DecisionIn,
    EventFilters,
    RegistrationIn,
    RegistrationOut,
    SubmissionFilters,
    SubmissionOut,
    SubmissionPage,
)
from .services import moderation
from .services import registration as registrations
from .snapshot import snapshot_from_form

router = Router()

CONTENT_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES
TIMES = ("starts_at", "ends_at", "deadline")


# Reading ---------------------------------------------------------------------------------

# What an answer shows, and what the permission rules read; never the access link. The
# contact e-mail is read to be shown only when the submitter made it public.
ACTIVITY_COLUMNS = [
    "id",
    "slug",
    "kind",
    "event_format",
    *localized_columns("title"),
    *localized_columns("summary"),
    "starts_at",
    "ends_at",
    "time_zone",
    "deadline",
    "location",
    "is_online",
    "registration_required",
    "registration_open",
    "capacity",
    "contact_name",
    "contact_email",
    "contact_is_public",
    "state",
    "published_at",
    "is_cancelled",
    "is_withdrawn",
    "created_by",
]


def _with_relations(queryset):
    """Everything an item shows, in one query per relation whatever the number of rows.

    Each relation comes as a plain list (`api_<relation>`): a page of items holds hundreds
    of related rows, and a query set per item and relation cost more than the queries.
    """
    return queryset.only(*ACTIVITY_COLUMNS).prefetch_related(
        Prefetch(
            "organizations",
            queryset=Organization.objects.only("id", "slug", *localized_columns("name")).order_by(
                "name_en", "pk"
            ),
            to_attr="api_organizations",
        ),
        Prefetch(
            "action_areas",
            queryset=_only_keys("action_areas").order_by("number"),
            to_attr="api_action_areas",
        ),
        Prefetch(
            "working_groups",
            queryset=WorkingGroup.objects.only("id", "slug").order_by("action_area_id"),
            to_attr="api_working_groups",
        ),
        Prefetch(
            "languages", queryset=_only_keys("languages").order_by("code"), to_attr="api_languages"
        ),
        Prefetch("coverage", to_attr="api_coverage"),
        Prefetch("links", to_attr="api_links"),
    )


def _only_keys(relation):
    model = Activity._meta.get_field(relation).related_model
    return model.objects.only(model._meta.pk.name)


def _confirmed_counts(activities):
    """Confirmed registrations of the events with a limited number of places, in one query."""
    limited = [a.pk for a in activities if a.kind == Kind.EVENT and a.capacity is not None]
    if not limited:
        return {}
    counts = (
        Registration.objects.filter(activity_id__in=limited, status=Registration.Status.CONFIRMED)
        .values("activity_id")
        .annotate(n=Count("pk"))
    )
    return {row["activity_id"]: row["n"] for row in counts}


def _registration_info(activity, confirmed, now):
    if activity.kind != Kind.EVENT:
        return None
    capacity = activity.capacity
    taken = confirmed.get(activity.pk, 0)
    return {
        "required": activity.registration_required,
        # The registration service's own rule, so that the API never promises what it refuses.
        "open": not registrations.refusal(activity, now),
        "capacity": capacity,
        "places_left": None if capacity is None else max(capacity - taken, 0),
    }


def _activity(answer, activity, confirmed, now):
    coverage = activity.api_coverage
    zone = activity.time_zone or None
    starts, ends, deadline = activity.starts_at, activity.ends_at, activity.deadline
    return {
        "id": activity.pk,
        "slug": activity.slug,
        "kind": answer.choice(Kind, activity.kind),
        "event_format": (
            answer.choice(EventFormat, activity.event_format) if activity.event_format else None
        ),
        "title": _text(activity, "title", answer.language),
        "summary": _text(activity, "summary", answer.language, html=True),
        "organizations": [
            _organization_ref(answer, organization) for organization in activity.api_organizations
        ],
        "action_areas": [area.pk for area in activity.api_action_areas],
        "working_groups": [group.slug for group in activity.api_working_groups],
        "languages": [language.pk for language in activity.api_languages],
        # A country's row also carries its derived region; only rows without a country
        # concern a region as a whole.
        "countries": [answer.country(place.country) for place in coverage if place.country],
        "regions": [
            answer.choice(Region, place.region)
            for place in coverage
            if not place.country and place.region
        ],
        "links": [{"label": link.label, "url": link.url} for link in activity.api_links],
        "contact": (
            {"name": activity.contact_name, "email": activity.contact_email}
            if activity.contact_is_public and (activity.contact_name or activity.contact_email)
            else None
        ),
        "url": answer.link("activities:activity-detail", activity.slug),
        "published_at": activity.published_at,
        "starts_at": starts,
        "ends_at": ends,
        "time_zone": zone if (starts or deadline) else None,
        "organizer_time": span_in_zone(starts, ends, zone) if starts else None,
        "deadline": deadline,
        "deadline_organizer_time": span_in_zone(deadline, None, zone) if deadline else None,
        "is_online": activity.is_online,
        "location": activity.location,
        "is_cancelled": activity.is_cancelled,
        "registration": _registration_info(activity, confirmed, now),
    }


def _activity_page(request, queryset, params):
    activities, page = _page(request, _with_relations(queryset), params)
    answer, confirmed, now = _Answer(request), _confirmed_counts(activities), timezone.now()
    page["items"] = [_activity(answer, activity, confirmed, now) for activity in activities]
    return page


FILTERS = (
    "q",
    "kind",
    "action_area",
    "working_group",
    "language",
    "region",
    "country",
    "organization",
    "date_from",
    "date_to",
)


def _filters(params, *, events_only):
    """The query's filters, checked and resolved by the pages' own filter form."""
    data = {}
    for name in FILTERS:
        value = getattr(params, name, None)
        if value is None or value == "":
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # Codes as the vocabularies store them: MG for a country, pt for a language.
    if "country" in data:
        data["country"] = data["country"].strip().upper()
    if "language" in data:
        data["language"] = data["language"].strip().lower()
    form = ActivityFilterForm(data, events_only=events_only)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.filters()


@router.get(
    "/activities",
    response={200: ActivityPage, **READ_ERRORS},
    auth=None,
    tags=["activities"],
    summary="Published activities",
)
def list_activities(request, filters: Query[ActivityFilters]):
    """Events, initiatives, publications, calls and news shared by member organizations,
    filtered as on the activities page, most recently published first."""
    queryset = selectors.published_activities(**_filters(filters, events_only=False))
    return _activity_page(request, queryset.order_by("-published_at", "-pk"), filters)


@router.get(
    "/events",
    response={200: ActivityPage, **READ_ERRORS},
    auth=None,
    tags=["events"],
    summary="Upcoming or past events",
)
def list_events(request, filters: Query[EventFilters]):
    """Published events, filtered as on the events page: upcoming ones (not yet over)
    soonest first, or with `when=past` the latest first."""
    found = _filters(filters, events_only=True)
    if filters.when == "past":
        queryset = selectors.past_events(**found)
    else:
        queryset = selectors.upcoming_events(**found)
    return _activity_page(request, queryset, filters)


def _person_ref(answer, person):
    return {
        "slug": person.slug,
        "name": person.name,
        "url": answer.link("members:person-detail", person.slug),
    }


@router.get(
    "/activities/{slug}",
    response={200: ActivityDetailOut, **DETAIL_ERRORS},
    auth=None,
    tags=["activities"],
    summary="One activity",
)
def get_activity(request, slug: str, params: Query[LanguageQuery]):
    """A published activity; one waiting for moderation only for its organizers and the
    secretariat."""
    public_programme = (
        ProgrammeRole.objects.filter(person__public_profile=True)
        .select_related("person")
        .only(
            "id",
            "activity_id",
            "role",
            "title_on_programme",
            "order",
            "person__slug",
            "person__name",
        )
    )
    activity = (
        _with_relations(Activity.objects.filter(slug=slug))
        .prefetch_related(Prefetch("programme", queryset=public_programme))
        .first()
    )
    if activity is None or not request.user.has_perm("activities.view_activity", activity):
        raise Http404(_("There is no published activity with this name."))
    answer, now = _Answer(request), timezone.now()
    data = _activity(answer, activity, _confirmed_counts([activity]), now)
    data["state"] = activity.state
    data["programme"] = [
        {
            "role": answer.choice(ProgrammeRole.Role, role.role),
            "person": _person_ref(answer, role.person),
            "title_on_programme": role.title_on_programme,
        }
        for role in activity.programme.all()
    ]
    return data


# Submitting ------------------------------------------------------------------------------


def _organization_to_act_for(user, slug):
    """The organization named in `on_behalf_of`, if `user` may act for it."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise ValidationError({"on_behalf_of": [_("There is no organization with this name.")]})
    if not user.has_perm("activities.submit_for_organization", organization):
        raise PermissionDenied
    if organization.status != Organization.Status.MEMBER:
        message = _("Only member organizations can share activities.")
        raise ValidationError({"on_behalf_of": [message]})
    return organization


def _api_field(name, payload):
    """The form's field name as the API calls it: `title_zh_hans` → `titles.zh-hans`."""
    for prefix, plural, given in (
        ("title_", "titles", payload.titles),
        ("summary_", "summaries", payload.summaries),
    ):
        if name.startswith(prefix):
            code = next(c for c in CONTENT_LANGUAGES if localized_column(prefix[:-1], c) == name)
            # "Give a title in at least one language" concerns the titles as a whole.
            return f"{plural}.{code}" if (given.get(code) or "").strip() else plural
    return name


def _form_data(payload, organization, zone_for_form):
    """The JSON payload as the web form's data. Times go in as UTC wall-clock times with
    the form's zone set to UTC, so the form's checks (end before start) compare the exact
    instants given, even around a daylight-saving change."""
    data = {
        "on_behalf_of": organization.pk,
        "kind": payload.kind,
        "event_format": payload.event_format or "",
        "organizations": payload.organizations,
        "action_areas": [str(number) for number in payload.action_areas],
        "working_groups": payload.working_groups,
        "languages": [code.strip().lower() for code in payload.languages],
        "countries": [code.strip().upper() for code in payload.countries],
        "regions": payload.regions,
        "time_zone": zone_for_form,
        "location": payload.location,
        "is_online": payload.is_online,
        "registration_required": payload.registration_required,
        "registration_open": payload.registration_open,
        "capacity": "" if payload.capacity is None else payload.capacity,
        "access_url": payload.access_url.strip(),
        "links": "\n".join(_link_line(link) for link in payload.links),
        "contact_name": payload.contact_name,
        "contact_email": payload.contact_email.strip(),
        "contact_is_public": payload.contact_is_public,
    }
    for code, title in payload.titles.items():
        data[localized_column("title", code)] = title
    for code, summary in payload.summaries.items():
        data[localized_column("summary", code)] = summary
    for name in TIMES:
        moment = getattr(payload, name)
        if moment is None:
            data[name] = ""
        elif moment.utcoffset() is None:
            data[name] = moment.isoformat()  # refused below; still checked for the rest
        else:
            data[name] = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return data


def _link_line(link):
    # One line per link in the form's "label | address" notation; a line break in a
    # label would start another link.
    label = " ".join(link.label.split())
    return f"{label} | {link.url.strip()}" if label else link.url.strip()


def _validated_snapshot(request, payload, organization):
    """The snapshot to submit, or a ValidationError naming every field that is wrong."""
    errors = {}
    zone = payload.time_zone.strip()
    if zone and zone not in time_zone_names():
        try:
            validate_time_zone(zone)
        except ValidationError as error:
            errors["time_zone"] = error.messages
    # Without a zone, the form says that times need one; with a known zone, the times are
    # already exact instants (see _form_data).
    zone_for_form = "UTC" if zone else ""
    for name in TIMES:
        moment = getattr(payload, name)
        if moment is not None and moment.utcoffset() is None:
            errors[name] = [
                _(
                    "Give the time with its offset from UTC, e.g. 2023-03-09T15:00:00Z or "
                    "2023-03-09T16:00:00+01:00."
                )
            ]
    form = ActivityForm(
        data=_form_data(payload, organization, zone_for_form),
        user=request.user,
        language=get_language(),
    )
    # The API names organizations and working groups by slug, as everywhere else.
    form.fields["organizations"].to_field_name = "slug"
    form.fields["working_groups"].to_field_name = "slug"
    form.is_valid()
    for name, field_errors in form.errors.as_data().items():
        if name in errors:  # already explained in the API's own terms
            continue
        errors.setdefault(_api_field(name, payload), []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    data = snapshot_from_form(form.cleaned_data)
    data["time_zone"] = zone  # the form saw UTC times (see _form_data)
    return data


def _submission_query():
    return Submission.objects.select_related("activity", "on_behalf_of")


def _submissions(answer, submissions):
    """Submissions as the API shows them; the slugs their proposals name in two queries."""
    organization_ids, group_ids = set(), set()
    for submission in submissions:
        organization_ids.update(submission.data.get("organizations") or [])
        group_ids.update(submission.data.get("working_groups") or [])
    organization_slugs = (
        dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "slug"))
        if organization_ids
        else {}
    )
    group_slugs = (
        dict(WorkingGroup.objects.filter(pk__in=group_ids).values_list("pk", "slug"))
        if group_ids
        else {}
    )
    return [
        _submission(answer, submission, organization_slugs, group_slugs)
        for submission in submissions
    ]


def _submission(answer, submission, organization_slugs, group_slugs):
    activity, data = submission.activity, submission.data
    return {
        "id": submission.pk,
        "status": submission.status,
        "activity": {
            "id": activity.pk,
            "slug": activity.slug,
            "kind": activity.kind,
            "title": _text(activity, "title", answer.language),
            "state": activity.state,
            "is_published": activity.is_published,
            "url": answer.link("activities:activity-detail", activity.slug),
        },
        "on_behalf_of": _organization_ref(answer, submission.on_behalf_of),
        "is_edit_of_published": activity.published_at is not None
        and activity.published_at < submission.submitted_at,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "message": submission.message,
        "proposed": _proposal(data, organization_slugs, group_slugs),
    }


def _translated(data, field):
    return {
        code: value
        for code in CONTENT_LANGUAGES
        if (value := data.get(localized_column(field, code)) or "").strip()
    }


def _proposal(data, organization_slugs, group_slugs):
    return {
        "kind": data.get("kind", ""),
        "event_format": data.get("event_format") or "",
        "titles": _translated(data, "title"),
        "summaries": _translated(data, "summary"),
        "organizations": [
            organization_slugs[pk]
            for pk in data.get("organizations") or []
            if pk in organization_slugs
        ],
        "action_areas": data.get("action_areas") or [],
        "working_groups": [
            group_slugs[pk] for pk in data.get("working_groups") or [] if pk in group_slugs
        ],
        "languages": data.get("languages") or [],
        "countries": data.get("countries") or [],
        "regions": data.get("regions") or [],
        "time_zone": data.get("time_zone") or "",
        **{name: parse_datetime(data[name]) if data.get(name) else None for name in TIMES},
        "location": data.get("location") or "",
        "is_online": bool(data.get("is_online")),
        "registration_required": bool(data.get("registration_required")),
        "registration_open": bool(data.get("registration_open")),
        "capacity": data.get("capacity"),
        "access_url": data.get("access_url") or "",
        "links": data.get("links") or [],
        "contact_name": data.get("contact_name") or "",
        "contact_email": data.get("contact_email") or "",
        "contact_is_public": bool(data.get("contact_is_public")),
    }


def _one_submission(request, submission_id):
    submission = _submission_query().get(pk=submission_id)
    return _submissions(_Answer(request), [submission])[0]


@router.post(
    "/activities",
    response={201: SubmissionOut, **WRITE_ERRORS},
    tags=["activities"],
    summary="Share an activity (it waits for moderation)",
)
def submit_activity(request, payload: ActivityIn):
    """For people affiliated with the member organization named in `on_behalf_of`, and
    the secretariat. Checked as the web form checks it; the secretariat then approves,
    asks for changes or declines, and the submitter is told by e-mail."""
    organization = _organization_to_act_for(request.user, payload.on_behalf_of)
    data = _validated_snapshot(request, payload, organization)
    activity = moderation.submit_activity(user=request.user, organization=organization, data=data)
    submission = activity.submissions.order_by("-pk").first()
    return Status(201, _one_submission(request, submission.pk))


@router.put(
    "/activities/{slug}",
    response={200: SubmissionOut, **WRITE_ERRORS},
    tags=["activities"],
    summary="Propose a new version of an activity (organizers, secretariat)",
)
def propose_change(request, slug: str, payload: ActivityIn):
    """The whole activity as it should be. A published activity stays as it is until the
    secretariat approves the change; an unpublished one is replaced and waits again."""
    activity = Activity.objects.filter(slug=slug).first()
    if activity is None or not request.user.has_perm("activities.view_activity", activity):
        raise Http404(_("There is no published activity with this name."))
    if not request.user.has_perm("activities.change_activity", activity):
        raise PermissionDenied
    organization = _organization_to_act_for(request.user, payload.on_behalf_of)
    data = _validated_snapshot(request, payload, organization)
    submission = moderation.propose_change(
        activity, user=request.user, organization=organization, data=data
    )
    return _one_submission(request, submission.pk)


# Moderating ------------------------------------------------------------------------------


@router.get(
    "/submissions",
    response={200: SubmissionPage, 400: Error, 401: Error, 403: Error},
    tags=["moderation"],
    summary="The moderation queue (secretariat)",
)
def list_submissions(request, filters: Query[SubmissionFilters]):
    """Submissions in one status, the oldest first: with `status=pending`, the queue."""
    if not request.user.has_perm("activities.moderate"):
        raise PermissionDenied
    queryset = _submission_query().filter(status=filters.status).order_by("submitted_at", "pk")
    submissions, page = _page(request, queryset, filters)
    page["items"] = _submissions(_Answer(request), submissions)
    return page


def _submission_to_decide(request, submission_id):
    if not request.user.has_perm("activities.moderate"):
        raise PermissionDenied
    return _get(
        _submission_query(), _("There is no submission with this number."), pk=submission_id
    )


@router.post(
    "/submissions/{submission_id}/approve",
    response={200: SubmissionOut, **DECISION_ERRORS},
    tags=["moderation"],
    summary="Approve a submission: publish it (secretariat)",
)
def approve_submission(request, submission_id: int):
    """The proposed version is published; the submitter is told. A decided submission
    cannot be decided again (409)."""
    submission = _submission_to_decide(request, submission_id)
    try:
        moderation.approve_submission(submission, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _one_submission(request, submission.pk)


@router.post(
    "/submissions/{submission_id}/request-changes",
    response={200: SubmissionOut, **DECISION_ERRORS},
    tags=["moderation"],
    summary="Ask the submitter for changes (secretariat)",
)
def request_changes(request, submission_id: int, payload: DecisionIn):
    """The message, required, is sent to the submitter."""
    submission = _submission_to_decide(request, submission_id)
    try:
        moderation.request_changes(submission, by=request.user, message=payload.message)
    except ValidationError as error:
        raise _conflict(error) from error
    return _one_submission(request, submission.pk)


@router.post(
    "/submissions/{submission_id}/decline",
    response={200: SubmissionOut, **DECISION_ERRORS},
    tags=["moderation"],
    summary="Decline a submission (secretariat)",
)
def decline_submission(request, submission_id: int, payload: DecisionIn):
    """The message, required, is the reason sent to the submitter. Declining an edit of a
    published activity leaves the published version as it is."""
    submission = _submission_to_decide(request, submission_id)
    try:
        moderation.decline_submission(submission, by=request.user, reason=payload.message)
    except ValidationError as error:
        raise _conflict(error) from error
    return _one_submission(request, submission.pk)


# Registering -----------------------------------------------------------------------------


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, **DECISION_ERRORS},
    tags=["events"],
    summary="Register for an event",
)
def register_for_event(request, slug: str, payload: RegistrationIn):
    """A place, or when none is left a place on the waiting list (`status` says which);
    the confirmation comes by e-mail. A closed, cancelled or past event, or an address
    already registered, is a conflict (409) with its reason."""
    event = Activity.objects.filter(slug=slug, kind=Kind.EVENT).first()
    if event is None or not request.user.has_perm("activities.view_activity", event):
        raise Http404(_("There is no event with this name."))
    if not request.user.has_perm("activities.register", event):
        raise PermissionDenied
    errors = {}
    name = payload.name.strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    email = payload.email.strip() or request.user.email
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        registration = registrations.register(
            event,
            name=name,
            email=email,
            user=request.user,
            organization_name=payload.organization_name.strip(),
            share_contact=payload.share_contact,
            language=get_language(),
        )
    except ValidationError as error:
        raise _conflict(error) from error
    return Status(
        201,
        {
            "id": registration.pk,
            "event": event.slug,
            "status": registration.status,
            "name": registration.name,
            "email": registration.email,
            "organization_name": registration.organization_name,
            "share_contact": registration.share_contact,
            "created_at": registration.created_at,
        },
    )
