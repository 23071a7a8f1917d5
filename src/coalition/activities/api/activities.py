"""Activities in the API, read: the lists with the pages' filters, and one activity."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query

from coalition.catalogue import selectors as catalogue
from coalition.catalogue.models import LicenceClass
from coalition.core import page_cache
from coalition.core.translated import localized_columns
from coalition.members.api import (
    DETAIL_ERRORS,
    READ_ERRORS,
    _Answer,
    _organization_ref,
    _page,
    _text,
)
from coalition.members.models import Organization, WorkingGroup
from coalition.members.schemas import LanguageQuery
from coalition.recommendation.regions import Region

from .. import selectors
from ..clocks import span_in_zone
from ..forms.activities import ActivityFilterForm
from ..models import (
    Activity,
    EventFormat,
    Kind,
    ProgrammeRole,
    Registration,
)
from ..schemas import (
    ActivityDetailOut,
    ActivityFilters,
    ActivityPage,
    EventFilters,
)
from ..services import registration as registrations
from . import router

# What an answer shows, and what the permission rules read; never the access link. The
# contact e-mail is read to be shown only when the submitter made it public.
ACTIVITY_COLUMNS = [
    "id",
    *selectors.PUBLIC_COLUMNS,
    *localized_columns("title"),
    *localized_columns("summary"),
    "deadline",
    "registration_required",
    "registration_open",
    "capacity",
    "contact_name",
    "contact_email",
    "contact_is_public",
    "state",
    "published_at",
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
        Prefetch(
            "cited_records",
            queryset=catalogue.citable_records().select_related("work").order_by("title", "pk"),
            to_attr="api_cited_records",
        ),
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
        "cited_records": [
            {
                "hub_id": str(record.work.hub_id),
                "title": record.title,
                "title_language": record.title_language,
                "licence_class": answer.choice(LicenceClass, record.licence_class),
                "url": answer.request.build_absolute_uri(record.get_absolute_url()),
            }
            for record in activity.api_cited_records
        ],
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
    """One page of a list, kept for anonymous callers like the lists' pages: under the
    versions of the activities and of what their items show (registrations' places left).
    """

    def compute():
        activities, page = _page(request, _with_relations(queryset), params)
        answer, confirmed, now = _Answer(request), _confirmed_counts(activities), timezone.now()
        page["items"] = [_activity(answer, activity, confirmed, now) for activity in activities]
        return page

    return page_cache.kept_answer(
        request, ("activities", "activity-pages", "cited-records"), compute
    )


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
