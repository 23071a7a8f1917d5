"""Registrants hear of it when the secretariat approves a new time, place or title."""

from datetime import UTC, timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from coalition.activities.clocks import span_in_zone
from coalition.activities.models import Registration
from coalition.activities.services import moderation
from coalition.activities.services import registration as registrations
from coalition.activities.snapshot import snapshot_of
from tests.factories.activities import (
    EventFactory,
    RegistrationFactory,
    soon,
    upcoming_event,
)
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db

ACCESS_URL = "https://unesco.zoom.example/j/123"


def calendar_of(message):
    """The .ics attached to an e-mail, parsed, with the METHOD of its MIME part."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "exactly one calendar attachment"
    return parts[0].get_param("method"), Calendar.from_ical(parts[0].get_payload(decode=True))


def has_calendar(message):
    parsed = message_from_bytes(message.message().as_bytes())
    return any(part.get_content_type() == "text/calendar" for part in parsed.walk())


def to(address):
    """The e-mails sent to one address (the submitter gets the moderation decision too)."""
    return [message for message in mail.outbox if message.to == [address]]


def propose(event, organization, **changes):
    data = snapshot_of(event)
    data.update(changes)
    return moderation.propose_change(
        event, user=focal_point_of(organization), organization=organization, data=data
    )


def moved(event, hours):
    start, end = event.starts_at + timedelta(hours=hours), event.ends_at + timedelta(hours=hours)
    return {"starts_at": start.isoformat(), "ends_at": end.isoformat()}


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def event(organization):
    # Next month, 14:00–15:00 UTC, announced on Paris time; one place, so one person waits.
    return upcoming_event(
        organization,
        start=soon(days=40),
        capacity=1,
        title_fr="Webinaire de la Coalition",
    )


@pytest.fixture
def registrants(event):
    confirmed = registrations.register(
        event, name="Amélie Martin", email="amelie@example.org", language="fr"
    )
    waiting = registrations.register(event, name="Mei Chen", email="mei@example.org", language="en")
    assert (confirmed.status, waiting.status) == ("confirmed", "waiting")
    mail.outbox.clear()
    return confirmed, waiting


class TestScheduleChange:
    def test_approved_new_time_reaches_every_live_registrant_end_to_end(
        self, client, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        old_start = event.starts_at
        submission = propose(event, organization, **moved(event, 2))
        client.force_login(SecretariatFactory())
        url = reverse("activities:moderation-detail", kwargs={"pk": submission.pk})
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"decision": "approve"}).status_code == 302
        event.refresh_from_db()
        assert event.sequence == 1
        assert event.starts_at == old_start + timedelta(hours=2)

        # The confirmed registrant, who registered in French: French words, the new time
        # on both clocks, and an invitation that moves the event in their calendar.
        (confirmed,) = to("amelie@example.org")
        assert "Webinaire de la Coalition" in confirmed.subject
        paris = event.starts_at.astimezone(ZoneInfo("Europe/Paris"))
        assert f"{paris:%H:%M}" in confirmed.body
        assert f"{event.starts_at.astimezone(UTC):%H:%M}" in confirmed.body  # the UTC clock
        assert "(Europe/Paris)" in confirmed.body and "(UTC)" in confirmed.body
        french_days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
        assert any(day in confirmed.body for day in french_days)
        assert ACCESS_URL in confirmed.body
        method, calendar = calendar_of(confirmed)
        assert method == "REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["UID"]) == f"activity-{event.pk}@127.0.0.1"
        assert vevent["SEQUENCE"] == 1
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert vevent.decoded("DTSTART").astimezone(UTC) == event.starts_at
        assert vevent.decoded("DTEND").astimezone(UTC) == event.ends_at
        assert vevent["SUMMARY"] == "Webinaire de la Coalition"
        assert str(vevent["ATTENDEE"]) == "mailto:amelie@example.org"
        assert ACCESS_URL in vevent["DESCRIPTION"]

        # The one waiting: the new details, still waiting, no invitation and no access link.
        (waiting,) = to("mei@example.org")
        assert waiting.subject.startswith("Event changed:")
        assert "still on the waiting list" in waiting.body
        assert ACCESS_URL not in waiting.body
        assert not has_calendar(waiting)

    def test_the_former_time_is_given_beside_the_new_one(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        with translation.override("en"):
            before = span_in_zone(event.starts_at, event.ends_at, "Europe/Paris")
        submission = propose(event, organization, **moved(event, 24))
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        event.refresh_from_db()
        with translation.override("en"):
            after = span_in_zone(event.starts_at, event.ends_at, "Europe/Paris")
        (message,) = to("mei@example.org")
        details, former = message.body.split("Before the change:")
        assert f"  {after} (Europe/Paris)" in details
        assert former.splitlines()[1] == f"  {before} (Europe/Paris)"
        assert before not in details

    def test_a_new_place_is_news_too_and_the_former_place_is_named(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        submission = propose(event, organization, is_online=False, location="UNESCO, Paris")
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        (message,) = to("mei@example.org")
        assert "Where: UNESCO, Paris" in message.body
        assert "Before the change:\n  Online" in message.body
        _method, calendar = calendar_of(to("amelie@example.org")[0])
        (vevent,) = calendar.walk("VEVENT")
        assert vevent["LOCATION"] == "UNESCO, Paris"
        assert vevent["SEQUENCE"] == 1

    def test_a_new_title_is_news_but_says_nothing_of_a_former_time(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        submission = propose(event, organization, title_en="Open licences in practice")
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        (message,) = to("mei@example.org")
        assert message.subject == "Event changed: Open licences in practice"
        assert "Before the change" not in message.body


class TestNoNews:
    def test_a_new_summary_tells_no_registrant(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        submission = propose(event, organization, summary_en="<p>Now with a programme.</p>")
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        event.refresh_from_db()
        assert event.sequence == 0
        assert to("amelie@example.org") == [] and to("mei@example.org") == []

    def test_a_cancelled_registration_is_not_told(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        confirmed, _waiting = registrants
        registrations.cancel_registration(confirmed)  # Mei gets the place
        mail.outbox.clear()
        submission = propose(event, organization, **moved(event, 1))
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        assert to("amelie@example.org") == []
        (promoted,) = to("mei@example.org")
        assert calendar_of(promoted)[0] == "REQUEST"

    def test_first_publication_is_no_change(self, organization, django_capture_on_commit_callbacks):
        # An event not yet published, with a registration written straight to the database.
        draft = EventFactory(organizations=[organization], published_at=None, state="submitted")
        RegistrationFactory(activity=draft, email="early@example.org")
        submission = propose(draft, organization, **moved(draft, 1))
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve_submission(submission, by=SecretariatFactory())
        draft.refresh_from_db()
        assert draft.is_published and draft.sequence == 0
        assert to("early@example.org") == []

    def test_nothing_is_sent_when_the_approval_is_rolled_back(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        submission = propose(event, organization, **moved(event, 3))
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            moderation.approve_submission(submission, by=SecretariatFactory())
            raise RuntimeError("something later in the request failed")
        assert to("amelie@example.org") == [] and to("mei@example.org") == []
        event.refresh_from_db()
        assert event.sequence == 0

    def test_only_the_latest_of_two_quick_changes_is_sent(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        secretariat = SecretariatFactory()
        with django_capture_on_commit_callbacks(execute=False) as queued:
            moderation.approve_submission(
                propose(event, organization, **moved(event, 1)), by=secretariat
            )
            event.refresh_from_db()
            moderation.approve_submission(
                propose(event, organization, **moved(event, 1)), by=secretariat
            )
        # The worker runs after both approvals: the first task finds SEQUENCE moved on.
        for callback in queued:
            callback()
        event.refresh_from_db()
        assert event.sequence == 2
        (message,) = to("amelie@example.org")
        (vevent,) = calendar_of(message)[1].walk("VEVENT")
        assert vevent["SEQUENCE"] == 2
        assert vevent.decoded("DTSTART").astimezone(UTC) == event.starts_at

    def test_a_cancelled_event_sends_no_change(
        self, event, organization, registrants, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            moderation.approve_submission(
                propose(event, organization, **moved(event, 1)), by=SecretariatFactory()
            )
        registrations.cancel_event(event, by=focal_point_of(organization))
        mail.outbox.clear()
        for callback in queued:
            callback()
        assert to("amelie@example.org") == [] and to("mei@example.org") == []


def test_registrant_with_an_account_zone_sees_their_own_clock(
    event, organization, django_capture_on_commit_callbacks
):
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    registration = registrations.register(
        event, name="Aiko", email="aiko@example.org", user=tokyo, language="en"
    )
    assert registration.status == Registration.Status.CONFIRMED
    mail.outbox.clear()
    submission = propose(event, organization, **moved(event, 2))
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_submission(submission, by=SecretariatFactory())
    event.refresh_from_db()
    (message,) = to("aiko@example.org")
    tokyo_start = event.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo_start:%H:%M}" in message.body
    assert "(Asia/Tokyo)" in message.body
