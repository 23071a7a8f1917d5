"""Read-side queries for activities, shared by pages, feeds and the API."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Activity, Kind


def _title_columns():
    return [f"title_{code.replace('-', '_')}" for code in settings.MODELTRANSLATION_LANGUAGES]


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
    """Published activities matching the filters the pages, feeds and API offer."""
    activities = Activity.objects.published()
    if kind:
        activities = activities.filter(kind=kind)
    if action_area is not None:
        activities = activities.filter(action_areas=action_area)
    if working_group is not None:
        activities = activities.filter(working_groups=working_group)
    if language is not None:
        activities = activities.filter(languages=language)
    if region:
        activities = activities.filter(coverage__region=region)
    if country:
        activities = activities.filter(coverage__country=country)
    if organization is not None:
        activities = activities.filter(organizations=organization)
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
        for column in _title_columns():
            match |= Q(**{f"{column}__icontains": q})
        activities = activities.filter(match)
    # Filters across many-to-many relations can repeat rows; a subquery keeps it one row each
    # without DISTINCT over every column.
    if any(v for v in (action_area, working_group, language, region, country, organization)):
        activities = Activity.objects.filter(pk__in=activities.values("pk"))
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
    """What a list row shows, fetched in a fixed number of queries."""
    return activities.prefetch_related("organizations", "action_areas").only(
        *_title_columns(),
        "title",
        "slug",
        "kind",
        "event_format",
        "starts_at",
        "ends_at",
        "time_zone",
        "deadline",
        "published_at",
        "is_cancelled",
        "is_online",
        "location",
    )
