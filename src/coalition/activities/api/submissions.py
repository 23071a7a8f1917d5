"""Submissions in the API: submitting an activity or a change through the web form's
rules, and the secretariat's moderation."""

import contextlib
import uuid
from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Status

from coalition.catalogue import selectors as catalogue
from coalition.catalogue.models import Record
from coalition.core.translated import localized_column
from coalition.members.api import (
    DECISION_ERRORS,
    WRITE_ERRORS,
    _Answer,
    _conflict,
    _get,
    _organization_ref,
    _page,
    _text,
)
from coalition.members.models import Organization, WorkingGroup
from coalition.members.schemas import Error
from coalition.recommendation.timezones import time_zone_names, validate_time_zone

from ..forms.activities import ActivityForm
from ..models import (
    Activity,
    Submission,
)
from ..schemas import (
    ActivityIn,
    DecisionIn,
    SubmissionFilters,
    SubmissionOut,
    SubmissionPage,
)
from ..services import moderation
from ..snapshot import snapshot_from_form
from . import CONTENT_LANGUAGES, TIMES, router


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
    form_data = _form_data(payload, organization, zone_for_form)
    record_ids, unknown = _cited_record_ids(payload.cited_records)
    if unknown:
        errors["cited_records"] = [
            _("There is no record with this Hub id in the catalogue: %(ids)s")
            % {"ids": ", ".join(unknown)}
        ]
    form_data["cited_records"] = record_ids
    form = ActivityForm(
        data=form_data,
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


def _cited_record_ids(hub_ids):
    """The records (each OER's primary record) the API's Hub ids name, and the Hub ids
    that name none that may be cited."""
    wanted = {str(value).strip().lower() for value in hub_ids if str(value).strip()}
    valid = set()
    for value in wanted:
        with contextlib.suppress(ValueError):
            valid.add(str(uuid.UUID(value)))
    found = dict(
        catalogue.citable_records()
        .filter(work__hub_id__in=valid, work__primary_record=F("pk"))
        .values_list("work__hub_id", "pk")
    )
    found = {str(hub_id): pk for hub_id, pk in found.items()}
    unknown = sorted(value for value in wanted if value not in found)
    return sorted(found.values()), unknown


def _submission_query():
    return Submission.objects.select_related("activity", "on_behalf_of")


def _submissions(answer, submissions):
    """Submissions as the API shows them; the slugs their proposals name in two queries."""
    organization_ids, group_ids, record_ids = set(), set(), set()
    for submission in submissions:
        organization_ids.update(submission.data.get("organizations") or [])
        group_ids.update(submission.data.get("working_groups") or [])
        record_ids.update(submission.data.get("cited_records") or [])
    hub_ids = (
        {
            pk: str(hub_id)
            for pk, hub_id in Record.objects.filter(pk__in=record_ids).values_list(
                "pk", "work__hub_id"
            )
        }
        if record_ids
        else {}
    )
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
        _submission(answer, submission, organization_slugs, group_slugs, hub_ids)
        for submission in submissions
    ]


def _submission(answer, submission, organization_slugs, group_slugs, hub_ids):
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
        "proposed": _proposal(data, organization_slugs, group_slugs, hub_ids),
    }


def _translated(data, field):
    return {
        code: value
        for code in CONTENT_LANGUAGES
        if (value := data.get(localized_column(field, code)) or "").strip()
    }


def _proposal(data, organization_slugs, group_slugs, hub_ids):
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
        "cited_records": [hub_ids[pk] for pk in data.get("cited_records") or [] if pk in hub_ids],
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
