"""Event pages: the registration panel, the cancel link, the organizers' tools."""

import csv
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from coalition.activities import tokens
from coalition.activities.models import Activity, Registration
from tests.factories.activities import EventFactory, RegistrationFactory
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db


def register_url(event):
    return reverse("activities:event-register", kwargs={"slug": event.slug})


def cancel_link(registration):
    return reverse(
        "activities:registration-cancel",
        kwargs={"signed": tokens.signed_token(registration)},
    )


def form(**overrides):
    return {
        "name": "Aissatou Dabo",
        "email": "aissatou@example.org",
        "organization_name": "UNESCO",
        **overrides,
    }


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


class TestRegistering:
    def test_visitor_sees_the_form_on_an_open_event(self, client):
        event = EventFactory()
        html = client.get(event.get_absolute_url()).content.decode()
        assert f'action="{register_url(event)}"' in html
        assert 'id="registration_email"' in html

    def test_signed_in_person_finds_the_form_filled_in(self, client):
        organization = OrganizationFactory(name_en="Commonwealth of Learning")
        user = focal_point_of(organization, email="mei@example.org")
        user.person.name = "Mei Chen"
        user.person.save()
        client.force_login(user)
        response = client.get(register_url(EventFactory()))
        assert response.context["form"].initial == {
            "email": "mei@example.org",
            "name": "Mei Chen",
            "organization_name": "Commonwealth of Learning",
        }

    def test_registration_is_kept_with_the_page_language(
        self, client, django_capture_on_commit_callbacks
    ):
        event = EventFactory()
        with translation.override("fr"):
            url = register_url(event)
        assert url.startswith("/fr/")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, form(share_contact="on"), follow=True)
        registration = Registration.objects.get()
        assert (registration.language, registration.share_contact) == ("fr", True)
        assert registration.status == Registration.Status.CONFIRMED
        assert response.redirect_chain[-1][0] == f"{event.get_absolute_url()}#registration".replace(
            "/en/", "/fr/"
        )
        assert len(mail.outbox) == 1

    def test_full_event_says_the_visitor_is_on_the_waiting_list(self, client):
        event = EventFactory(capacity=1)
        RegistrationFactory(activity=event)
        page = client.get(event.get_absolute_url()).content.decode()
        assert "All places are taken" in page
        assert "Join the waiting list" in page
        response = client.post(register_url(event), form(), follow=True)
        assert Registration.objects.get(email="aissatou@example.org").status == "waiting"
        assert any("waiting list" in message for message in messages_of(response))

    def test_duplicate_registration_is_refused_with_a_message(self, client):
        event = EventFactory()
        RegistrationFactory(activity=event, email="aissatou@example.org")
        response = client.post(register_url(event), form(email="Aissatou@Example.org"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "This e-mail address is already registered for this event." in html
        assert Registration.objects.count() == 1

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"registration_open": False}, "Registration for this event is closed."),
            ({"is_cancelled": True}, "This event is cancelled; it no longer takes registrations."),
        ],
    )
    def test_closed_or_cancelled_event_refuses_with_a_message(self, client, overrides, message):
        event = EventFactory(**overrides)
        assert message in client.get(event.get_absolute_url()).content.decode()
        response = client.post(register_url(event), form())
        assert response.status_code == 409
        assert message in response.content.decode()
        assert not Registration.objects.exists()

    def test_event_that_is_over_refuses(self, client):
        start = timezone.now() - timezone.timedelta(days=3)
        event = EventFactory(starts_at=start, ends_at=start + timezone.timedelta(hours=1))
        response = client.post(register_url(event), form())
        assert response.status_code == 409
        assert "This event is over." in response.content.decode()

    def test_registered_person_is_not_registered_twice(self, client):
        event = EventFactory()
        user = UserFactory()
        RegistrationFactory(activity=event, user=user, email=user.email, status="waiting")
        client.force_login(user)
        page = client.get(register_url(event))
        assert "You are already on the waiting list for this event." in page.content.decode()
        response = client.post(register_url(event), form(email="other@example.org"))
        assert response.status_code == 409
        assert Registration.objects.count() == 1

    def test_invalid_address_is_explained_and_nothing_saved(self, client):
        response = client.post(register_url(EventFactory()), form(email="not-an-address"))
        assert response.status_code == 200
        assert response.context["form"].errors["email"] == ["Enter a valid email address."]
        assert not Registration.objects.exists()

    def test_unpublished_event_is_not_open_to_visitors(self, client):
        event = EventFactory(published_at=None, state="submitted")
        assert client.post(register_url(event), form()).status_code == 403

    def test_event_without_registration_shows_no_form(self, client):
        event = EventFactory(registration_required=False)
        html = client.get(event.get_absolute_url()).content.decode()
        assert register_url(event) not in html
        assert "Add to my calendar" in html

    def test_panel_is_absent_from_other_kinds(self, client):
        news = EventFactory(kind="news", starts_at=None, ends_at=None, registration_required=False)
        assert 'id="registration"' not in client.get(news.get_absolute_url()).content.decode()


