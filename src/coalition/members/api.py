"""The members domain in the JSON API: organizations, people, working groups.

Reads are public and show what the public pages show, never more: member organizations,
people who consented to a public profile, and never a person's e-mail or gender.
Writes need a signed-in session (the API's default authentication, see
`coalition/api.py`) and go through `services`, which check permissions again and run
in one transaction each. Problems are raised as exceptions (`PermissionDenied`,
`Http404`, `ValidationError`, `HttpError`) that the API turns into JSON errors.

Answers speak the language asked for with `?lang=` or Accept-Language; translated
content falls back visibly (`name_language`, `description.language`).
"""

import threading
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django_countries import countries
from django_ratelimit.core import get_usage
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column, localized_columns
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.regions import Region

from . import selectors, services
from .forms import DESCRIPTION_MAX_LENGTH, ApplicationForm
from .models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    StakeholderType,
    WorkingGroup,
    WorkingGroupMembership,
)
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    DeclineIn,
    Error,
    LanguageQuery,
    MembershipOut,
    MembershipRequestIn,
    OrganizationDetailOut,
    OrganizationFilters,
    OrganizationPage,
    OrganizationPatch,
    PeopleFilters,
    PersonOut,
    PersonPage,
    WorkingGroupList,
    WorkingGroupOut,
)

router = Router()

CONTENT_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES

# Errors each kind of operation may answer with, for the OpenAPI description.
READ_ERRORS = {400: Error}
DETAIL_ERRORS = {400: Error, 404: Error}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}
DECISION_ERRORS = {**WRITE_ERRORS, 409: Error}


def _translations(obj, field):
    return {
        language: value
        for language in CONTENT_LANGUAGES
        if (value := getattr(obj, localized_column(field, language), "") or "").strip()
    }


def _text(obj, field, language, *, html=False):
    content = content_in(obj, field, language)
    value = sanitize_html(content.value) if html else content.value
    return {"value": value, "language": content.language, "is_fallback": content.is_fallback}


class _Answer:
    """What the items of one answer share, worked out once rather than once per item:
    the language, the names of coded values, and the shape of links to pages."""

    SLUG = "--slug--"

    def __init__(self, request):
        self.request = request
        self.language = get_language()
        self._names = {}
        self._links = {}

    def choice(self, choices, code):
        if choices not in self._names:
            self._names[choices] = {value: str(label) for value, label in choices.choices}
        # A code no longer among the choices (old data) is shown as it is.
        return {"code": code, "name": self._names[choices].get(code, code)}

    def country(self, country):
        if not country:
            return None
        names = self._names.setdefault("country", {})
        if country.code not in names:
            names[country.code] = str(country.name)
        return {"code": country.code, "name": names[country.code]}

    def link(self, url_name, slug):
        """The absolute address of a page, as the model's get_absolute_url() gives it."""
        if url_name not in self._links:
            address = reverse(url_name, kwargs={"slug": self.SLUG})
            self._links[url_name] = self.request.build_absolute_uri(address).split(self.SLUG)
        before, after = self._links[url_name]
        return f"{before}{slug}{after}"


def _get(queryset, message, **lookup):
    """The one object matching `lookup`, else a 404 whose reason the client can read."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(message)
    return obj


def _conflict(error):
    """A service refused because of the object's state (already decided, already asked):
    409. Errors about given fields stay 400."""
    if hasattr(error, "error_dict"):
        return error
    return HttpError(409, " ".join(error.messages))


def _renamed(error, names):
    """The model's field names in `error`, as the API's fields are called."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {}
    for field, errors in error.error_dict.items():
        renamed.setdefault(names.get(field, field), []).extend(errors)
    return ValidationError(renamed)


def _page(request, queryset, params):
    limit, offset = params.limit, params.offset
    count = queryset.count()
    items = list(queryset[offset : offset + limit])
    query = request.GET.copy()

    def link(at):
        query["offset"] = str(at)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return items, {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
    }


def _country_filter(code):
    code = (code or "").strip().upper()
    if code and code not in countries:
        raise ValidationError({"country": [_("Unknown country code: use ISO 3166-1 alpha-2.")]})
    return code


def _working_group_filter(slug):
    if not slug:
        return None
    group = WorkingGroup.objects.filter(slug=slug).only("pk").first()
    if group is None:
        raise ValidationError({"working_group": [_("There is no working group with this name.")]})
    return group


# Organizations ---------------------------------------------------------------------------

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


