"""Consultation pieces other apps' pages show (as activity_lists does for activities)."""

from django import template

from ..models import Report

register = template.Library()


@register.inclusion_tag("consultations/includes/reports_of.html")
def reports_of(working_group):
    """The working group's published consultation reports, newest consultation first."""
    reports = (
        Report.objects.filter(working_group=working_group, state=Report.State.PUBLISHED)
        .select_related("consultation", "working_group")
        .order_by("-consultation__starts_on", "pk")
    )
    return {"reports": list(reports)}
