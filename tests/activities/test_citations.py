"""Activities cite catalogue records: chosen on the form, moderated with the other fields,
shown on the activity page and in the API, listed on the record page ("Cited by"), and
never left stale in a kept page."""

import pytest
from django.test import Client
from django.urls import reverse

from coalition.activities.models import Activity, Submission
from coalition.activities.review import review_of
from coalition.activities.services import moderation
from coalition.catalogue.services.records import Incoming, store_items
from tests.activities.views.test_activities import form_data
from tests.factories.activities import activity_data, published_activity, submitted_activity
from tests.factories.catalogue import DEFAULTS, make_record, make_source
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    source = make_source("Open Library")
    return {
        "open": make_record(
            source, "oai:lib:1", title="Open licensing handbook", licence_class="open", year=2021
        ),
        "nc": make_record(
            source, "oai:lib:2", title="Teaching with OER in Madagascar", licence_class="open-nc"
        ),
        "source": source,
    }


def _delete(record):
    store_items(record.source, [Incoming(record.identifier, None, deleted=True)])


def _retitle(record, title):
    data = {**DEFAULTS, "title": title, "title_language": "en", "languages": ["en"]}
    data["licence_class"] = record.licence_class
    store_items(record.source, [Incoming(record.identifier, None, False, [], data)])


class TestForm:
    def test_finding_records_by_title_saves_nothing_and_lists_them(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, record_search="handbook", find_records="1"),
        )
        assert response.status_code == 200
        assert Activity.objects.count() == 0
        page = response.content.decode()
        assert "Open licensing handbook (Open · 2021)" in page
        assert "Teaching with OER" not in page
        assert "Please correct the fields" not in page

    def test_enter_in_the_search_box_finds_records(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, record_search="handbook", enter_pressed="1"),
        )
        assert response.status_code == 200
        assert Activity.objects.count() == 0
        assert "Open licensing handbook (Open · 2021)" in response.content.decode()

    def test_enter_with_an_empty_search_box_sends_the_form(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, record_search=" ", enter_pressed="1"),
        )
        assert response.status_code == 302
        assert Activity.objects.count() == 1

    def test_a_record_page_address_finds_that_record(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        address = "https://hub.example.org" + records["nc"].get_absolute_url()
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, record_search=address, find_records="1"),
        )
        assert "Teaching with OER in Madagascar" in response.content.decode()

    def test_submitting_cites_the_ticked_records(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, cited_records=[records["open"].pk, records["nc"].pk]),
        )
        assert response.status_code == 302
        activity = Activity.objects.get()
        assert set(activity.cited_records.all()) == {records["open"], records["nc"]}
        assert activity.submissions.get().data["cited_records"] == sorted(
            [records["open"].pk, records["nc"].pk]
        )

    def test_a_deleted_record_cannot_be_cited(self, client, records):
        _delete(records["open"])
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, cited_records=[records["open"].pk]),
        )
        assert response.status_code == 200
        assert "not (or no longer) in the catalogue" in response.content.decode()
        assert Activity.objects.count() == 0

    def test_a_record_waiting_for_moderation_cannot_be_found(self, client, records):
        from coalition.catalogue.models import Record

        Record.objects.filter(pk=records["nc"].pk).update(status=Record.Status.SUBMITTED)
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            reverse("activities:activity-submit"),
            form_data(organization, record_search=records["nc"].get_absolute_url(),
                      find_records="1"),
        )  # fmt: skip
        assert "No record of the catalogue matches" in response.content.decode()

    def test_the_edit_form_shows_the_cited_records_ticked(self, client, records):
        activity = published_activity(cited_records=[records["open"].pk])
        client.force_login(activity.created_by)
        response = client.get(reverse("activities:activity-edit", args=[activity.slug]))
        page = response.content.decode()
        box = page.split('name="cited_records"')[1].split(">")[0]
        assert f'value="{records["open"].pk}"' in box
        assert "checked" in box


class TestModeration:
    def test_an_edit_of_a_published_activity_waits_with_its_citations(self, records):
        activity = published_activity(cited_records=[records["open"].pk])
        submission = moderation.propose_change(
            activity,
            user=activity.created_by,
            organization=activity.organizations.get(),
            data=activity_data(cited_records=[records["nc"].pk]),
        )
        assert list(activity.cited_records.all()) == [records["open"]]
        review = review_of(submission)
        change = next(c for c in review.changes if c.key == "cited_records")
        assert "Open licensing handbook" in change.before.text
        assert "Teaching with OER in Madagascar — Open with a non-commercial" in change.after.text
        moderation.approve_submission(submission, by=SecretariatFactory())
        assert list(activity.cited_records.all()) == [records["nc"]]

    def test_the_moderation_page_shows_the_citations(self, client, records):
        activity = submitted_activity(cited_records=[records["nc"].pk])
        client.force_login(SecretariatFactory())
        submission = activity.submissions.get()
        response = client.get(reverse("activities:moderation-detail", args=[submission.pk]))
        page = response.content.decode()
        assert "Catalogue records cited" in page
        assert records["nc"].get_absolute_url() in page


