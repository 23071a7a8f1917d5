"""The moderation page shows a submission as it will be published, and an edit's changes."""

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.activities.review import changes_between, facts_of, review_of, word_difference
from coalition.activities.services import moderation
from coalition.activities.snapshot import snapshot_of
from tests.factories.activities import activity_data, published_activity, submitted_activity
from tests.factories.members import OrganizationFactory, SecretariatFactory, working_group

pytestmark = pytest.mark.django_db


def facts_by_key(data, **kwargs):
    return {fact.key: fact for fact in facts_of(data, **kwargs)}


def test_facts_name_organizations_areas_languages_and_countries():
    organization = OrganizationFactory(
        name="Commonwealth of Learning", name_fr="Commonwealth of Learning (fr)"
    )
    data = activity_data(
        organizations=[organization.pk],
        working_groups=[working_group("capacity-building").pk],
        countries=["MG", "FR"],
        regions=["africa"],
    )
    with translation.override("fr"):
        facts = facts_by_key(data)
    assert facts["organizations"].text == "Commonwealth of Learning (fr)"
    assert facts["action_areas"].text.startswith("1. ")
    assert "anglais" in facts["languages"].text and "français" in facts["languages"].text
    assert "Madagascar" in facts["places"].text and "France" in facts["places"].text
    assert "Afrique" in facts["places"].text
    assert facts["kind"].text == "Événement · Webinaire"


def test_facts_show_the_organizers_clock_and_utc():
    facts = facts_by_key(activity_data())
    when = facts["when"].html
    assert "16:00–17:00 CET" in when  # Europe/Paris, as announced
    assert "15:00–16:00 UTC" in when
    assert "Thursday, 9 March 2023" in when


def test_facts_show_the_moderators_own_zone_when_set():
    when = facts_by_key(activity_data(), reader_zone="Asia/Tokyo")["when"].html
    assert "Your time (Asia/Tokyo):" in when
    assert "00:00–01:00 JST" in when


def test_facts_have_no_raw_field_names_or_python_values():
    html = "".join(str(fact.html) for fact in facts_of(activity_data()))
    for raw in ("title_en", "is_online", "True", "[1, 5]", "{'label'", "T15:00:00"):
        assert raw not in html
    assert '<a href="https://example.org/programme"' in html


def test_summary_is_sanitized_rich_text():
    data = activity_data(summary_en="<p>Hello <strong>all</strong><script>alert(1)</script></p>")
    summary = str(facts_by_key(data)["summary-en"].html)
    assert "<strong>all</strong>" in summary and "<script" not in summary


def test_private_facts_are_marked():
    facts = facts_by_key(activity_data())
    assert facts["access-url"].private
    assert facts["contact"].private
    assert not facts["when"].private


def test_changes_list_only_what_differs_in_page_order():
    before = facts_of(activity_data())
    after = facts_of(
        activity_data(
            title_en="A new title",
            location="Paris",
            links=[],
            starts_at="2023-03-09T16:00:00+00:00",
            ends_at="2023-03-09T17:00:00+00:00",
        )
    )
    changes = changes_between(before, after)
    assert [c.key for c in changes] == ["title-en", "when", "where", "links"]
    kinds = {c.key: c.kind for c in changes}
    assert kinds["links"] == "removed" and kinds["title-en"] == "changed"


def test_word_difference_marks_removed_and_added_words():
    html = str(word_difference("Open textbooks for all <b>", "Open books for all <b>"))
    assert "<del>textbooks</del><ins>books</ins>" in html
    assert "&lt;b&gt;" in html


def test_long_texts_change_word_by_word():
    long = "Open educational resources " * 10
    changes = changes_between(
        facts_of(activity_data(summary_en=f"<p>{long}</p>")),
        facts_of(activity_data(summary_en=f"<p>{long}for everyone.</p>")),
    )
    [change] = changes
    assert "for everyone.</ins>" in str(change.words)


def test_review_of_a_new_submission_is_not_an_edit():
    submission = submitted_activity().submissions.get()
    review = review_of(submission)
    assert not review.is_edit and review.changes == []
    assert review.title == "OER Dynamic Coalition webinar for Open Education Week 2023"


def test_review_of_an_edit_compares_with_the_published_version():
    activity = published_activity()
    data = snapshot_of(activity)
    data["title_en"] = "Open Education Week webinar (new time)"
    data["capacity"] = 40
    submission = moderation.propose_change(
        activity,
        user=activity.created_by,
        organization=activity.organizations.get(),
        data=data,
    )
    review = review_of(submission)
    assert review.is_edit
    assert [c.key for c in review.changes] == ["title-en", "registration"]


class TestModerationPage:
    def url(self, submission):
        return reverse("activities:moderation-detail", kwargs={"pk": submission.pk})

    def test_new_submission_reads_as_published(self, client):
        organization = OrganizationFactory(name="Commonwealth of Learning")
        submission = submitted_activity(organization).submissions.get()
        client.force_login(SecretariatFactory())
        page = client.get(self.url(submission)).text
        assert "As it will be published" in page
        assert "Commonwealth of Learning" in page
        assert "16:00–17:00 CET" in page and "15:00–16:00 UTC" in page
        assert "title_en" not in page and "is_online" not in page
        assert "What this edit changes" not in page
        assert "Submitted" in page  # the history, in words

    def test_edit_shows_a_readable_difference(self, client):
        activity = published_activity()
        data = snapshot_of(activity)
        data["title_en"] = "Open Education Week webinar (new time)"
        submission = moderation.propose_change(
            activity, user=activity.created_by, organization=activity.organizations.get(), data=data
        )
        client.force_login(SecretariatFactory())
        page = client.get(self.url(submission)).text
        assert "What this edit changes" in page
        assert "Open Education Week webinar (new time)" in page
        assert "OER Dynamic Coalition webinar for Open Education Week 2023" in page
        assert page.count('class="change-changed"') == 1

    def test_moderation_page_in_arabic(self, client):
        submission = submitted_activity().submissions.get()
        client.force_login(SecretariatFactory())
        page = client.get(f"/ar{self.url(submission)[3:]}").text
        assert 'dir="rtl"' in page
        assert "As it will be published" not in page

    def test_moderation_page_query_count_does_not_grow_with_names(
        self, client, django_assert_max_num_queries
    ):
        organizations = OrganizationFactory.create_batch(3)
        few = submitted_activity(organizations[0]).submissions.get()
        many = submitted_activity(
            organizations[1],
            countries=["MG", "FR", "KE", "TN", "EG"],
            languages=["en", "fr", "ar", "es"],
            action_areas=[1, 2, 3, 4, 5],
        ).submissions.get()
        client.force_login(SecretariatFactory())
        client.get(self.url(few))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as baseline:
            assert client.get(self.url(few)).status_code == 200
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            assert client.get(self.url(many)).status_code == 200
