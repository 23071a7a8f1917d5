"""Organizations in the API: the directory, one organization, applying to join and the
secretariat's decisions."""

import threading
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja import Query, Status
from ninja.errors import HttpError
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column, localized_columns
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.regions import Region

from .. import selectors, services
from ..forms import DESCRIPTION_MAX_LENGTH, ApplicationForm
from ..models import (
    MembershipApplication,
    Organization,
    StakeholderType,
    WorkingGroup,
)
from ..schemas import (
    ApplicationIn,
    ApplicationOut,
    DeclineIn,
    Error,
    LanguageQuery,
    OrganizationDetailOut,
    OrganizationFilters,
    OrganizationPage,
    OrganizationPatch,
)
from . import (
    DECISION_ERRORS,
    DETAIL_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    _Answer,
    _conflict,
    _country_filter,
    _get,
    _organization_ref,
    _page,
    _renamed,
    _text,
    _translations,
    _working_group_filter,
    router,
)

# The directory shows these columns only; descriptions in every language are needed
# because a missing translation falls back to another language.
ORGANIZATION_COLUMNS = [
    "id",
    "slug",
    "acronym",
    "stakeholder_type",
    "country",
    "region",
    "website",
    "joined_on",
    "status",
    *localized_columns("name"),
    *localized_columns("description"),
]


def _with_working_groups(organizations):
    """Set `group_slugs` on each organization, in one query for them all (slugs rather
    than model objects: a prefetch would build a manager and a group per link)."""
    slugs = defaultdict(list)
    links = WorkingGroup.organizations.through.objects.filter(
        organization_id__in=[organization.pk for organization in organizations]
    )
    for organization_id, slug in links.order_by("workinggroup__slug").values_list(
        "organization_id", "workinggroup__slug"
    ):
        slugs[organization_id].append(slug)
    for organization in organizations:
        organization.group_slugs = slugs[organization.pk]
    return organizations


def _organization(answer, organization, *, detail=False):
    name = content_in(organization, "name", answer.language)
    data = {
        "id": organization.pk,
        "slug": organization.slug,
        "name": name.value,
        "name_language": name.language,
        "names": _translations(organization, "name"),
        "acronym": organization.acronym,
        "stakeholder_type": answer.choice(StakeholderType, organization.stakeholder_type),
        "country": answer.country(organization.country),
        "region": answer.choice(Region, organization.region) if organization.region else None,
        "website": organization.website,
        "description": _text(organization, "description", answer.language, html=True),
        "working_groups": organization.group_slugs,
        "joined_on": organization.joined_on,
        "url": answer.link("members:organization-detail", organization.slug),
    }
    if detail:
        data["status"] = organization.status
        data["descriptions"] = {
            language: sanitize_html(value)
            for language, value in _translations(organization, "description").items()
        }
    return data


@router.get(
    "/organizations",
    response={200: OrganizationPage, **READ_ERRORS},
    auth=None,
    tags=["organizations"],
    summary="Member organizations",
)
def list_organizations(request, filters: Query[OrganizationFilters]):
    """The Coalition's member organizations, filtered as in the directory, by name."""
    country = _country_filter(filters.country)
    queryset = selectors.directory_organizations(
        q=filters.q.strip(),
        stakeholder_type=filters.stakeholder_type or "",
        region=filters.region or "",
        country=country,
        working_group=_working_group_filter(filters.working_group),
    )
    organizations, page = _page(request, queryset.only(*ORGANIZATION_COLUMNS), filters)
    _with_working_groups(organizations)
    answer = _Answer(request)
    page["items"] = [_organization(answer, organization) for organization in organizations]
    return page


class ApplicationRateLimit(BaseThrottle):
    """The web form's limit (django-ratelimit, 10 an hour per IP), shared with it.

    Checked before the body is read, so invalid attempts count too, as on the web.
    """

    # The group django-ratelimit gives the web form's view, so that one address has one
    # budget whichever way it applies.
    group = "coalition.members.views.apply"
    rate = "10/h"

    def __init__(self):
        # ninja asks wait() right after allow_request() in the same thread.
        self._last = threading.local()

    def allow_request(self, request):
        usage = get_usage(
            request, group=self.group, key="ip", rate=self.rate, method="POST", increment=True
        )
        self._last.time_left = usage["time_left"] if usage else None
        return not (usage and usage["should_limit"])

    def wait(self):
        return getattr(self._last, "time_left", None)


def _application(answer, application):
    return {
        "id": application.pk,
        "status": application.status,
        "organization": _organization_ref(answer, application.organization),
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
    }


