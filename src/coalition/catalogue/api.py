"""The catalogue in the JSON API.

Reading is public: search with facets (the search page's parameters), one record with
every provenance, approved sources, and the licence check (how the Hub reads rights
statements, for repository managers). Writing needs a signed-in session (the API's
default) and goes through the services, which check the rules again: a member
organization's focal point adds and edits its hand-made records (they wait for
moderation, as on the pages) and registers sources; the secretariat moderates.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from coalition.members.api import DECISION_ERRORS, DETAIL_ERRORS, READ_ERRORS, WRITE_ERRORS
from coalition.members.models import Organization

from . import search, selectors
from .facets import facets_for_page
from .forms import RecordForm
from .jsonld import licence_reading
from .licences import read_rights, read_statement
from .models import Record, RecordSubmission, Source
from .schemas import (
    LicenceCheckIn,
    LicenceCheckOut,
    RecordDecisionIn,
    RecordDetailOut,
    RecordIn,
    RecordSubmissionOut,
    RecordSubmissionPage,
    SearchPage,
    SearchQuery,
    SourceIn,
    SourceOut,
)
from .search.text import parse_query
from .services import sources as source_services
from .services import submissions
from .views.records import acting_organizations

router = Router(tags=["catalogue"])


# Reading ---------------------------------------------------------------------------------


def _licence(record):
    reading = licence_reading(record)
    return {
        "spdx": record.licence_spdx,
        "url": record.licence_url or reading.url,
        "licence_class": record.licence_class,
        "class_label": str(record.get_licence_class_display()),
        "reason": str(reading.reason),
        "rights_statement": record.rights_statement,
    }


def _record(request, work, *, detail=False):
    record = work.primary_record
    out = {
        "hub_id": work.hub_id,
        "url": request.build_absolute_uri(work.get_absolute_url()),
        "title": record.title,
        "title_language": record.title_language,
        "description": record.description,
        "creators": [
            {"name": p.get("name", ""), "orcid": p.get("orcid", "")} for p in record.creators
        ],
        "publisher": record.publisher,
        "year": record.year,
        "date_created": record.date_created,
        "languages": record.languages,
        "subjects": record.subjects,
        "keywords": record.keywords,
        "coverage": record.coverage,
        "learning_resource_type": record.learning_resource_type,
        "educational_level": record.educational_level,
        "links": record.urls,
        "doi": record.doi,
        "licence": _licence(record),
        "sources": [copy.source.name for copy in work.copies],
    }
    if detail:
        out.update(
            audience=record.audience,
            media_format=record.media_format,
            accessibility=record.accessibility,
            action_areas=sorted(area.pk for area in record.action_areas.all()),
            provenance=[
                {
                    "source_id": copy.source_id,
                    "source": copy.source.name,
                    "organization": str(copy.source.organization),
                    "identifier": copy.identifier,
                    "datestamp": copy.datestamp,
                    "licence": _licence(copy),
                }
                for copy in work.copies
            ],
        )
    return out


@router.get(
    "/catalogue/records",
    response={200: SearchPage, **READ_ERRORS},
    auth=None,
    summary="Search the catalogue",
)
def search_records(request, params: Query[SearchQuery]):
    """Full-text search in every UN language with facet counts, as on the search page.
    Several values of one facet are OR-ed, facets AND-ed."""
    filters = {
        name: [str(value) for value in getattr(params, name)]
        for name in search.FACETS
        if getattr(params, name)
    }
    has_words = bool(parse_query(params.q)) if params.q else False
    query = search.Query(
        text=params.q,
        filters=filters,
        sort=params.sort or ("relevance" if has_words else "date"),
        page=params.page,
        per_page=params.per_page,
    )
    result = search.search(query)
    works = selectors.works_for_page(result.work_ids)
    following = None
    if result.has_next and params.page < search.MAX_PAGE:
        query_dict = request.GET.copy()
        query_dict["page"] = str(params.page + 1)
        following = request.build_absolute_uri(f"{request.path}?{query_dict.urlencode()}")
    return {
        "count": result.total,
        "count_is_lower_bound": result.total_is_lower_bound,
        "page": result.page,
        "per_page": result.per_page,
        "next": following,
        "items": [_record(request, work) for work in works if work.primary_record],
        "facets": {
            facet.name: [
                {"value": v.value, "label": v.label, "count": v.count} for v in facet.values
            ]
            for facet in facets_for_page(result, filters)
        },
    }


def _work_or_404(hub_id):
    work = selectors.work_by_hub_id(hub_id)
    if work is None or work.deleted or not work.copies:
        raise Http404(_("This resource is not in the catalogue (any more)."))
    work.primary_record = next(
        (copy for copy in work.copies if copy.pk == work.primary_record_id), work.copies[0]
    )
    return work


@router.get(
    "/catalogue/records/{hub_id}",
    response={200: RecordDetailOut, **DETAIL_ERRORS},
    auth=None,
    summary="One OER, with every provenance",
)
def get_record(request, hub_id: str):
    try:
        uuid.UUID(hub_id)
    except ValueError as error:
        raise Http404(_("This resource is not in the catalogue (any more).")) from error
    return _record(request, _work_or_404(hub_id), detail=True)


@router.post(
    "/catalogue/licence-check",
    response={200: LicenceCheckOut, **READ_ERRORS},
    auth=None,
    summary="How the Hub reads rights statements",
)
def check_licences(request, payload: LicenceCheckIn):
    """Each statement's canonical licence (SPDX id), its class by the Recommendation
    (open, open-nc, not-open, unknown) and why, and what the statements mean together
    (as one record's dc:rights). Nothing is stored."""
    statements = [text[:2000] for text in payload.statements]
    return {
        "readings": [read_statement(text).as_dict() for text in statements],
        "together": read_rights(statements).as_dict(),
    }


def _source(request, source):
    return {
        "id": source.pk,
        "slug": source.slug,
        "name": source.name,
        "kind": source.kind,
        "organization": str(source.organization),
        "base_url": source.base_url,
        "metadata_prefix": source.metadata_prefix,
        "status": source.status,
        "record_count": getattr(source, "record_count", 0),
        "url": request.build_absolute_uri(source.get_absolute_url()),
    }


@router.get("/catalogue/sources", response={200: list[SourceOut]}, auth=None,
            summary="Approved sources")  # fmt: skip
def list_sources(request):
    sources = (
        Source.objects.approved()
        .select_related("organization")
        .annotate(record_count=Count("records", filter=Q(records__deleted=False)))
        .order_by("name", "pk")
    )
    return [_source(request, source) for source in sources]


# Writing ---------------------------------------------------------------------------------


def _organization_for(user, slug):
    organizations = acting_organizations(user)
    if slug:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise Http404(_("There is no organization with this name in the Hub."))
        if not user.has_perm("catalogue.act_for_organization", organization):
            raise PermissionDenied
        return organization
    count = organizations.count()
    if count == 0:
        raise PermissionDenied
    if count > 1:
        raise ValidationError({"organization": [_("You act for several organizations: name one.")]})
    return organizations.first()


def _record_data(payload):
    form = RecordForm(
        data={
            "title": payload.title,
            "title_language": payload.title_language,
            "description": payload.description,
            "creators": "\n".join(
                p.name + (f" | {p.orcid}" if p.orcid else "") for p in payload.creators
            ),
            "publisher": payload.publisher,
            "date_created": payload.date_created.isoformat() if payload.date_created else "",
            "languages": "; ".join(payload.languages),
            "urls": "\n".join(payload.urls),
            "learning_resource_type": payload.learning_resource_type,
            "educational_level": payload.educational_level,
            "subjects": "; ".join(payload.subjects),
            "keywords": "; ".join(payload.keywords),
            "coverage": "; ".join(payload.coverage),
            "audience": payload.audience,
            "media_format": payload.media_format,
            "licence": payload.licence,
            "rights_statement": payload.rights_statement,
            "doi": payload.doi,
            "accessibility": payload.accessibility,
            "action_areas": [str(n) for n in payload.action_areas],
        }
    )
    if not form.is_valid():
        raise ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    return form.record_data()


def _submission(request, submission):
    record = submission.record
    return {
        "id": submission.pk,
        "status": submission.status,
        "title": submission.title,
        "organization": str(submission.source.organization),
        "is_edit": submission.is_edit,
        "submitted_at": submission.submitted_at,
        "message": submission.message,
        "record": (
            request.build_absolute_uri(record.work.get_absolute_url())
            if record and submission.status == "approved"
            else None
        ),
    }


def _reloaded(submission):
    return RecordSubmission.objects.select_related("source__organization", "record__work").get(
        pk=submission.pk
    )


@router.post(
    "/catalogue/records",
    response={201: RecordSubmissionOut, **WRITE_ERRORS},
    summary="Add a hand-made record (waits for moderation)",
)
def create_record(request, payload: RecordIn):
    organization = _organization_for(request.user, payload.organization)
    data = _record_data(payload)
    submission = submissions.submit_record(user=request.user, organization=organization, data=data)
    return Status(201, _submission(request, _reloaded(submission)))


def _editable_copy(request, hub_id):
    work = _work_or_404(hub_id)
    copy = next(
        (c for c in work.copies if request.user.has_perm("catalogue.change_record", c)), None
    )
    if copy is None:
        raise PermissionDenied
    return Record.objects.select_related("source__organization", "work").get(pk=copy.pk)


@router.put(
    "/catalogue/records/{hub_id}",
    response={200: RecordSubmissionOut, **WRITE_ERRORS},
    summary="Change your organization's record (waits for moderation)",
)
def update_record(request, hub_id: str, payload: RecordIn):
    """The published version stays until the secretariat approves the change."""
    record = _editable_copy(request, hub_id)
    data = _record_data(payload)
    submission = submissions.propose_record_change(record, user=request.user, data=data)
    return _submission(request, _reloaded(submission))


@router.delete(
    "/catalogue/records/{hub_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Withdraw your organization's record",
)
def withdraw_record(request, hub_id: str):
    submissions.withdraw_record(_editable_copy(request, hub_id), by=request.user)
    return Status(204, None)


@router.get(
    "/catalogue/submissions",
    response={200: RecordSubmissionPage, **WRITE_ERRORS},
    summary="Records waiting (the secretariat) or your own proposals",
)
def list_submissions(request):
    queryset = RecordSubmission.objects.select_related("source__organization", "record__work")
    if request.user.has_perm("catalogue.moderate"):
        queryset = queryset.filter(status=RecordSubmission.Status.PENDING)
    else:
        queryset = queryset.filter(submitted_by=request.user).exclude(status="superseded")
    items = list(queryset.order_by("-submitted_at", "-pk")[:200])
    return {"count": len(items), "items": [_submission(request, s) for s in items]}


def _decidable(request, submission_id):
    if not request.user.has_perm("catalogue.moderate"):
        raise PermissionDenied
    return get_object_or_404(RecordSubmission, pk=submission_id)


def _decided(request, run):
    try:
        submission = run()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise HttpError(409, " ".join(error.messages)) from error
    return _submission(request, _reloaded(submission))


@router.post(
    "/catalogue/submissions/{submission_id}/approve",
    response={200: RecordSubmissionOut, **DECISION_ERRORS},
    summary="Publish a record (the secretariat)",
)
def approve(request, submission_id: int):
    submission = _decidable(request, submission_id)
    return _decided(request, lambda: submissions.approve_submission(submission, by=request.user))


@router.post(
    "/catalogue/submissions/{submission_id}/decline",
    response={200: RecordSubmissionOut, **DECISION_ERRORS},
    summary="Decline a record (the secretariat)",
)
def decline(request, submission_id: int, payload: RecordDecisionIn):
    submission = _decidable(request, submission_id)
    return _decided(
        request,
        lambda: submissions.decline_record_submission(
            submission, by=request.user, reason=payload.message
        ),
    )


@router.post(
    "/catalogue/submissions/{submission_id}/request-changes",
    response={200: RecordSubmissionOut, **DECISION_ERRORS},
    summary="Ask for changes to a record (the secretariat)",
)
def ask_changes(request, submission_id: int, payload: RecordDecisionIn):
    submission = _decidable(request, submission_id)
    return _decided(
        request,
        lambda: submissions.request_record_changes(
            submission, by=request.user, message=payload.message
        ),
    )


@router.post(
    "/catalogue/sources",
    response={201: SourceOut, **WRITE_ERRORS},
    summary="Register an OAI-PMH source (checked with Identify; waits for approval)",
)
def register_source(request, payload: SourceIn):
    organization = _organization_for(request.user, payload.organization)
    try:
        source = source_services.propose_source(
            request.user,
            organization,
            payload.base_url.strip(),
            name=payload.name,
            set_spec=payload.set_spec.strip(),
            harvest_every_hours=payload.harvest_every_hours,
        )
    except ValidationError as error:
        raise ValidationError({"base_url": error.messages}) from error
    source = Source.objects.select_related("organization").get(pk=source.pk)
    return Status(201, _source(request, source))