class TestAccessLink:
    @pytest.fixture
    def event(self):
        return EventFactory(access_url="https://unesco.zoom.example/j/secret-123")

    def sees_link(self, client, event, user=None):
        if user is not None:
            client.force_login(user)
        return event.access_url in client.get(event.get_absolute_url()).content.decode()

    def test_hidden_from_visitors_and_other_members(self, client, event):
        assert not self.sees_link(client, event)
        assert not self.sees_link(client, event, UserFactory())

    def test_shown_to_a_confirmed_registrant(self, client, event):
        user = UserFactory()
        RegistrationFactory(activity=event, user=user, email=user.email)
        assert self.sees_link(client, event, user)

    def test_hidden_from_someone_still_waiting(self, client, event):
        user = UserFactory()
        RegistrationFactory(activity=event, user=user, email=user.email, status="waiting")
        assert not self.sees_link(client, event, user)

    def test_shown_to_organizers_and_secretariat(self, client, event):
        assert self.sees_link(client, event, focal_point_of(event.organizations.get()))
        assert self.sees_link(Client(), event, SecretariatFactory())

    def test_registrant_sees_their_status_and_cancel_link(self, client, event):
        user = UserFactory()
        registration = RegistrationFactory(activity=event, user=user, email=user.email)
        client.force_login(user)
        html = client.get(event.get_absolute_url()).content.decode()
        assert "You are registered for this event." in html
        assert cancel_link(registration) in html
        assert 'id="registration_email"' not in html


class TestOrganizerTools:
    def test_organizer_sees_the_counts(self, client):
        event = EventFactory(capacity=5)
        RegistrationFactory(activity=event)
        RegistrationFactory(activity=event, status="waiting")
        client.force_login(focal_point_of(event.organizations.get()))
        response = client.get(event.get_absolute_url())
        html = response.content.decode()
        assert "For the organizers" in html
        assert "<dt>Confirmed</dt><dd>1</dd>" in html
        assert "<dt>On the waiting list</dt><dd>1</dd>" in html
        assert "<dt>Places left</dt><dd>4</dd>" in html

    def test_visitor_sees_no_counts_nor_tools(self, client):
        event = EventFactory(capacity=5)
        html = client.get(event.get_absolute_url()).content.decode()
        assert "For the organizers" not in html
        assert "participants.csv" not in html

    def test_participant_list_csv(self, client):
        event = EventFactory()
        RegistrationFactory(
            activity=event,
            name="Aïssatou Dabo",
            email="aissatou@example.org",
            organization_name='=HYPERLINK("http://evil.example")',
            share_contact=True,
        )
        RegistrationFactory(
            activity=event, name="+Mei Chen", email="mei@example.org", status="waiting"
        )
        RegistrationFactory(
            activity=event, name="Gone", email="gone@example.org", status="cancelled"
        )
        client.force_login(focal_point_of(event.organizations.get()))
        url = reverse("activities:event-participants-csv", kwargs={"slug": event.slug})
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="participants-{event.slug}.csv"'
        )
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets look for
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "Name",
            "E-mail address",
            "Organization",
            "Status",
            "May share contact details",
            "Registered at (UTC)",
        ]
        assert [row[:5] for row in rows[1:]] == [
            [
                "Aïssatou Dabo",
                "aissatou@example.org",
                '\'=HYPERLINK("http://evil.example")',
                "Confirmed",
                "yes",
            ],
            ["'+Mei Chen", "mei@example.org", "", "On the waiting list", "no"],
        ]

    def test_csv_refused_to_an_organizer_of_another_organization(self, client):
        event = EventFactory()
        client.force_login(focal_point_of(OrganizationFactory()))
        url = reverse("activities:event-participants-csv", kwargs={"slug": event.slug})
        assert client.get(url).status_code == 403

    def test_csv_asks_visitors_to_sign_in(self, client):
        url = reverse("activities:event-participants-csv", kwargs={"slug": EventFactory().slug})
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_secretariat_sees_the_participants_page(self, client):
        event = EventFactory()
        RegistrationFactory(activity=event, name="Nivo Ralamboranto", share_contact=True)
        client.force_login(SecretariatFactory())
        response = client.get(reverse("activities:event-participants", kwargs={"slug": event.slug}))
        assert response.status_code == 200
        assert "Nivo Ralamboranto" in response.content.decode()


