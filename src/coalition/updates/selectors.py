"""Reads of the Update shared by the pages and the feed."""

from django.db.models import Q

from .models import Edition, UpdateIssue


def public_editions():
    """Editions that were sent: only these are public."""
    return Edition.objects.filter(
        Q(sent_at__isnull=False) | Q(issue__status=UpdateIssue.Status.SENT)
    )
