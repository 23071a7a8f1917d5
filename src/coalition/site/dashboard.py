"""Figures for the guiding principles: geographic distribution and gender balance."""

from django.db.models import Count

from coalition.members.models import Organization


def coalition_figures():
    members = Organization.objects.members()
    return {
        "by_region": list(members.values("region").annotate(n=Count("pk")).order_by("region")),
    }
