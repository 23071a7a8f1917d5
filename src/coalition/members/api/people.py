"""People in the API: those who consented to a public profile, never an e-mail or gender."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query

from coalition.core.translated import localized_columns
from coalition.recommendation.content import content_in

from .. import selectors
from ..models import (
    Affiliation,
    Organization,
    Person,
    WorkingGroupMembership,
)
from ..schemas import (
    LanguageQuery,
    PeopleFilters,
    PersonOut,
    PersonPage,
)
from . import (
    DETAIL_ERRORS,
    READ_ERRORS,
    _Answer,
    _country_filter,
    _get,
    _organization_ref,
    _page,
    _working_group_filter,
    router,
)

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
