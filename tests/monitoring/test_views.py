"""The pages of national reporting, as each role uses them."""

import pytest
from django.urls import reverse

from coalition.monitoring.models import Report
from coalition.monitoring.services import reports
from coalition.monitoring.services import synthesis as synthesis_services
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory, UserFactory
from tests.support.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return factories.open_cycle()


@pytest.fixture
def focal():
    return factories.focal_point("MG")


@pytest.fixture
def report(cycle, focal):
    return reports.start_report(cycle, "MG", user=focal)


def edit_url(report):
    return reverse("monitoring:report-edit", kwargs={"pk": report.pk})


def answer_fields(question, text="", choice="", revision=0, language="en"):
    prefix = f"answer-{question.pk}"
    data = {f"{prefix}-rev": str(revision), f"{prefix}-lang": language}
    if text:
        data[f"{prefix}-text"] = text
    if choice:
        data[f"{prefix}-choice"] = choice
    return data


def test_focal_point_starts_a_report_from_the_cycle_page(client, cycle, focal):
    signed_in(client, focal)
    page = client.get(cycle.get_absolute_url())
    assert page.status_code == 200 and "Start the report" in page.content.decode()
    response = client.post(
        reverse("monitoring:report-start", kwargs={"slug": cycle.slug}), {"country": "MG"}
    )
    report = Report.objects.get(cycle=cycle, country="MG")
    assert response.status_code == 302 and response["Location"] == edit_url(report)


def test_another_countrys_focal_point_cannot_start_or_open_the_report(client, cycle, report):
    signed_in(client, factories.focal_point("KE"))
    start = client.post(
        reverse("monitoring:report-start", kwargs={"slug": cycle.slug}), {"country": "MG"}
    )
    assert start.status_code == 403
    assert client.get(edit_url(report)).status_code == 403
    assert client.get(report.get_absolute_url()).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, report):
    response = client.get(edit_url(report))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edit_page_shows_every_question_numbered(client, report, focal):
    response = signed_in(client, focal).get(edit_url(report))
    body = response.content.decode()
    assert response.status_code == 200
    count = report.cycle.questionnaire.questions.count()
    assert f'id="q-{count}"' in body and 'id="q-1"' in body
    assert "Madagascar" in body


