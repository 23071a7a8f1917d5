"""Submission and moderation: the secretariat decides, the submitter is told, all is logged."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from coalition.activities.models import ModerationEntry, State, Submission
from coalition.activities.services import moderation
from coalition.activities.snapshot import snapshot_of
from tests.factories.activities import (
    activity_data,
    published_activity,
    submitted_activity,
)
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db


def test_submitted_activity_waits_unpublished_and_is_logged(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = submitted_activity()
    assert activity.state == State.SUBMITTED and not activity.is_published
    assert activity.title_en.startswith("OER Dynamic Coalition webinar")
    assert list(activity.action_areas.values_list("number", flat=True)) == [1, 5]
    assert activity.coverage.get().region == "africa"
    assert [e.action for e in activity.log.all()] == ["submitted"]
    assert {m.to[0] for m in mail.outbox} == {activity.created_by.email, "secretariat@localhost"}


def test_approval_publishes_and_tells_the_submitter(django_capture_on_commit_callbacks):
    activity = submitted_activity()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_submission(activity.submissions.get(), by=SecretariatFactory())
    activity.refresh_from_db()
    assert activity.is_published and activity.state == State.PUBLISHED
    assert mail.outbox[-1].to == [activity.created_by.email]
    assert "published" in mail.outbox[-1].subject.lower()
    assert [e.action for e in activity.log.all()] == ["submitted", "approved"]


def test_request_changes_needs_a_message_and_sends_it(django_capture_on_commit_callbacks):
    activity = submitted_activity()
    submission = activity.submissions.get()
    secretariat = SecretariatFactory()
    with pytest.raises(ValidationError):
        moderation.request_changes(submission, by=secretariat, message=" ")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.request_changes(submission, by=secretariat, message="Please add the speakers.")
    activity.refresh_from_db()
    assert activity.state == State.CHANGES_REQUESTED
    assert "Please add the speakers." in mail.outbox[-1].body


def test_decline_keeps_the_reason_in_the_log():
    activity = submitted_activity()
    moderation.decline_submission(
        activity.submissions.get(), by=SecretariatFactory(), reason="Not about OER."
    )
    entry = activity.log.last()
    assert (entry.action, entry.message, entry.to_state) == (
        "declined",
        "Not about OER.",
        State.DECLINED,
    )


def test_a_decided_submission_cannot_be_decided_again():
    activity = submitted_activity()
    secretariat = SecretariatFactory()
    moderation.approve_submission(activity.submissions.get(), by=secretariat)
    with pytest.raises(ValidationError):
        moderation.decline_submission(activity.submissions.get(), by=secretariat, reason="Oops")


def test_edit_of_published_activity_waits_while_the_published_version_stays():
    activity = published_activity()
    user = activity.created_by
    data = snapshot_of(activity) | {
        "title_en": "New title",
        "starts_at": "2023-03-09T16:00:00+00:00",
    }
    submission = moderation.propose_change(
        activity, user=user, organization=activity.organizations.get(), data=data
    )
    activity.refresh_from_db()
    assert activity.title_en == "OER Dynamic Coalition webinar for Open Education Week 2023"
    assert activity.is_published and activity.sequence == 0
    moderation.approve_submission(submission, by=SecretariatFactory())
    activity.refresh_from_db()
    assert activity.title_en == "New title"
    assert activity.sequence == 1  # calendars must update


def test_declining_an_edit_leaves_the_activity_published():
    activity = published_activity()
    data = snapshot_of(activity) | {"title_en": "Rejected title"}
    submission = moderation.propose_change(
        activity, user=activity.created_by, organization=activity.organizations.get(), data=data
    )
    moderation.decline_submission(submission, by=SecretariatFactory(), reason="No.")
    activity.refresh_from_db()
    assert activity.is_published and activity.state == State.PUBLISHED
    assert activity.title_en != "Rejected title"


def test_a_new_edit_supersedes_the_pending_one():
    activity = submitted_activity()
    organization = activity.organizations.get()
    moderation.propose_change(
        activity,
        user=activity.created_by,
        organization=organization,
        data=activity_data(title_en="Second"),
    )
    statuses = list(activity.submissions.order_by("pk").values_list("status", flat=True))
    assert statuses == [Submission.Status.SUPERSEDED, Submission.Status.PENDING]
    activity.refresh_from_db()
    assert activity.title_en == "Second"


def test_member_of_the_organization_may_submit_but_outsider_may_not():
    organization = OrganizationFactory()
    member = UserFactory()
    AffiliationFactory(person__user=member, organization=organization)
    assert submitted_activity(organization, user=member).pk
    with pytest.raises(PermissionDenied):
        submitted_activity(organization, user=focal_point_of(OrganizationFactory()))
    with pytest.raises(PermissionDenied):
        submitted_activity(organization, user=UserFactory())


def test_applied_organization_cannot_share_activities():
    organization = OrganizationFactory(status="applied")
    with pytest.raises(ValidationError):
        submitted_activity(organization, user=SecretariatFactory())


def test_only_the_secretariat_moderates():
    activity = submitted_activity()
    with pytest.raises(PermissionDenied):
        moderation.approve_submission(activity.submissions.get(), by=activity.created_by)
    assert not ModerationEntry.objects.filter(action="approved").exists()


def test_french_only_title_stays_french_when_submitted_from_an_english_page():
    activity = submitted_activity(
        title_en="", title_fr="Les bibliothèques universitaires et les REL"
    )
    activity.refresh_from_db()
    assert activity.title_en == ""
    assert activity.title_fr == "Les bibliothèques universitaires et les REL"


def test_secretariat_relays_an_item_with_its_own_organizers_only():
    unesco, undp = OrganizationFactory(), OrganizationFactory(status="inactive")
    activity = moderation.submit_activity(
        user=SecretariatFactory(),
        organization=unesco,
        data=activity_data(kind="call", organizations=[undp.pk]),
    )
    assert list(activity.organizations.all()) == [undp]
    assert activity.submissions.get().on_behalf_of == unesco


def test_a_focal_point_always_names_its_own_organization_among_the_organizers():
    organization, partner = OrganizationFactory(), OrganizationFactory()
    activity = moderation.submit_activity(
        user=focal_point_of(organization),
        organization=organization,
        data=activity_data(organizations=[partner.pk]),
    )
    assert set(activity.organizations.all()) == {organization, partner}


def test_link_labels_in_several_languages_read_in_the_readers_language():
    labels = {"en": "Arabic", "fr": "arabe", "ar": "العربية"}
    link = {"label": "Arabic", "labels": labels, "url": "https://docs.example.org/ar.pdf"}
    activity = published_activity(links=[link])
    with translation.override("fr"):
        assert activity.links.get().label == "arabe"
    with translation.override("es"):  # no Spanish label: the fallback, English
        assert activity.links.get().label == "Arabic"
    assert snapshot_of(activity)["links"] == [link]


def test_a_link_written_once_keeps_the_plain_snapshot_shape():
    activity = published_activity()
    assert snapshot_of(activity)["links"] == activity_data()["links"]
