"""Registration: places, the waiting list, cancellation and the e-mails that tell people."""

from email import message_from_bytes

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from coalition.activities.models import Registration
from coalition.activities.services import registration as registrations
from tests.factories.activities import (
    WEBINAR_END,
    WEBINAR_START,
    EventFactory,
    RegistrationFactory,
    upcoming_event,
)
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db


def register(activity, name, email, **kwargs):
    return registrations.register(activity, name=name, email=email, **kwargs)


def calendar_of(message):
    """The .ics attached to an e-mail, parsed, with the METHOD of its MIME part."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "exactly one calendar attachment"
    part = parts[0]
    assert part.get_filename() == "event.ics"
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def has_calendar(message):
    parsed = message_from_bytes(message.message().as_bytes())
    return any(part.get_content_type() == "text/calendar" for part in parsed.walk())


class TestCapacityAndWaitingList:
    def test_third_registrant_waits_then_gets_the_place_freed_by_the_first(
        self, django_capture_on_commit_callbacks
    ):
        event = upcoming_event(capacity=2)
        with django_capture_on_commit_callbacks(execute=True):
            first = register(event, "Aissatou Dabo", "aissatou@example.org")
            second = register(event, "Nivo Ralamboranto", "nivo@example.org")
            third = register(event, "Mei Chen", "Mei.Chen@Example.org ")
        assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
        assert third.email == "mei.chen@example.org"
        assert [m.to for m in mail.outbox] == [
            ["aissatou@example.org"],
            ["nivo@example.org"],
            ["mei.chen@example.org"],
        ]
        waiting_mail = mail.outbox[2]
        assert "waiting list" in waiting_mail.subject
        assert "waiting list" in waiting_mail.body
        assert event.access_url not in waiting_mail.body
        assert not has_calendar(waiting_mail)
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            registrations.cancel_registration(first)

        third.refresh_from_db()
        assert third.status == Registration.Status.CONFIRMED
        by_recipient = {tuple(m.to): m for m in mail.outbox}
        assert set(by_recipient) == {("aissatou@example.org",), ("mei.chen@example.org",)}
        promoted = by_recipient[("mei.chen@example.org",)]
        assert "A place is yours" in promoted.subject
        assert "a place has freed up" in promoted.body
        assert event.access_url in promoted.body
        method, calendar = calendar_of(promoted)
        assert method == "REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        # Whoever cancelled is told, with an .ics that takes the event out of their calendar.
        cancelled = by_recipient[("aissatou@example.org",)]
        assert "Registration cancelled" in cancelled.subject
        assert calendar_of(cancelled)[0] == "CANCEL"

    def test_no_limit_confirms_everyone(self):
        event = upcoming_event(capacity=None)
        statuses = {register(event, f"P{n}", f"p{n}@example.org").status for n in range(5)}
        assert statuses == {"confirmed"}

    def test_leaving_the_waiting_list_promotes_nobody(self, django_capture_on_commit_callbacks):
        event = upcoming_event(capacity=1)
        register(event, "A", "a@example.org")
        waiting = register(event, "B", "b@example.org")
        third = register(event, "C", "c@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            registrations.cancel_registration(waiting)
        third.refresh_from_db()
        assert third.status == Registration.Status.WAITING
        assert [m.to for m in mail.outbox] == [["b@example.org"]]
        # Nobody had put a waiting place in a calendar, so nothing is removed from one.
        assert not has_calendar(mail.outbox[0])

    def test_cancelling_twice_changes_nothing(self, django_capture_on_commit_callbacks):
        registration = register(upcoming_event(), "A", "a@example.org")
        registrations.cancel_registration(registration)
        cancelled_at = Registration.objects.get(pk=registration.pk).cancelled_at
        with django_capture_on_commit_callbacks(execute=True):
            registrations.cancel_registration(registration)
        assert Registration.objects.get(pk=registration.pk).cancelled_at == cancelled_at
        assert mail.outbox == []

    def test_nobody_is_promoted_to_a_cancelled_event(self, django_capture_on_commit_callbacks):
        organization = OrganizationFactory()
        event = upcoming_event(organization, capacity=1)
        first = register(event, "A", "a@example.org")
        waiting = register(event, "B", "b@example.org")
        registrations.cancel_event(event, by=focal_point_of(organization))
        with django_capture_on_commit_callbacks(execute=True):
            registrations.cancel_registration(first)
        waiting.refresh_from_db()
        assert waiting.status == Registration.Status.WAITING
        assert mail.outbox == []

    def test_a_freed_place_is_taken_again_by_a_new_registrant(self):
        event = upcoming_event(capacity=1)
        first = register(event, "A", "a@example.org")
        registrations.cancel_registration(first)
        # The same address may register again once its registration is cancelled.
        again = register(event, "A", "a@example.org")
        assert again.status == Registration.Status.CONFIRMED


class TestRefusals:
    def test_duplicate_email_is_refused_whatever_its_case(self):
        event = upcoming_event()
        register(event, "Aissatou Dabo", "aissatou@example.org")
        with pytest.raises(ValidationError) as error:
            register(event, "Someone else", " AISSATOU@example.org")
        assert error.value.messages == ["This e-mail address is already registered for this event."]
        assert Registration.objects.count() == 1

    def test_signed_in_person_registers_once_whatever_the_address(self):
        event = upcoming_event()
        user = UserFactory()
        register(event, "A", "first@example.org", user=user)
        with pytest.raises(ValidationError):
            register(event, "A", "second@example.org", user=user)

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"registration_open": False}, "Registration for this event is closed."),
            ({"registration_required": False}, "This event does not take registrations."),
        ],
    )
    def test_closed_event_refuses_with_a_message(self, overrides, message):
        event = upcoming_event(**overrides)
        with pytest.raises(ValidationError) as error:
            register(event, "A", "a@example.org")
        assert error.value.messages == [message]
        assert not Registration.objects.exists()

    def test_cancelled_event_refuses(self):
        organization = OrganizationFactory()
        event = upcoming_event(organization)
        registrations.cancel_event(event, by=focal_point_of(organization))
        with pytest.raises(ValidationError) as error:
            register(event, "A", "a@example.org")
        assert "cancelled" in error.value.messages[0]

    def test_event_that_is_over_refuses(self):
        event = upcoming_event(start=timezone.now() - timezone.timedelta(days=2))
        with pytest.raises(ValidationError) as error:
            register(event, "A", "a@example.org")
        assert error.value.messages == ["This event is over."]

    def test_unpublished_event_refuses(self):
        event = EventFactory(published_at=None, state="submitted")
        with pytest.raises(ValidationError):
            register(event, "A", "a@example.org")

    def test_refused_registration_sends_nothing(self, django_capture_on_commit_callbacks):
        event = upcoming_event(registration_open=False)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            register(event, "A", "a@example.org")
        assert mail.outbox == []


class TestConfirmationEmail:
    def webinar(self, **overrides):
        # The Open Education Week webinar, moved into the future so it still takes registrations.
        event = EventFactory(
            title_en="OER Dynamic Coalition webinar",
            title_fr="Webinaire de la Coalition dynamique",
            starts_at=WEBINAR_START.replace(year=timezone.now().year + 1),
            ends_at=WEBINAR_END.replace(year=timezone.now().year + 1),
            **overrides,
        )
        return event

    def test_confirmation_in_the_registrants_language_with_two_clocks(
        self, django_capture_on_commit_callbacks
    ):
        event = self.webinar()
        with django_capture_on_commit_callbacks(execute=True):
            registration = register(event, "Aissatou Dabo", "aissatou@example.org", language="fr")
        assert registration.language == "fr"
        (message,) = mail.outbox
        assert "Webinaire de la Coalition dynamique" in message.subject
        year = event.starts_at.year
        # The organizer's clock and UTC, written in French.
        assert f"9 mars {year}, 16:00–17:00 CET (Europe/Paris)" in message.body
        assert f"9 mars {year}, 15:00–16:00 UTC (UTC)" in message.body
        assert event.access_url in message.body
        assert "/fr/activities/" in message.body

    def test_account_time_zone_adds_a_third_clock(self, django_capture_on_commit_callbacks):
        event = self.webinar()
        user = UserFactory(time_zone="Asia/Tokyo")
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "Mei Chen", user.email, user=user, language="en")
        body = mail.outbox[0].body
        assert "16:00–17:00 CET (Europe/Paris)" in body
        assert "15:00–16:00 UTC (UTC)" in body
        # 16:00 in Paris is midnight in Tokyo: the next day.
        assert "10 March" in body and "00:00–01:00 JST (Asia/Tokyo)" in body

    def test_confirmation_carries_an_invitation_for_the_calendar(
        self, django_capture_on_commit_callbacks
    ):
        event = self.webinar()
        with django_capture_on_commit_callbacks(execute=True):
            register(event, "Aissatou Dabo", "aissatou@example.org", language="en")
        method, calendar = calendar_of(mail.outbox[0])
        assert method == "REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["UID"]) == f"activity-{event.pk}@127.0.0.1"
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert vevent.decoded("DTSTART").hour == 16
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
        assert str(vevent["ATTENDEE"]) == "mailto:aissatou@example.org"
        assert vevent["ATTENDEE"].params["CN"] == "Aissatou Dabo"
        assert str(vevent["ORGANIZER"]).startswith("mailto:")
        # The private contact is not the organizer the invitation names.
        assert event.contact_email not in calendar.to_ical().decode()
        # The person invited may join: the access link is in their own invitation.
        assert event.access_url in vevent["DESCRIPTION"]

    def test_cancel_link_in_the_email_cancels_the_registration(
        self, client, django_capture_on_commit_callbacks
    ):
        event = self.webinar()
        with django_capture_on_commit_callbacks(execute=True):
            registration = register(event, "A", "a@example.org", language="en")
        link = next(line for line in mail.outbox[0].body.splitlines() if "/registrations/" in line)
        path = link.strip().removeprefix("http://127.0.0.1:8000")
        assert client.get(path).status_code == 200
        assert client.post(path).status_code == 302
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CANCELLED


class TestEventCancellation:
    def test_every_live_registrant_is_told_with_a_cancelling_ics(
        self, django_capture_on_commit_callbacks
    ):
        organization = OrganizationFactory()
        event = upcoming_event(organization, capacity=1)
        confirmed = register(event, "A", "a@example.org")
        register(event, "B", "b@example.org")  # waiting
        gone = register(event, "C", "c@example.org")
        registrations.cancel_registration(gone)  # C gave up their waiting place: not told again
        sequence = event.sequence
        with django_capture_on_commit_callbacks(execute=True):
            registrations.cancel_event(event, by=focal_point_of(organization))
        event.refresh_from_db()
        assert event.is_cancelled and event.sequence == sequence + 1
        by_recipient = {tuple(m.to): m for m in mail.outbox}
        assert set(by_recipient) == {("a@example.org",), ("b@example.org",)}
        assert "Event cancelled" in by_recipient[("a@example.org",)].subject
        method, calendar = calendar_of(by_recipient[("a@example.org",)])
        assert method == "CANCEL"
        assert calendar["METHOD"] == "CANCEL"
        (vevent,) = calendar.walk("VEVENT")
        assert vevent["STATUS"] == "CANCELLED"
        assert str(vevent["UID"]) == f"activity-{event.pk}@127.0.0.1"
        assert vevent["SEQUENCE"] == sequence + 1
        assert confirmed.email in str(vevent["ATTENDEE"])
        # Someone who was waiting never had it in a calendar: told, without an .ics.
        assert not has_calendar(by_recipient[("b@example.org",)])

    def test_only_organizers_and_secretariat_cancel(self):
        event = upcoming_event()
        with pytest.raises(PermissionDenied):
            registrations.cancel_event(event, by=UserFactory())
        with pytest.raises(PermissionDenied):
            registrations.cancel_event(event, by=focal_point_of(OrganizationFactory()))
        registrations.cancel_event(event, by=SecretariatFactory())
        with pytest.raises(ValidationError):
            registrations.cancel_event(event, by=SecretariatFactory())


def test_counts_places_left():
    event = EventFactory(capacity=3)
    RegistrationFactory(activity=event)
    RegistrationFactory(activity=event, status=Registration.Status.WAITING)
    RegistrationFactory(activity=event, status=Registration.Status.CANCELLED)
    assert registrations.counts(event) == {"confirmed": 1, "waiting": 1, "capacity": 3, "left": 2}


# --- A sign-up sheet kept elsewhere, imported by the organizer --------------------------------


def test_import_registrations_records_a_past_events_sheet_and_mails_nobody():
    event = EventFactory(starts_at=timezone.now() - timezone.timedelta(days=30))
    event.ends_at = event.starts_at + timezone.timedelta(hours=1)
    event.save()
    registered = timezone.now() - timezone.timedelta(days=40)
    rows = [
        {
            "name": "Aminata Diop",
            "email": "A.Diop@example.org",
            "status": "confirmed",
            "created_at": registered,
        },
        {
            "name": "Hery Rakoto",
            "email": "hery@example.org",
            "status": "cancelled",
            "created_at": registered,
            "cancelled_at": registered + timezone.timedelta(days=2),
        },
    ]
    made = registrations.import_registrations(event, rows, by=SecretariatFactory())
    assert [(r.email, r.status) for r in made] == [
        ("a.diop@example.org", "confirmed"),
        ("hery@example.org", "cancelled"),
    ]
    assert Registration.objects.get(email="a.diop@example.org").created_at == registered
    assert mail.outbox == []


def test_import_registrations_leaves_an_address_already_registered():
    event = upcoming_event(registration_required=True)
    register(event, "Aminata Diop", "aminata@example.org")
    row = {
        "name": "A. Diop",
        "email": "aminata@example.org",
        "status": "confirmed",
        "created_at": timezone.now(),
    }
    assert registrations.import_registrations(event, [row], by=SecretariatFactory()) == []
    assert event.registrations.get().name == "Aminata Diop"


def test_import_registrations_is_refused_to_someone_who_does_not_organize_it():
    event = upcoming_event(registration_required=True)
    with pytest.raises(PermissionDenied):
        registrations.import_registrations(event, [], by=UserFactory())


def test_import_registrations_refuses_an_unknown_status():
    event = upcoming_event(registration_required=True)
    row = {"name": "X", "email": "x@example.org", "status": "maybe", "created_at": timezone.now()}
    with pytest.raises(ValidationError):
        registrations.import_registrations(event, [row], by=SecretariatFactory())