def _organization_ref(answer, organization):
    name = content_in(organization, "name", answer.language)
    return {"slug": organization.slug, "name": name.value, "name_language": name.language}


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
        application = services.apply_to_join(
            organization_data=form.organization_data(language),
            applicant_name=form.cleaned_data["applicant_name"],
            applicant_email=form.cleaned_data["applicant_email"],
            applicant_role_title=form.cleaned_data["applicant_role_title"],
            motivation=form.cleaned_data["motivation"],
            language=language,
            applicant=request.user,
        )
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


# People ----------------------------------------------------------------------------------

PERSON_COLUMNS = ["id", "slug", "name", "country"]


def _people(queryset):
    """Public people with their public ties; `only()` keeps private columns out of reach."""
    organization = [f"organization__{column}" for column in localized_columns("name")]
    group = [f"working_group__{column}" for column in localized_columns("name")]
    return queryset.only(*PERSON_COLUMNS).prefetch_related(
        # All affiliations of the page's people, members or not, filtered in Python:
        # a person has a few, and a status filter here leads SQLite to read every member
        # organization first (50 ms over 5,000) instead of these people's few rows.
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("organization")
            .only(
                "id",
                "person_id",
                "role_title",
                "organization__slug",
                "organization__status",
                *organization,
            )
            .order_by("organization__name_en", "pk"),
        ),
        Prefetch(
            "group_memberships",
            queryset=WorkingGroupMembership.objects.filter(
                status=WorkingGroupMembership.Status.ACTIVE
            )
            .select_related("working_group")
            .only("id", "person_id", "role", "working_group__slug", *group)
            .order_by("working_group__action_area_id", "pk"),
        ),
    )


def _person(answer, person):
    return {
        "slug": person.slug,
        "name": person.name,
        "country": answer.country(person.country),
        "affiliations": [
            {
                "organization": _organization_ref(answer, affiliation.organization),
                "role_title": affiliation.role_title,
            }
            for affiliation in person.affiliations.all()
            if affiliation.organization.status == Organization.Status.MEMBER
        ],
        "working_groups": [
            {
                "slug": membership.working_group.slug,
                "name": content_in(membership.working_group, "name", answer.language).value,
                "role": answer.choice(WorkingGroupMembership.Role, membership.role),
            }
            for membership in person.group_memberships.all()
        ],
        "url": answer.link("members:person-detail", person.slug),
    }


@router.get(
    "/people",
    response={200: PersonPage, **READ_ERRORS},
    auth=None,
    tags=["people"],
    summary="People with a public profile",
)
def list_people(request, filters: Query[PeopleFilters]):
    """Only people who chose a public profile, and only their public fields."""
    queryset = selectors.directory_people(
        q=filters.q.strip(),
        country=_country_filter(filters.country),
        working_group=_working_group_filter(filters.working_group),
    )
    people, page = _page(request, _people(queryset), filters)
    answer = _Answer(request)
    page["items"] = [_person(answer, person) for person in people]
    return page


@router.get(
    "/people/{slug}",
    response={200: PersonOut, **DETAIL_ERRORS},
    auth=None,
    tags=["people"],
    summary="One person with a public profile",
)
def get_person(request, slug: str, params: Query[LanguageQuery]):
    person = _get(
        _people(Person.objects.public()),
        _("There is no public profile with this name."),
        slug=slug,
    )
    return _person(_Answer(request), person)


# Working groups --------------------------------------------------------------------------


def _group_or_404(queryset, slug):
    return _get(queryset, _("There is no working group with this name."), slug=slug)


def _person_ref(answer, person):
    return {
        "slug": person.slug,
        "name": person.name,
        "url": answer.link("members:person-detail", person.slug),
    }


def _working_groups(**lookup):
    """The groups with their public officers and member organizations, in three queries."""
    officers = [WorkingGroupMembership.Role.CHAIR, WorkingGroupMembership.Role.RAPPORTEUR]
    groups = list(
        WorkingGroup.objects.filter(**lookup)
        .select_related("action_area")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=WorkingGroupMembership.Status.ACTIVE)
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=WorkingGroupMembership.objects.filter(
                    status=WorkingGroupMembership.Status.ACTIVE,
                    role__in=officers,
                    person__public_profile=True,
                )
                .select_related("person")
                .only("id", "working_group_id", "role", "person__slug", "person__name")
                .order_by("person__name", "pk"),
                to_attr="public_officers",
            )
        )
        .order_by("action_area_id")
    )
    # Thousands of organizations may belong to a group: their slugs, not model instances.
    slugs = defaultdict(list)
    links = WorkingGroup.organizations.through.objects.filter(
        workinggroup__in=[group.pk for group in groups],
        organization__status=Organization.Status.MEMBER,
    )
    for group_id, slug in links.order_by("organization__slug").values_list(
        "workinggroup_id", "organization__slug"
    ):
        slugs[group_id].append(slug)
    for group in groups:
        group.member_organizations = slugs[group.pk]
    return groups


