"""Read-side queries for activities, shared by pages, feeds and the API."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from coalition.core.translated import localized_columns
from coalition.members.models import Organization
from coalition.recommendation.models import ActionArea

from .models import Activity, Coverage, Kind

# What every public rendering of an activity reads (list rows, feeds, the API): its address,
# kind, when and where. Each adds its own columns to these.
PUBLIC_COLUMNS = (
    "slug",
    "kind",
    "event_format",
    "starts_at",
    "ends_at",
    "time_zone",
    "location",
    "is_online",
    "is_cancelled",
)


def published_activities(
    *,
    kind="",
    action_area=None,
    working_group=None,
    language=None,
    region="",
    country="",
    organization=None,
    date_from=None,
    date_to=None,
    q="",
):
    """Published activities matching the filters the pages, feeds and API offer.

    Filters on related rows are EXISTS subqueries, not joins: no row can repeat, so no
    DISTINCT or `pk IN (...)` wrapper is needed, and the database can walk the published
    activities in the list's order (the partial indexes on Activity) and stop at the end of
    the page instead of collecting every match first.
    """
    activities = Activity.objects.published()
    if kind:
        activities = activities.filter(kind=kind)
    related = (
        (Activity.action_areas.through, {"actionarea": action_area}, action_area),
        (Activity.working_groups.through, {"workinggroup": working_group}, working_group),
        (Activity.languages.through, {"language": language}, language),
        (Activity.organizations.through, {"organization": organization}, organization),
        (Coverage, {"region": region}, region),
        (Coverage, {"country": country}, country),
    )
    for model, lookup, value in related:
        if value not in (None, ""):
            activities = activities.filter(
                Exists(model.objects.filter(activity=OuterRef("pk"), **lookup))
            )
    if date_from:
        activities = activities.filter(
            Q(ends_at__date__gte=date_from)
            | Q(ends_at__isnull=True, published_at__date__gte=date_from)
        )
    if date_to:
        activities = activities.filter(
            Q(starts_at__date__lte=date_to)
            | Q(starts_at__isnull=True, published_at__date__lte=date_to)
        )
    if q:
        match = Q()
        for column in localized_columns("title"):
            match |= Q(**{f"{column}__icontains": q})
        activities = activities.filter(match)
    return activities


def upcoming_events(now=None, **filters):
    return (
        published_activities(kind=Kind.EVENT, **filters)
        .filter(ends_at__gte=now or timezone.now())
        .order_by("starts_at", "pk")
    )


def past_events(now=None, **filters):
    return (
        published_activities(kind=Kind.EVENT, **filters)
        .filter(ends_at__lt=now or timezone.now())
        .order_by("-starts_at", "-pk")
    )


def for_listing(activities):
    """What a list row shows, fetched in a fixed number of queries.

    The row's organizations and action areas come as plain lists (`listed_organizations`,
    `listed_action_areas`) holding only the columns a row shows: a list page renders dozens
    of rows, and related managers and whole organization rows (with their descriptions in
    every language) were most of its time.
    """
    name_columns = localized_columns("name")
    return activities.prefetch_related(
        Prefetch(
            "organizations",
            queryset=Organization.objects.only("slug", "acronym", "name", *name_columns),
            to_attr="listed_organizations",
        ),
        Prefetch(
            "action_areas",
            queryset=ActionArea.objects.only("number"),
            to_attr="listed_action_areas",
        ),
    ).only(*PUBLIC_COLUMNS, *localized_columns("title"), "title", "deadline", "published_at")