# Registered before "/organizations/{slug}", which would otherwise take "applications" for
# an organization's slug.
@router.post(
    "/organizations/applications",
    response={201: ApplicationOut, 400: Error, 403: Error, 429: Error},
    auth=None,
    throttle=[ApplicationRateLimit()],
    tags=["organizations"],
    summary="Apply to join the Coalition",
)
def apply_to_join(request, payload: ApplicationIn):
    """An organization asks to join; the secretariat decides. Anyone may apply; a
    signed-in applicant is linked to the application (and must send the CSRF token)."""
    if request.user.is_authenticated and check_csrf(request) is not None:
        raise HttpError(
            403,
            _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value."),
        )
    data = payload.model_dump(exclude={"language"})
    data["country"] = data["country"].upper()
    form = ApplicationForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    language = payload.language or get_language()
    # The model's errors, named after the fields the client sent.
    model_fields = {
        **dict.fromkeys(localized_columns("name"), "organization_name"),
        **dict.fromkeys(localized_columns("description"), "description"),
        "name": "organization_name",
    }
    try:
        application = services.apply_to_join(**form.application(language), applicant=request.user)
    except ValidationError as error:
        raise _renamed(error, model_fields) from error
    return Status(201, _application(_Answer(request), application))


@router.get(
    "/organizations/{slug}",
    response={200: OrganizationDetailOut, **DETAIL_ERRORS},
    auth=None,
    tags=["organizations"],
    summary="One organization",
)
def get_organization(request, slug: str, params: Query[LanguageQuery]):
    """A member organization; an applicant or former member only for who may edit it."""
    organization = Organization.objects.only(*ORGANIZATION_COLUMNS).filter(slug=slug).first()
    if organization is None or not (
        organization.is_member or request.user.has_perm("members.change_organization", organization)
    ):
        raise Http404(_("There is no member organization with this name."))
    _with_working_groups([organization])
    return _organization(_Answer(request), organization, detail=True)


@router.patch(
    "/organizations/{slug}",
    response={200: OrganizationDetailOut, **WRITE_ERRORS},
    tags=["organizations"],
    summary="Edit an organization's profile",
)
def update_organization(request, slug: str, payload: OrganizationPatch):
    """For the organization's focal points and the secretariat. Fields left out keep
    their value; `names` and `descriptions` change only the languages given."""
    organization = _get(
        Organization.objects.all(), _("There is no organization with this name."), slug=slug
    )
    if not request.user.has_perm("members.change_organization", organization):
        raise PermissionDenied
    given = payload.model_dump(exclude_unset=True)
    changes = {
        field: (given[field] or "").strip()
        for field in ("acronym", "website", "stakeholder_type", "country")
        if field in given
    }
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    field_names = {}
    for language, name in (given.get("names") or {}).items():
        changes[localized_column("name", language)] = name.strip()
        field_names[localized_column("name", language)] = f"names.{language}"
    for language, description in (given.get("descriptions") or {}).items():
        try:
            MaxLengthValidator(DESCRIPTION_MAX_LENGTH)(description or "")
        except ValidationError as error:
            raise ValidationError({f"descriptions.{language}": error.messages}) from error
        changes[localized_column("description", language)] = sanitize_html(description)
        field_names[localized_column("description", language)] = f"descriptions.{language}"
    default_name = localized_column("name", settings.LANGUAGE_CODE)
    field_names["name"] = f"names.{settings.LANGUAGE_CODE}"
    if default_name in changes:
        if not changes[default_name]:
            # Lists sort by this name, and the web form requires it too.
            message = _("The name in %(language)s is required.") % {
                "language": dict(UN_LANGUAGE_CHOICES)[settings.LANGUAGE_CODE]
            }
            raise ValidationError({field_names[default_name]: [message]})
        # Assigning `name` in the default language also keeps the original column, which
        # modeltranslation leaves alone, in step with it (as the web form does).
        changes["name"] = changes[default_name]
    try:
        with override(settings.LANGUAGE_CODE):
            organization = services.update_organization(organization, by=request.user, **changes)
    except ValidationError as error:
        raise _renamed(error, field_names) from error
    _with_working_groups([organization])
    return _organization(_Answer(request), organization, detail=True)


def _application_to_decide(request, application_id):
    if not request.user.has_perm("members.moderate_applications"):
        raise PermissionDenied
    return _get(
        MembershipApplication.objects.select_related("organization"),
        _("There is no application with this number."),
        pk=application_id,
    )


@router.post(
    "/organizations/applications/{application_id}/approve",
    response={200: ApplicationOut, **DECISION_ERRORS},
    tags=["organizations"],
    summary="Approve an application (secretariat)",
)
def approve_application(request, application_id: int):
    """The organization becomes a member and the applicant its focal point."""
    application = _application_to_decide(request, application_id)
    try:
        application = services.approve_application(application, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _application(_Answer(request), application)


@router.post(
    "/organizations/applications/{application_id}/decline",
    response={200: ApplicationOut, **DECISION_ERRORS},
    tags=["organizations"],
    summary="Decline an application (secretariat)",
)
def decline_application(request, application_id: int, payload: DeclineIn):
    """The reason is sent to the applicant."""
    application = _application_to_decide(request, application_id)
    try:
        application = services.decline_application(
            application, by=request.user, reason=payload.reason
        )
    except ValidationError as error:
        raise _conflict(error) from error
    return _application(_Answer(request), application)
