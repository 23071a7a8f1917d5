"""Events for the events tests: through the real moderation path, or in bulk for feeds."""

from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from coalition.activities.models import Activity, Kind, Registration, State
from tests.activities.factories import published_activity
from tests.factories import OrganizationFactory

# The Open Education Week webinar: Thursday 9 March 2023, 16:00–17:00 CET (15:00 UTC).
WEBINAR_START = datetime(2023, 3, 9, 15, 0, tzinfo=UTC)
WEBINAR_END = datetime(2023, 3, 9, 16, 0, tzinfo=UTC)


def soon(days=30, hour=14):
    """A whole hour some days ahead, in UTC."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def upcoming_event(organization=None, *, start=None, hours=1, **overrides):
    """A published event in the future, submitted by a focal point and approved."""
    start = start or soon()
    return published_activity(
        organization,
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=hours)).isoformat(),
        **overrides,
    )


class EventFactory(factory.django.DjangoModelFactory):
    """A published event written straight to the database: for feeds with many events."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = Kind.EVENT
    event_format = "webinar"
    title = factory.Sequence(lambda n: f"Open education webinar {n}")
    title_en = factory.SelfAttribute("title")
    summary_en = "<p>A webinar of the Coalition on <strong>open licences</strong>.</p>"
    time_zone = "Europe/Paris"
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    is_online = True
    registration_required = True
    access_url = factory.Sequence(lambda n: f"https://meet.example.org/secret-room-{n}")
    contact_name = "Private Contact"
    contact_email = factory.Sequence(lambda n: f"private.contact{n}@example.org")
    state = State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create:
            self.organizations.set(extracted if extracted is not None else [OrganizationFactory()])


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    status = Registration.Status.CONFIRMED
    language = "en"
