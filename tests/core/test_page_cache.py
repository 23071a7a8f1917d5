"""List pages kept for anonymous visitors: served again until their content changes, never
to someone signed in, never with anything personal in them."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from coalition.activities.models import Registration
from coalition.core import page_cache
from coalition.members import services
from tests.factories.activities import RegistrationFactory, upcoming_event
from tests.factories.members import (
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    working_group,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/organizations/"


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(context.captured_queries)


class TestKeptPages:
    def test_the_second_visit_is_answered_from_the_kept_page_in_one_query(self, client):
        OrganizationFactory(name_en="Open University of Tanzania")
        first, rendered = queries_of(client, DIRECTORY)
        second, kept = queries_of(client, DIRECTORY)
        assert second.content == first.content
        assert kept == 1 < rendered  # the versions of the content, nothing else

    def test_a_saved_edit_shows_at_once(self, client):
        organization = OrganizationFactory(name_en="Old name")
        assert "Old name" in client.get(DIRECTORY).text
        organization.name_en = "New name"
        organization.save()
        assert "New name" in client.get(DIRECTORY).text

    def test_a_deleted_organization_leaves_at_once(self, client):
        organization = OrganizationFactory(name_en="Leaving College")
        assert "Leaving College" in client.get(DIRECTORY).text
        organization.delete()
        assert "Leaving College" not in client.get(DIRECTORY).text

    def test_joining_a_working_group_shows_at_once(self, client):
        organization = OrganizationFactory()
        group = working_group("supportive-policy")
        url = f"{DIRECTORY}?working_group={group.slug}"
        assert organization.name_en not in client.get(url).text
        group.organizations.add(organization)  # a many-to-many change, no save of either
        assert organization.name_en in client.get(url).text

    def test_an_organization_renamed_shows_at_once_in_the_event_list(self, client):
        event = upcoming_event()
        organization = event.organizations.get()
        assert organization.name_en in client.get(reverse("activities:event-list")).text
        organization.name_en = "Renamed Institute"
        organization.save()
        assert "Renamed Institute" in client.get(reverse("activities:event-list")).text

    def test_each_language_and_query_is_kept_apart(self, client):
        OrganizationFactory(name_en="Only English", name_fr="Seulement français")
        english = client.get(DIRECTORY).text
        french = client.get("/fr/organizations/").text
        searched = client.get(f"{DIRECTORY}?q=nothing-matches-this").text
        assert "Only English" in english
        assert "Seulement français" in french
        assert "Only English" not in searched

    def test_none_are_kept_when_the_setting_is_zero(self, client, settings):
        settings.HUB_PAGE_CACHE_SECONDS = 0
        OrganizationFactory()
        _first, rendered = queries_of(client, DIRECTORY)
        _second, again = queries_of(client, DIRECTORY)
        assert again == rendered


class TestBatched:
    def test_many_saves_in_a_batch_move_the_version_once_at_its_end(self, client):
        OrganizationFactory(name_en="Before the batch")
        assert "Before the batch" in client.get(DIRECTORY).text
        with CaptureQueriesContext(connection) as context, page_cache.batched():
            organizations = [OrganizationFactory(name_en=f"Batched {n}") for n in range(3)]
            # Inside the batch the kept page is still the old one: nothing moved yet.
            assert "Batched 0" not in client.get(DIRECTORY).text
        stamps = [q for q in context.captured_queries if "contentstamp" in q["sql"].lower()]
        assert sum("INSERT" in q["sql"] for q in stamps) == 1
        assert all(o.name_en in client.get(DIRECTORY).text for o in organizations)

    def test_a_batch_inside_a_batch_leaves_the_touch_to_the_outer_one(self):
        before = page_cache.versions(["members"])
        with page_cache.batched():
            with page_cache.batched():
                OrganizationFactory()
            assert page_cache.versions(["members"]) == before
        assert page_cache.versions(["members"]) != before


class TestNeverKept:
    def test_a_signed_in_member_gets_their_own_page_and_it_is_not_kept(self, client):
        OrganizationFactory()
        client.force_login(UserFactory())
        mine = client.get(DIRECTORY).text
        assert "Sign out" in mine
        client.logout()
        anonymous = client.get(DIRECTORY).text
        assert "Sign out" not in anonymous
        client.force_login(UserFactory())
        assert "Sign out" in client.get(DIRECTORY).text

    def test_a_page_with_a_message_is_shown_once_and_not_kept(self, client):
        client.get(DIRECTORY)  # a page is kept
        client.force_login(UserFactory())
        client.post(reverse("account_logout"))
        assert "You have signed out." in client.get(DIRECTORY).text
        assert "You have signed out." not in client.get(DIRECTORY).text

    def test_a_page_that_used_a_csrf_token_is_not_kept(self, rf, settings):
        calls = []

        @page_cache.anonymous_page("members")
        def form_page(request):
            calls.append(1)
            return HttpResponse(f"<input value='{get_token(request)}'>")

        def anonymous_get():
            from django.contrib.auth.models import AnonymousUser
            from django.contrib.messages.storage.fallback import FallbackStorage
            from django.contrib.sessions.backends.cache import SessionStore

            request = rf.get("/en/form/")
            request.user = AnonymousUser()
            request.session = SessionStore()
            request._messages = FallbackStorage(request)
            return form_page(request)

        anonymous_get()
        anonymous_get()
        assert len(calls) == 2


def _organization_page():
    return OrganizationFactory(name_en="Kept Institute").get_absolute_url()


PUBLIC_PAGES = {
    "home": lambda: "/en/",
    "dashboard": lambda: "/en/dashboard/",
    "working-groups": lambda: "/en/working-groups/",
    "organization": _organization_page,
}


class TestKeptPublicPages:
    """Home, dashboard, working groups and an organization's page are kept like the lists."""

    @pytest.mark.parametrize("page", PUBLIC_PAGES)
    def test_the_second_anonymous_visit_is_the_kept_page(self, client, page):
        url = PUBLIC_PAGES[page]()
        first, rendered = queries_of(client, url)
        second, kept = queries_of(client, url)
        assert second.content == first.content
        assert kept == 1 < rendered

    @pytest.mark.parametrize("page", PUBLIC_PAGES)
    def test_a_signed_in_visitor_never_gets_a_kept_page(self, client, page):
        url = PUBLIC_PAGES[page]()
        assert "Sign out" not in client.get(url).text  # kept for anonymous visitors
        client.force_login(UserFactory())
        mine, rendered = queries_of(client, url)
        assert "Sign out" in mine.text and rendered > 1
        client.logout()
        assert "Sign out" not in client.get(url).text  # and theirs was not kept

    def test_a_new_approved_event_shows_at_once_on_home_and_its_organization(self, client):
        organization = OrganizationFactory()
        before_home = client.get("/en/").text
        before_organization = client.get(organization.get_absolute_url()).text
        event = upcoming_event(organization, title_en="Freshly Approved Webinar")
        assert event.title_en not in before_home + before_organization
        assert event.title_en in client.get("/en/").text
        assert event.title_en in client.get(organization.get_absolute_url()).text

    def test_an_organization_edit_shows_at_once(self, client):
        organization = OrganizationFactory(name_en="Before Edit College")
        url = organization.get_absolute_url()
        assert "Before Edit College" in client.get(url).text
        assert "Before Edit College" in client.get("/en/").text  # latest members
        services.update_organization(
            organization, by=SecretariatFactory(), name_en="After Edit College"
        )
        assert "After Edit College" in client.get(url).text
        assert "After Edit College" in client.get("/en/").text

    def test_a_membership_change_shows_at_once_on_groups_and_dashboard(self, client):
        group = working_group("supportive-policy")
        assertInHTML(
            "<div><dt>People taking part</dt><dd>0</dd></div>", client.get("/en/dashboard/").text
        )
        assert "0 people" in client.get("/en/working-groups/").text
        services.add_group_member(group, PersonFactory(), by=SecretariatFactory())
        assertInHTML(
            "<div><dt>People taking part</dt><dd>1</dd></div>", client.get("/en/dashboard/").text
        )
        assert "1 person" in client.get("/en/working-groups/").text