class TestCancelLink:
    def test_get_asks_for_confirmation_and_changes_nothing(self, client):
        registration = RegistrationFactory()
        response = client.get(cancel_link(registration))
        assert response.status_code == 200
        assert "Yes, cancel my registration" in response.content.decode()
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CONFIRMED

    def test_post_cancels(self, client, django_capture_on_commit_callbacks):
        registration = RegistrationFactory()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(cancel_link(registration), follow=True)
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CANCELLED
        assert "Your registration is cancelled." in " ".join(messages_of(response))
        assert "This registration is cancelled." in response.content.decode()
        assert [m.to for m in mail.outbox] == [[registration.email]]

    def test_post_needs_the_csrf_token(self):
        registration = RegistrationFactory()
        client = Client(enforce_csrf_checks=True)
        assert client.post(cancel_link(registration)).status_code == 403
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CONFIRMED

    @pytest.mark.parametrize("signed", ["unknown", "abc:def", "bm90LWEtdG9rZW4:xyz"])
    def test_unknown_or_forged_link_is_a_404_page(self, client, signed):
        RegistrationFactory()
        response = client.get(reverse("activities:registration-cancel", kwargs={"signed": signed}))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_raw_token_without_signature_is_refused(self, client):
        registration = RegistrationFactory()
        url = reverse("activities:registration-cancel", kwargs={"signed": registration.token})
        assert client.post(url).status_code == 404


class TestCancelEvent:
    def url(self, event):
        return reverse("activities:event-cancel", kwargs={"slug": event.slug})

    def test_organizer_confirms_then_cancels_and_registrants_are_told(
        self, client, django_capture_on_commit_callbacks
    ):
        event = EventFactory()
        RegistrationFactory(activity=event, email="a@example.org")
        RegistrationFactory(activity=event, email="b@example.org", status="waiting")
        client.force_login(focal_point_of(event.organizations.get()))
        assert "Cancel this event" in client.get(event.get_absolute_url()).content.decode()
        confirm = client.get(self.url(event))
        assert "2 people registered" in confirm.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url(event), follow=True)
        event.refresh_from_db()
        assert event.is_cancelled
        assert "The event is cancelled." in " ".join(messages_of(response))
        assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]

    def test_others_may_not_cancel(self, client):
        event = EventFactory()
        client.force_login(focal_point_of(OrganizationFactory()))
        assert client.post(self.url(event)).status_code == 403
        client.force_login(UserFactory())
        assert client.post(self.url(event)).status_code == 403
        assert not Activity.objects.get(pk=event.pk).is_cancelled

    def test_cancel_needs_the_csrf_token(self):
        event = EventFactory()
        client = Client(enforce_csrf_checks=True)
        client.force_login(SecretariatFactory())
        assert client.post(self.url(event)).status_code == 403
        assert not Activity.objects.get(pk=event.pk).is_cancelled


class TestCalendarLinks:
    def test_event_page_offers_its_ics(self, client):
        event = EventFactory()
        html = client.get(event.get_absolute_url()).content.decode()
        assert reverse("activities:event-calendar", kwargs={"slug": event.slug}) in html

    def test_event_list_links_the_feeds_matching_its_filters(self, client):
        response = client.get("/en/events/?working_group=capacity-building&action_area=1")
        html = response.content.decode()
        assert 'href="/en/events/calendar.ics"' in html
        assert 'href="webcal://127.0.0.1:8000/en/events/calendar.ics"' in html
        assert 'href="/en/events/calendar/working-groups/capacity-building.ics"' in html
        assert 'href="/en/events/calendar/action-areas/1.ics"' in html
        assert (
            "/en/activities/feed.atom?working_group=capacity-building&amp;action_area=1&amp;kind=event"
        ) in html

    def test_activity_list_links_the_atom_feed(self, client):
        html = client.get("/fr/activities/?kind=news").content.decode()
        assert 'href="/fr/activities/feed.atom?kind=news"' in html


def test_visitor_registers_without_an_account(client):
    """A name and an address are all it takes."""
    event = EventFactory()
    client.post(register_url(event), {"name": "Visitor", "email": "visitor@example.org"})
    registration = Registration.objects.get()
    assert registration.user is None
    assert registration.organization_name == ""


@pytest.mark.parametrize("language", ["ar", "en", "es", "fr", "ru", "zh-hans"])
def test_event_pages_in_every_interface_language(client, language):
    event = EventFactory(capacity=10)
    registration = RegistrationFactory(activity=event)
    pages = [
        f"/{language}/activities/{event.slug}/",
        f"/{language}/activities/{event.slug}/register/",
        f"/{language}/registrations/{tokens.signed_token(registration)}/cancel/",
        f"/{language}/events/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in response.content.decode()
