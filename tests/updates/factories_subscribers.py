"""Subscribers in each state, and a minimal issue with editions to check who would be sent it."""

from datetime import date

import factory
from django.utils import timezone

from coalition.updates.models import Edition, Subscriber, UpdateIssue


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber who came through the form, as most are."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    status = Subscriber.Status.CONFIRMED
    source = "form"
    consent_text = "I agree that the OER Dynamic Coalition sends me the Update."
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class PendingSubscriberFactory(SubscriberFactory):
    status = Subscriber.Status.PENDING
    confirmed_at = None


class ImportedSubscriberFactory(PendingSubscriberFactory):
    source = "import"
    consent_text = ""
    consented_at = None


def issue_with_editions(*languages, slug="march-2023"):
    """An issue with one (empty) edition per language: enough for the outbox to be filled."""
    issue = UpdateIssue.objects.create(
        title="March 2023", slug=slug, period_start=date(2023, 3, 1), period_end=date(2023, 3, 31)
    )
    for language in languages or ("en",):
        Edition.objects.create(issue=issue, language=language)
    return issue