class TestKeptPagesWithForms:
    """An event's page has the registration form: it is kept with a slot for the token, and
    every visitor gets their own token, never another visitor's."""

    def event_url(self):
        return upcoming_event(registration_required=True, capacity=10).get_absolute_url()

    def test_the_event_page_is_kept_and_each_visitor_gets_their_own_token(self):
        from django.test import Client

        url = self.event_url()
        first, second = Client(), Client()
        page_one, rendered = queries_of(first, url)
        page_two, kept = queries_of(second, url)
        assert kept == 1 < rendered
        for page, client in ((page_one, first), (page_two, second)):
            assert page_cache.CSRF_SLOT not in page.text
            assert 'name="csrfmiddlewaretoken"' in page.text
            assert client.cookies["csrftoken"].value  # each visitor gets a CSRF cookie
        assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value

    def test_the_form_of_a_kept_page_posts_with_csrf_checks_on(self):
        import re

        from django.test import Client

        url = self.event_url()
        Client().get(url)  # the page is kept
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        register = url.rstrip("/") + "/register/"
        form = {"name": "Kept Visitor", "email": "kept@example.org"}
        refused = Client(enforce_csrf_checks=True).post(
            register, {**form, "csrfmiddlewaretoken": token}
        )
        assert refused.status_code == 403  # another browser cannot use this token
        answered = visitor.post(register, {**form, "csrfmiddlewaretoken": token})
        assert answered.status_code in (200, 302)
        assert Registration.objects.filter(email="kept@example.org").exists()

    def test_a_slot_posted_as_a_token_is_refused(self):
        from django.test import Client

        url = self.event_url()
        visitor = Client(enforce_csrf_checks=True)
        visitor.get(url)
        register = url.rstrip("/") + "/register/"
        response = visitor.post(
            register,
            {"name": "X", "email": "x@example.org", "csrfmiddlewaretoken": page_cache.CSRF_SLOT},
        )
        assert response.status_code == 403

    def test_a_registration_shows_at_once_in_the_places_left(self, client):
        event = upcoming_event(registration_required=True, capacity=10)
        assert "10 places left." in client.get(event.get_absolute_url()).text
        RegistrationFactory(activity=event)
        assert "9 places left." in client.get(event.get_absolute_url()).text


def test_imported_registrations_show_at_once_in_the_places_left(client):
    from django.utils import timezone

    from coalition.activities.services import registration as registrations

    event = upcoming_event(registration_required=True, capacity=10)
    assert "10 places left." in client.get(event.get_absolute_url()).text
    rows = [
        {"name": "Imported", "email": "imported@example.org", "status": "confirmed"}
        | {"created_at": timezone.now()}
    ]
    registrations.import_registrations(event, rows, by=SecretariatFactory())
    assert "9 places left." in client.get(event.get_absolute_url()).text