def test_saving_the_form_stores_answers_and_comments(client, report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    policy = factories.question(cycle, "aa2-policy")
    data = {
        **answer_fields(question, text="Deux ateliers", language="fr"),
        **answer_fields(policy, choice="partly"),
    }
    data |= {"comment": str(question.pk), f"comment-{question.pk}": "Please add dates"}
    response = signed_in(client, focal).post(edit_url(report), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#{question.anchor}")
    assert report.answers.get(question=question).language == "fr"
    assert report.answers.get(question=policy).choice == "partly"
    assert report.comments.get().body == "Please add dates"


def test_stale_form_is_a_conflict_shown_with_both_texts(client, report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    co_editor = factories.co_editor("MG", by=focal)
    reports.save_answer(report, question, user=co_editor, text="Their newer text")
    response = signed_in(client, focal).post(
        edit_url(report), answer_fields(question, text="My older text")
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Their newer text" in body and "My older text" in body
    assert report.answers.get(question=question).text == "Their newer text"


def test_autosave_answers_json_and_reports_conflicts(client, report, focal, cycle):
    question = factories.question(cycle, "consultation-process")
    url = reverse("monitoring:answer-save", kwargs={"pk": report.pk, "question_pk": question.pk})
    signed_in(client, focal)
    saved = client.post(url, answer_fields(question, text="First"))
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    stale = client.post(url, answer_fields(question, text="Second", revision=0))
    assert stale.status_code == 409 and stale.json()["conflict"]["text"] == "First"
    assert (
        client.post(url, answer_fields(question, text="Second", revision=1)).json()["revision"] == 2
    )


def test_fake_evidence_file_is_refused_and_typed_answers_are_kept(client, report, focal, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = factories.question(cycle, "action-area-1-evidence")
    answer = factories.question(cycle, "consultation-process")
    data = {
        **answer_fields(answer, text="Typed before uploading"),
        "upload": str(evidence.pk),
        f"file-{evidence.pk}": SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"),
    }
    response = signed_in(client, focal).post(edit_url(report), data)
    assert response.status_code == 400
    assert "not a real" in response.content.decode()
    assert report.answers.get(question=answer).text == "Typed before uploading"
    assert not report.evidence.exists()


def test_submit_page_lists_missing_answers_with_links(client, report, focal):
    response = signed_in(client, focal).get(
        reverse("monitoring:report-submit", kwargs={"pk": report.pk})
    )
    body = response.content.decode()
    question = report.cycle.questionnaire.questions.get(key="responsible-entities")
    assert f"{edit_url(report)}#{question.anchor}" in body


def test_submit_then_secretariat_asks_for_clarification(client, report, focal, cycle):
    factories.answer_everything(report, focal)
    signed_in(client, focal)
    submit = reverse("monitoring:report-submit", kwargs={"pk": report.pk})
    done = client.post(
        submit,
        {"certifying_official": "A. Minister", "certifying_title": "Minister", "confirm": "on"},
    )
    assert done.status_code == 302
    again = client.post(
        submit,
        {"certifying_official": "A. Minister", "certifying_title": "Minister", "confirm": "on"},
    )
    assert again.status_code == 302 and Report.objects.get(pk=report.pk).versions.count() == 1
    policy = factories.question(cycle, "aa2-policy")
    secretariat = SecretariatFactory()
    client.force_login(secretariat)
    review = reverse("monitoring:version-review", kwargs={"pk": report.pk, "number": 1})
    client.post(
        review, {"decision": "clarify", "clarify": [str(policy.pk)], "message": "Links please"}
    )
    assert Report.objects.get(pk=report.pk).status == Report.Status.CLARIFICATION
    client.force_login(focal)
    page = client.get(edit_url(report)).content.decode()
    assert "Links please" in page and f'href="#{policy.anchor}"' in page


def test_version_page_compares_with_the_previous_version(client, report, focal, cycle):
    factories.answer_everything(report, focal)
    first = reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    policy = factories.question(cycle, "aa2-policy")
    from coalition.monitoring.services import reviews

    reviews.request_clarification(first, by=SecretariatFactory(), questions=[policy])
    reports.save_answer(report, policy, user=focal, choice="no")
    reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    url = reverse("monitoring:version-detail", kwargs={"pk": report.pk, "number": 2})
    body = signed_in(client, focal).get(url + "?show=changed").content.decode()
    assert body.count('class="diff-changed"') == 1
    assert "No" in body and "Yes" in body


def test_cycle_reports_list_has_a_constant_query_count(
    client, cycle, django_assert_max_num_queries
):
    secretariat = SecretariatFactory()
    signed_in(client, secretariat)
    factories.submitted_report(cycle, "KE")
    url = cycle.get_absolute_url()
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for country in ("SN", "NG", "TN", "JO"):
        factories.submitted_report(cycle, country)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/reports/") >= 5


def test_synthesis_page_has_a_constant_query_count(client, cycle, django_assert_max_num_queries):
    factories.accepted_report(cycle, "KE")
    synthesis_services.publish_synthesis(synthesis_services.synthesis_for(cycle))
    url = reverse("monitoring:synthesis", kwargs={"slug": cycle.slug})
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for country in ("SN", "NG", "TN"):
        factories.accepted_report(cycle, country)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "Senegal" in response.content.decode()


def test_unpublished_synthesis_is_not_found_for_the_public(client, cycle):
    synthesis_services.synthesis_for(cycle)
    url = reverse("monitoring:synthesis", kwargs={"slug": cycle.slug})
    assert client.get(url).status_code == 404
    assert signed_in(client, UserFactory()).get(url).status_code == 404


def test_review_queue_and_roles_are_for_the_secretariat_only(client, cycle):
    factories.submitted_report(cycle, "KE")
    for name in ("monitoring:review-queue", "monitoring:roles"):
        assert signed_in(client, UserFactory()).get(reverse(name)).status_code == 403
    client.force_login(SecretariatFactory())
    assert "Kenya" in client.get(reverse("monitoring:review-queue")).content.decode()


def test_secretariat_gives_a_focal_point_by_email(client):
    person = UserFactory(email="natcom@example.org")
    signed_in(client, SecretariatFactory())
    response = client.post(
        reverse("monitoring:roles"), {"country": "KE", "account": "natcom@example.org"}
    )
    assert response.status_code == 302
    assert person.has_perm("monitoring.submit_report", Report(country="KE", status="draft"))
    unknown = client.post(
        reverse("monitoring:roles"), {"country": "KE", "account": "nobody@example.org"}
    )
    assert unknown.status_code == 400 and "No account uses this address" in unknown.content.decode()
