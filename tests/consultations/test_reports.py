from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.consultations.models import Comment, QuoteConsent, Report
from coalition.consultations.services import comments, reports
from tests.factories.consultations import ConsultationFactory, member_user, role_in
from tests.factories.members import SecretariatFactory, working_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return working_group("capacity-building")


@pytest.fixture
def consultation():
    return ConsultationFactory()


@pytest.fixture
def comment(consultation, group):
    return comments.post_comment(
        consultation,
        user=member_user(),
        working_group=group,
        body="Train librarians in open licensing.",
        quote_consent=QuoteConsent.NAMED,
    )


def test_comment_without_a_working_group_is_refused(consultation):
    with pytest.raises(ValidationError, match="working group"):
        comments.post_comment(consultation, user=member_user(), working_group=None, body="x")


def test_comment_after_the_window_is_refused(consultation, group):
    consultation.comments_close_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    with pytest.raises(ValidationError, match="over"):
        comments.post_comment(consultation, user=member_user(), working_group=group, body="x")


def test_comment_form_without_a_group_reshows_with_the_text_kept(client, consultation):
    client.force_login(member_user())
    url = reverse("consultations:comment-create", kwargs={"slug": consultation.slug})
    page = client.post(
        url, {"body": "My long comment", "quote_consent": "anonymous"}
    ).content.decode()
    assert "Choose the working group your comment pertains to." in page
    assert "My long comment" in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("member", False),
        ("other-chair", False),
        ("chair", True),
        ("rapporteur", True),
        ("secretariat", True),
    ],
)
def test_comments_role_matrix(client, consultation, group, comment, role, sees):
    users = {
        "member": lambda: member_user(),
        "other-chair": lambda: role_in(working_group("supportive-policy"), "chair"),
        "chair": lambda: role_in(group, "chair"),
        "rapporteur": lambda: role_in(group, "rapporteur"),
        "secretariat": lambda: SecretariatFactory(),
    }
    if role in users:
        client.force_login(users[role]())
    response = client.get(reverse("consultations:comment-list", kwargs={"slug": consultation.slug}))
    body = response.content.decode()
    assert ("Train librarians in open licensing." in body) is sees
    if role == "other-chair":  # sees the page of their own group, without this comment
        assert response.status_code == 200
    elif not sees:
        assert response.status_code in (302, 403)


def test_report_workflow_draft_shared_published_is_logged(
    consultation, group, comment, django_capture_on_commit_callbacks
):
    rapporteur = role_in(group, "rapporteur")
    chair = role_in(group, "chair")
    report = reports.start_report(consultation, group, user=rapporteur)
    reports.update_report(report, user=rapporteur, data={"priorities_en": "<p>Capacity</p>"})
    quote = reports.quote_comment(report, comment, user=rapporteur)
    assert quote.attribution.startswith("Person")
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.share_report(report, user=rapporteur)
    assert [m.to for m in mail.outbox] == [[chair.email]]
    reports.add_note(report, user=chair, part="priorities", body="Add libraries.")
    with pytest.raises(PermissionDenied):
        reports.publish_report(report, user=chair)
    reports.publish_report(report, user=SecretariatFactory())
    report.refresh_from_db()
    assert report.state == Report.State.PUBLISHED
    assert list(report.log.values_list("from_state", "to_state")) == [
        ("", "draft"),
        ("draft", "shared"),
        ("shared", "published"),
    ]


def test_rapporteur_of_another_group_cannot_edit(consultation, group):
    report = reports.start_report(consultation, group, user=role_in(group, "rapporteur"))
    other = role_in(working_group("supportive-policy"), "rapporteur")
    with pytest.raises(PermissionDenied):
        reports.update_report(report, user=other, data={"priorities_en": "x"})
    with pytest.raises(PermissionDenied):
        reports.start_report(consultation, group, user=other)


def test_comment_refusing_quotes_cannot_be_quoted_and_anonymous_consent_hides_the_name(
    consultation, group
):
    rapporteur = role_in(group, "rapporteur")
    report = reports.start_report(consultation, group, user=rapporteur)
    refused = comments.post_comment(
        consultation, user=member_user(), working_group=group, body="No", quote_consent="none"
    )
    with pytest.raises(ValidationError):
        reports.quote_comment(report, refused, user=rapporteur)
    anonymous = comments.post_comment(
        consultation, user=member_user(), working_group=group, body="Yes", quote_consent="anonymous"
    )
    assert reports.quote_comment(report, anonymous, user=rapporteur).attribution == ""


def test_secretariat_cannot_publish_a_draft(consultation, group):
    report = reports.start_report(consultation, group, user=role_in(group, "rapporteur"))
    with pytest.raises(ValidationError, match="shared"):
        reports.publish_report(report, user=SecretariatFactory())


@pytest.mark.parametrize(("role", "status"), [("anonymous", 404), ("member", 404), ("chair", 200)])
def test_unpublished_report_page_is_private(client, consultation, group, role, status):
    report = reports.start_report(consultation, group, user=role_in(group, "rapporteur"))
    if role == "member":
        client.force_login(member_user())
    elif role == "chair":
        client.force_login(role_in(group, "chair"))
    assert client.get(report.get_absolute_url()).status_code == status


def test_published_report_is_public_and_listed_on_the_consultation(
    client, consultation, group, comment
):
    rapporteur = role_in(group, "rapporteur")
    report = reports.start_report(consultation, group, user=rapporteur)
    reports.update_report(report, user=rapporteur, data={"priorities_en": "<p>Open licensing</p>"})
    reports.quote_comment(report, comment, user=rapporteur, anonymize=True)
    report = reports.share_report(report, user=rapporteur)
    reports.publish_report(report, user=SecretariatFactory())
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Open licensing" in page and "Train librarians" in page and "A participant" in page
    listing = client.get(consultation.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in listing


def test_consultation_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    ConsultationFactory()
    with django_assert_max_num_queries(6) as few:
        assert client.get(reverse("consultations:consultation-list")).status_code == 200
    for _ in range(5):
        ConsultationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("consultations:consultation-list"))
    assert response.content.decode().count('class="card"') == 6


def test_comment_list_query_count_does_not_grow_with_comments(
    client, consultation, group, comment, django_assert_max_num_queries
):
    client.force_login(SecretariatFactory())
    url = reverse("consultations:comment-list", kwargs={"slug": consultation.slug})
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for index in range(6):
        comments.post_comment(
            consultation,
            user=member_user(),
            working_group=working_group("supportive-policy") if index % 2 else group,
            body=f"Comment {index}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="card"') == 7
