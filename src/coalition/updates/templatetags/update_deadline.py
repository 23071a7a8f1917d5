"""The deadline to share activities for the next Update, for the activity forms."""

from django import template
from django.utils import timezone

from coalition.activities.clocks import span_in_zone
from coalition.updates.models import UpdateIssue

register = template.Library()


@register.inclusion_tag("updates/includes/next_deadline.html")
def next_update_deadline():
    issue = (
        UpdateIssue.objects.filter(next_deadline__gte=timezone.now())
        .order_by("next_deadline")
        .only("next_deadline", "time_zone")
        .first()
    )
    if issue is None:
        return {"deadline": None}
    return {
        "deadline": span_in_zone(issue.next_deadline, None, issue.time_zone),
        "deadline_utc": issue.next_deadline,
    }
