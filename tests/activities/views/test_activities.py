import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.activities.models import Activity, State, Submission
from tests.factories.activities import published_activity, submitted_activity
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
    working_group,
)
from tests.support.queries import assert_list_queries_flat

pytestmark = pytest.mark.django_db

FUTURE = (timezone.now() + timezone.timedelta(days=30)).replace(microsecond=0)


def future_event(organization=None, **overrides):
    start = overrides.pop("start", FUTURE)
    return published_activity(
        organization,
        starts_at=start.isoformat(),
        ends_at=(start + timezone.timedelta(hours=1)).isoformat(),
        **overrides,
    )


def form_data(organization, **overrides):
    data = {
        "on_behalf_of": organization.pk,
        "kind": "event",
        "event_format": "webinar",
        "title_en": "WSIS Action Line C7: e-Learning",
        "summary_en": "<p>Implementation of the Recommendation.</p><script>alert(1)</script>",
        "time_zone": "Europe/Paris",
        "starts_at": "2023-03-16T15:00",
        "ends_at": "2023-03-16T16:30",
        "action_areas": ["5"],
        "links": "Programme | https://example.org/wsis",
        "registration_open": "on",
    }
    data.update(overrides)
    return data


class TestSubmitForm:
    def url(self):
        return reverse("activities:activity-submit")

    def test_focal_point_submits_an_event_in_organizer_time(self, client):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(self.url(), form_data(organization))
        assert response.status_code == 302
        activity = Activity.objects.get()
        # 15:00 CET on 16 March 2023 is 14:00 UTC.
        assert activity.starts_at.isoformat() == "2023-03-16T14:00:00+00:00"
        assert activity.time_zone == "Europe/Paris"
        assert "<script>" not in activity.summary_en
        assert activity.state == State.SUBMITTED

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"ends_at": "2023-03-16T14:00"}, "ends_at"),
            ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
            ({"time_zone": ""}, "time_zone"),
            ({"links": "Click | javascript:alert(1)"}, "links"),
            ({"title_en": ""}, "title_en"),
            ({"starts_at": ""}, "starts_at"),
            ({"kind": "call", "deadline": "", "starts_at": "", "ends_at": ""}, "deadline"),
        ],
    )
    def test_bad_input_reshows_with_the_field_error_and_saves_nothing(
        self, client, overrides, field
    ):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        response = client.post(self.url(), form_data(organization, **overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Activity.objects.exists()

    def test_cannot_submit_for_an_organization_one_does_not_belong_to(self, client):
        own, other = OrganizationFactory(), OrganizationFactory()
        client.force_login(focal_point_of(own))
        response = client.post(self.url(), form_data(other))
        assert response.status_code == 200
        assert "on_behalf_of" in response.context["form"].errors
        assert not Activity.objects.exists()

    def test_person_without_organization_is_sent_to_apply(self, client):
        client.force_login(UserFactory())
        assert client.get(self.url())["Location"].endswith("/organizations/apply/")

    def test_form_in_arabic_is_right_to_left(self, client):
        client.force_login(focal_point_of(OrganizationFactory()))
        response = client.get("/ar/activities/share/")
        assert 'dir="rtl"' in response.text


class TestDetail:
    def test_unpublished_activity_is_hidden_from_the_public(self, client):
        activity = submitted_activity()
        assert client.get(activity.get_absolute_url()).status_code == 403
        client.force_login(activity.created_by)
        assert client.get(activity.get_absolute_url()).status_code == 200

    def test_published_page_hides_private_contact_and_access_link(self, client):
        activity = published_activity()
        page = client.get(activity.get_absolute_url()).text
        assert "OER Dynamic Coalition webinar" in page
        assert "aa.dabo@example.org" not in page
        assert "zoom.example" not in page

    def test_page_shows_the_organizer_clock(self, client):
        page = client.get(published_activity().get_absolute_url()).text
        assert "16:00–17:00 CET" in page
        assert 'datetime="2023-03-09T15:00:00Z"' in page

    def test_signed_in_reader_with_a_zone_sees_their_time(self, client):
        activity = published_activity()
        client.force_login(UserFactory(time_zone="Asia/Tokyo"))
        assert "00:00–01:00 JST" in client.get(activity.get_absolute_url()).text

    def test_published_edit_keeps_published_version_visible(self, client):
        activity = published_activity()
        client.force_login(activity.created_by)
        url = reverse("activities:activity-edit", kwargs={"slug": activity.slug})
        organization = activity.organizations.get()
        response = client.post(url, form_data(organization, title_en="Renamed webinar"))
        assert response.status_code == 302
        page = client.get(activity.get_absolute_url()).text
        assert "OER Dynamic Coalition webinar" in page and "Renamed webinar" not in page
        assert "waiting for moderation" in page

    def test_outsider_cannot_edit(self, client):
        activity = published_activity()
        client.force_login(focal_point_of(OrganizationFactory()))
        assert (
            client.get(
                reverse("activities:activity-edit", kwargs={"slug": activity.slug})
            ).status_code
            == 403
        )


class TestLists:
    def test_upcoming_events_in_start_order_and_past_apart(self, client):
        later = future_event(title_en="Later event", start=FUTURE + timezone.timedelta(days=3))
        sooner = future_event(title_en="Sooner event")
        past = published_activity(title_en="Past webinar")
        page = client.get(reverse("activities:event-list")).text
        assert page.index(sooner.title_en) < page.index(later.title_en)
        assert past.title_en not in page
        assert past.title_en in client.get(reverse("activities:event-list"), {"when": "past"}).text

    @pytest.mark.parametrize(
        ("params", "visible"),
        [
            ({"action_area": "5"}, "Tagged"),
            ({"working_group": "supportive-policy"}, "Tagged"),
            ({"language": "ar"}, "Tagged"),
            ({"region": "arab-states"}, "Tagged"),
            ({"country": "EG"}, "Tagged"),
            ({"q": "tagged"}, "Tagged"),
            ({"kind": "news"}, "Plain"),
        ],
    )
    def test_filters(self, client, params, visible):
        group = working_group("supportive-policy")
        future_event(
            title_en="Tagged",
            action_areas=[5],
            working_groups=[group.pk],
            languages=["ar"],
            countries=["EG"],
        )
        published_activity(
            title_en="Plain",
            kind="news",
            action_areas=[1],
            languages=["en"],
            countries=[],
            starts_at=None,
            ends_at=None,
            time_zone="",
            registration_required=False,
        )
        page = client.get(reverse("activities:activity-list"), params).text
        hidden = {"Tagged", "Plain"} - {visible}
        assert visible in page
        assert all(f">{title}<" not in page for title in hidden)

    def test_bad_dates_show_an_error_not_a_crash(self, client):
        response = client.get(
            reverse("activities:activity-list"),
            {"date_from": "2023-04-01", "date_to": "2023-03-01"},
        )
        assert response.status_code == 200
        assert "before its start" in response.text

    @pytest.mark.parametrize("url_name", ["activities:activity-list", "activities:event-list"])
    def test_query_count_does_not_grow_with_rows(self, client, url_name):
        organization = OrganizationFactory()
        for _ in range(2):
            future_event(organization)

        def grow():
            for _ in range(12):
                future_event(organization)
            return 12

        assert_list_queries_flat(client, reverse(url_name), grow=grow, most=10)


class TestModerationPages:
    def test_secretariat_sees_queue_and_approves(self, client):
        activity = submitted_activity()
        client.force_login(SecretariatFactory())
        assert activity.title_en in client.get(reverse("activities:moderation-queue")).text
        submission = activity.submissions.get()
        url = reverse("activities:moderation-detail", kwargs={"pk": submission.pk})
        assert client.post(url, {"decision": "approve"}).status_code == 302
        submission.refresh_from_db()
        assert submission.status == Submission.Status.APPROVED

    def test_request_changes_without_message_reshows(self, client):
        submission = submitted_activity().submissions.get()
        client.force_login(SecretariatFactory())
        url = reverse("activities:moderation-detail", kwargs={"pk": submission.pk})
        response = client.post(url, {"decision": "changes", "message": ""})
        assert response.status_code == 200
        assert "message" in response.context["form"].errors
        submission.refresh_from_db()
        assert submission.status == Submission.Status.PENDING

    def test_focal_point_cannot_moderate(self, client):
        activity = submitted_activity()
        client.force_login(activity.created_by)
        assert client.get(reverse("activities:moderation-queue")).status_code == 403

    def test_submitter_sees_the_state_on_their_dashboard(self, client):
        activity = submitted_activity()
        client.force_login(activity.created_by)
        page = client.get(reverse("activities:my-activities")).text
        assert activity.title_en in page and "Awaiting moderation" in page


class TestActivitiesOnOtherPages:
    def test_organization_page_lists_its_activities_only(self, client):
        organization, other = OrganizationFactory(), OrganizationFactory()
        future_event(organization, title_en="Our webinar")
        future_event(other, title_en="Their webinar")
        page = client.get(organization.get_absolute_url()).text
        assert "Our webinar" in page and "Their webinar" not in page

    def test_working_group_page_lists_its_activities(self, client):
        group = working_group("sustainability-models")
        future_event(title_en="Sustainability clinic", working_groups=[group.pk])
        assert "Sustainability clinic" in client.get(group.get_absolute_url()).text

    def test_home_shows_next_events_but_not_unpublished(self, client):
        future_event(title_en="Next published event")
        submitted_activity(title_en="Unmoderated event")
        page = client.get("/en/").text
        assert "Next published event" in page and "Unmoderated event" not in page


def test_submit_form_shows_the_deadline_for_the_next_update(client):
    from datetime import UTC, datetime

    from coalition.updates.models import UpdateIssue

    deadline = timezone.now().replace(microsecond=0) + timezone.timedelta(days=10)
    UpdateIssue.objects.create(
        title="Next",
        slug="next",
        period_start=deadline.date(),
        period_end=deadline.date(),
        next_deadline=deadline,
        time_zone="Europe/Paris",
    )
    UpdateIssue.objects.create(
        title="Old",
        slug="old",
        period_start=deadline.date(),
        period_end=deadline.date(),
        next_deadline=datetime(2023, 3, 20, 22, 59, tzinfo=UTC),
        time_zone="Europe/Paris",
    )
    client.force_login(focal_point_of(OrganizationFactory()))
    page = client.get(reverse("activities:activity-submit")).text
    assert "To be included in the next Update" in page
    assert f'datetime="{deadline.isoformat()}"' in page