class TestPages:
    def test_the_activity_page_shows_title_licence_and_link(self, client, records):
        activity = published_activity(cited_records=[records["nc"].pk])
        page = client.get(activity.get_absolute_url()).content.decode()
        assert "Teaching with OER in Madagascar" in page
        assert "Open with a non-commercial condition" in page
        assert records["nc"].get_absolute_url() in page

    def test_the_record_page_lists_approved_activities_only(self, client, records):
        shown = published_activity(cited_records=[records["open"].pk], title_en="Shown webinar")
        submitted_activity(cited_records=[records["open"].pk], title_en="Waiting webinar")
        page = client.get(records["open"].get_absolute_url()).content.decode()
        assert "Cited by" in page
        assert shown.get_absolute_url() in page
        assert "Waiting webinar" not in page

    def test_a_record_without_citations_has_no_cited_by(self, client, records):
        assert "Cited by" not in client.get(records["nc"].get_absolute_url()).content.decode()

    def test_a_kept_activity_page_follows_a_record_change(self, settings, records):
        settings.HUB_PAGE_CACHE_SECONDS = 60
        activity = published_activity(cited_records=[records["open"].pk])
        visitor = Client()
        page = visitor.get(activity.get_absolute_url()).content.decode()
        assert "Open licensing handbook" in page
        _retitle(records["open"], "Open licensing handbook, second edition")
        page = visitor.get(activity.get_absolute_url()).content.decode()
        assert "second edition" in page
        _delete(records["open"])
        page = visitor.get(activity.get_absolute_url()).content.decode()
        assert "Open licensing handbook" not in page

    def test_a_kept_activity_page_follows_a_citation_change(self, settings, records):
        settings.HUB_PAGE_CACHE_SECONDS = 60
        activity = published_activity(cited_records=[records["open"].pk])
        visitor = Client()
        visitor.get(activity.get_absolute_url())
        submission = moderation.propose_change(
            activity,
            user=activity.created_by,
            organization=activity.organizations.get(),
            data=activity_data(cited_records=[records["nc"].pk]),
        )
        page = visitor.get(activity.get_absolute_url()).content.decode()
        assert "Open licensing handbook" in page  # the edit waits
        moderation.approve_submission(submission, by=SecretariatFactory())
        page = visitor.get(activity.get_absolute_url()).content.decode()
        assert "Teaching with OER in Madagascar" in page
        assert "Open licensing handbook" not in page

    def test_a_harvest_of_records_nobody_cites_keeps_the_pages(self, settings, records):
        from coalition.core.page_cache import versions

        published_activity(cited_records=[records["open"].pk])
        before = versions(["cited-records"])
        _retitle(records["nc"], "Not cited, retitled")
        assert versions(["cited-records"]) == before
        _retitle(records["open"], "Cited, retitled")
        assert versions(["cited-records"]) != before


class TestApi:
    def test_activities_list_shows_cited_records(self, client, records):
        published_activity(cited_records=[records["nc"].pk])
        item = client.get("/api/activities").json()["items"][0]
        (cited,) = item["cited_records"]
        assert cited["hub_id"] == str(records["nc"].work.hub_id)
        assert cited["licence_class"] == {
            "code": "open-nc",
            "name": "Open with a non-commercial condition",
        }
        assert cited["url"].endswith(records["nc"].get_absolute_url())

    def test_the_api_list_follows_a_record_deletion(self, settings, client, records):
        settings.HUB_PAGE_CACHE_SECONDS = 60
        published_activity(cited_records=[records["nc"].pk])
        assert client.get("/api/activities").json()["items"][0]["cited_records"]
        _delete(records["nc"])
        assert client.get("/api/activities").json()["items"][0]["cited_records"] == []

    def _payload(self, organization, **overrides):
        payload = {
            "on_behalf_of": organization.slug,
            "kind": "publication",
            "titles": {"en": "A guide to OER licences"},
        }
        payload.update(overrides)
        return payload

    def test_submitting_through_the_api_cites_records_by_hub_id(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        hub_id = str(records["open"].work.hub_id)
        response = client.post(
            "/api/activities",
            self._payload(organization, cited_records=[hub_id]),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["proposed"]["cited_records"] == [hub_id]
        assert list(Activity.objects.get().cited_records.all()) == [records["open"]]

    def test_an_unknown_hub_id_is_refused(self, client, records):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(
            "/api/activities",
            self._payload(
                organization, cited_records=["00000000-0000-4000-8000-000000000000", "x"]
            ),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "cited_records" in response.content.decode()
        assert not Submission.objects.exists()