def _working_group(answer, group):
    language = answer.language
    name = content_in(group, "name", language)
    area = group.action_area
    roles = WorkingGroupMembership.Role
    return {
        "slug": group.slug,
        "name": name.value,
        "name_language": name.language,
        "names": _translations(group, "name"),
        "description": _text(group, "description", language, html=True),
        "action_area": {
            "number": area.number,
            "title": _text(area, "title", language),
            "short_title": _text(area, "short_title", language),
        },
        "chairs": [
            _person_ref(answer, m.person) for m in group.public_officers if m.role == roles.CHAIR
        ],
        "rapporteurs": [
            _person_ref(answer, m.person)
            for m in group.public_officers
            if m.role == roles.RAPPORTEUR
        ],
        "organizations": group.member_organizations,
        "organization_count": len(group.member_organizations),
        "member_count": group.member_count,
        "url": answer.link("members:working-group-detail", group.slug),
    }


@router.get(
    "/working-groups",
    response={200: WorkingGroupList, **READ_ERRORS},
    auth=None,
    tags=["working groups"],
    summary="The working groups",
)
def list_working_groups(request, params: Query[LanguageQuery]):
    """The Coalition's working groups, one per action area of the Recommendation."""
    answer = _Answer(request)
    groups = [_working_group(answer, group) for group in _working_groups()]
    # Shaped like the other lists, though the five groups need no pages.
    return {"count": len(groups), "items": groups}


@router.get(
    "/working-groups/{slug}",
    response={200: WorkingGroupOut, **DETAIL_ERRORS},
    auth=None,
    tags=["working groups"],
    summary="One working group",
)
def get_working_group(request, slug: str, params: Query[LanguageQuery]):
    groups = _working_groups(slug=slug)
    if not groups:
        raise Http404(_("There is no working group with this name."))
    group = groups[0]
    return _working_group(_Answer(request), group)


def _membership(answer, membership):
    return {
        "id": membership.pk,
        "working_group": membership.working_group.slug,
        "person": _person_ref(answer, membership.person),
        "role": answer.choice(WorkingGroupMembership.Role, membership.role),
        "status": membership.status,
        "requested_at": membership.requested_at,
        "decided_at": membership.decided_at,
    }


@router.post(
    "/working-groups/{slug}/membership-requests",
    response={201: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Ask to join a working group",
)
def request_membership(request, slug: str, payload: MembershipRequestIn):
    """The chairs decide. A second request while one is pending or accepted is a
    conflict (409); after a refusal one may ask again."""
    group = _group_or_404(WorkingGroup.objects.all(), slug)
    services.person_for_user(request.user)
    # The account may have been read without a person a moment ago; read it afresh.
    request.user.refresh_from_db()
    try:
        membership = services.request_group_membership(
            group, user=request.user, message=payload.message
        )
    except ValidationError as error:
        raise _conflict(error) from error
    return Status(201, _membership(_Answer(request), membership))


def _membership_to_decide(request, slug, membership_id):
    group = _group_or_404(WorkingGroup.objects.all(), slug)
    if not request.user.has_perm("members.manage_working_group", group):
        raise PermissionDenied
    return _get(
        group.memberships.select_related("person", "working_group"),
        _("There is no request with this number in this working group."),
        pk=membership_id,
    )


@router.post(
    "/working-groups/{slug}/membership-requests/{membership_id}/accept",
    response={200: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Accept a request to join (chairs, secretariat)",
)
def accept_membership(request, slug: str, membership_id: int):
    membership = _membership_to_decide(request, slug, membership_id)
    try:
        membership = services.accept_group_membership(membership, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _membership(_Answer(request), membership)


@router.post(
    "/working-groups/{slug}/membership-requests/{membership_id}/decline",
    response={200: MembershipOut, **DECISION_ERRORS},
    tags=["working groups"],
    summary="Decline a request to join (chairs, secretariat)",
)
def decline_membership(request, slug: str, membership_id: int):
    membership = _membership_to_decide(request, slug, membership_id)
    try:
        membership = services.decline_group_membership(membership, by=request.user)
    except ValidationError as error:
        raise _conflict(error) from error
    return _membership(_Answer(request), membership)
