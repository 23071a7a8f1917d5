"""Short lists of activities for other apps' pages (home, organization, working group)."""

from django import template
from django.utils import timezone

from coalition.activities import selectors

register = template.Library()


@register.inclusion_tag("activities/includes/activities_of.html", takes_context=True)
def activities_of(context, organization=None, working_group=None, limit=5):
    filters = {"organization": organization, "working_group": working_group}
    now = timezone.now()
    upcoming = selectors.for_listing(selectors.upcoming_events(now=now, **filters))[:limit]
    recent = selectors.for_listing(
        selectors.published_activities(**filters)
        .exclude(kind="event")
        .order_by("-published_at", "-pk")
    )[:limit]
    query = (
        f"organization={organization.slug}"
        if organization
        else f"working_group={working_group.slug}"
    )
    return {
        "request": context.get("request"),
        "upcoming": upcoming,
        "recent": recent,
        "query": query,
    }


@register.inclusion_tag("activities/includes/next_events.html", takes_context=True)
def next_events(context, limit=3):
    upcoming = selectors.for_listing(selectors.upcoming_events())[:limit]
    return {"request": context.get("request"), "upcoming": upcoming}
