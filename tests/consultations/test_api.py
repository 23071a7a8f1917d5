"""The consultations API: public reads, answering a survey as the page does, results."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openapi_spec_validator import validate

from coalition.consultations.models import Answer, Response
from coalition.consultations.services import reports
from coalition.consultations.services import surveys as services
from tests.factories.consultations import (
    ConsultationFactory,
    answers,
    member_user,
    role_in,
    sample_survey,
)
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    working_group,
)
from tests.support.clients import api_items, signed_in

pytestmark = pytest.mark.django_db

JSON = "application/json"


def put_response(client, survey, **body):
    return client.put(f"/api/surveys/{survey.slug}/response", body, content_type=JSON)


def test_the_description_of_the_api_is_valid_openapi_with_the_consultations(client):
    document = json.loads(client.get("/api/openapi.json").content)
    validate(document)
    for path in (
        "/api/consultations",
        "/api/consultations/{slug}",
        "/api/consultations/{slug}/reports/{group}",
        "/api/surveys/{slug}",
        "/api/surveys/{slug}/response",
        "/api/surveys/{slug}/results",
        "/api/surveys/{slug}/responses",
    ):
        assert path in document["paths"], path
    answering = document["paths"]["/api/surveys/{slug}/response"]["put"]
    assert set(answering["responses"]) >= {"200", "201", "400", "401", "403", "404", "409", "429"}


# --- consultations and reports ---


def test_consultation_list_shows_the_published_ones_only(client):
    ConsultationFactory(title_en="July 2020", slug="july-2020")
    ConsultationFactory(title_en="Draft", slug="draft", is_published=False)
    items = api_items(client.get("/api/consultations"))
    assert [item["slug"] for item in items] == ["july-2020"]
    assert items[0]["title"] == {"value": "July 2020", "language": "en", "is_fallback": False}
    assert items[0]["url"].endswith("/consultations/july-2020/")


def test_consultation_detail_lists_its_published_survey_and_published_reports_only(client):
    consultation = ConsultationFactory(slug="july-2020")
    sample_survey(consultation=consultation, slug="survey-2020")
    sample_survey(consultation=consultation, slug="hidden", is_published=False)
    published = working_group("supportive-policy")
    rapporteur = role_in(published, "rapporteur")
    report = reports.start_report(consultation, published, user=rapporteur)
    report = reports.share_report(report, user=rapporteur)
    reports.publish_report(report, user=SecretariatFactory())
    draft_group = working_group("capacity-building")
    reports.start_report(consultation, draft_group, user=role_in(draft_group, "rapporteur"))

    body = client.get("/api/consultations/july-2020").json()

    assert [s["slug"] for s in body["surveys"]] == ["survey-2020"]
    assert body["surveys"][0]["state"] == "open"
    assert "CET" in body["surveys"][0]["window"] or "CEST" in body["surveys"][0]["window"]
    assert [r["working_group"]["slug"] for r in body["reports"]] == ["supportive-policy"]
    assert body["reports"][0]["pdf"].endswith("/reports/supportive-policy/pdf/")
    assert body["comments_open"] is True


def test_unpublished_consultation_is_404_except_for_the_secretariat(client):
    ConsultationFactory(slug="draft", is_published=False)
    response = client.get("/api/consultations/draft")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no consultation with this name."}
    client.force_login(SecretariatFactory())
    assert client.get("/api/consultations/draft").status_code == 200


def test_published_report_is_public_and_a_shared_one_is_not(client):
    consultation = ConsultationFactory(slug="july-2020")
    group = working_group("supportive-policy")
    rapporteur = role_in(group, "rapporteur")
    report = reports.start_report(consultation, group, user=rapporteur)
    reports.update_report(
        report,
        user=rapporteur,
        data={"priorities_en": "<p>Model policies</p>", "priorities_ar": "<p>سياسات نموذجية</p>"},
    )
    report = reports.share_report(report, user=rapporteur)
    url = "/api/consultations/july-2020/reports/supportive-policy"
    assert client.get(url).status_code == 404
    reports.publish_report(report, user=SecretariatFactory())

    body = client.get(url, {"lang": "ar"}).json()

    assert body["priorities"] == {
        "value": "<p>سياسات نموذجية</p>",
        "language": "ar",
        "is_fallback": False,
    }
    assert body["consultation"] == "july-2020"


# --- a survey and its questions ---


def test_open_survey_shows_its_questions_with_conditions_and_choices(client):
    survey = sample_survey(slug="s")
    body = client.get("/api/surveys/s").json()
    assert body["state"] == "open" and body["refusal"] == ""
    codes = [q["code"] for q in body["questions"]]
    assert codes == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]
    q1, q2, q3, q4 = body["questions"][:4]
    assert [c["value"] for c in q1["choices"]] == ["yes", "no"]
    assert q2["show_if"] == {"question": "Q1", "value": "yes"}
    assert q3["allow_other"] is True
    assert q4["choices"][0]["label"]["value"] == "1 – Not useful"
    assert survey.pk  # the questions are the survey's own


def test_survey_before_its_window_says_when_it_opens_and_shows_no_questions(client):
    opens = timezone.now() + timedelta(days=2)
    sample_survey(slug="s", opens_at=opens, closes_at=opens + timedelta(days=10))
    body = client.get("/api/surveys/s").json()
    assert body["state"] == "upcoming"
    assert body["refusal"].startswith("This survey opens on ")
    assert body["questions"] == []


def test_unpublished_or_unknown_survey_is_404(client):
    sample_survey(slug="hidden", is_published=False)
    for slug in ("hidden", "nothing"):
        response = client.get(f"/api/surveys/{slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no survey with this name."}


# --- answering ---


def test_member_saves_a_draft_resumes_it_and_submits_one_response(client):
    survey = sample_survey()
    user = member_user()
    client.force_login(user)

    draft = put_response(client, survey, answers={"Q1": "yes", "Q3": ["policy"]})
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"
    resumed = client.get(f"/api/surveys/{survey.slug}/response").json()
    assert resumed["answers"] == {"Q1": "yes", "Q3": ["policy"]}

    submitted = put_response(
        client,
        survey,
        answers={"Q1": "yes", "Q2": "A national policy", "Q3": ["policy"], "Q4": 5, "Q5": "TN"},
        others={"Q3": "Funding"},
        submit=True,
    )
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["answers"]["Q4"] == 5 and body["answers"]["Q5"] == "TN"
    assert body["others"] == {"Q3": "Funding"}
    response = Response.objects.get()
    assert response.user == user and response.region == "arab-states"  # from Q5: Tunisia


def test_submitting_without_a_required_answer_is_400_by_code_and_loses_nothing(client):
    survey = sample_survey()
    client.force_login(member_user())
    put_response(client, survey, answers={"Q3": ["policy"]})

    response = put_response(client, survey, answers={"Q1": "yes"}, submit=True)

    assert response.status_code == 400
    assert response.json()["errors"] == {"answers.Q2": ["This question requires an answer."]}
    kept = Response.objects.get()
    assert kept.status == Response.Status.DRAFT
    assert list(kept.answers.values_list("choice__value", flat=True)) == ["policy"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"Q1": "perhaps"}}, "answers.Q1"),
        ({"answers": {"Q4": 9}}, "answers.Q4"),
        ({"answers": {"Q5": "XX"}}, "answers.Q5"),
        ({"answers": {"Q7": 20000}}, "answers.Q7"),
        ({"answers": {"Q1": ["yes", "no"]}}, "answers.Q1"),
        ({"answers": {"Q99": "yes"}}, "answers.Q99"),
        ({"others": {"Q1": "Something"}}, "others.Q1"),
        ({"answers": {"Q3": ["other"]}}, "answers.Q3"),
    ],
)
def test_an_invalid_answer_posted_by_hand_is_400_with_its_question(client, body, field):
    survey = sample_survey()
    client.force_login(member_user())
    response = put_response(client, survey, **body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Response.objects.exists()


def test_answering_a_closed_survey_is_409_with_when_it_closed(client):
    now = timezone.now()
    survey = sample_survey(opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1))
    client.force_login(member_user())
    response = put_response(client, survey, answers={"Q1": "no"}, submit=True)
    assert response.status_code == 409
    assert "Answers are no longer accepted." in response.json()["detail"]
    assert not Response.objects.exists()


def test_answering_a_survey_not_yet_open_is_409_in_the_requested_language(client):
    opens = timezone.now() + timedelta(hours=1)
    survey = sample_survey(opens_at=opens, closes_at=opens + timedelta(days=1))
    client.force_login(member_user())
    response = client.put(
        f"/api/surveys/{survey.slug}/response?lang=fr", {"answers": {}}, content_type=JSON
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Cette enquête ouvre le ")


def test_anonymous_answer_to_a_survey_for_members_is_401(client):
    survey = sample_survey()
    response = put_response(client, survey, answers={"Q1": "no"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in to answer this survey."}


def test_anonymous_answer_keeps_one_response_per_browser_token(client):
    survey = sample_survey(allow_anonymous=True)
    first = put_response(client, survey, answers={"Q1": "no"})
    assert first.status_code == 201
    assert f"hub_survey_{survey.pk}" in first.cookies
    again = put_response(client, survey, answers={"Q1": "no", "Q4": 3}, submit=True)
    assert again.status_code == 200
    assert Response.objects.count() == 1
    assert client.get(f"/api/surveys/{survey.slug}/response").json()["answers"] == {
        "Q1": "no",
        "Q4": 3,
    }
    client.cookies.clear()
    assert client.get(f"/api/surveys/{survey.slug}/response").status_code == 404
    assert put_response(client, survey, answers={"Q1": "no"}).status_code == 201
    assert Response.objects.count() == 2


def test_anonymous_answer_needs_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    survey = sample_survey(allow_anonymous=True)
    response = put_response(strict, survey, answers={"Q1": "no"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    strict.get(f"/api/surveys/{survey.slug}")  # sets the csrftoken cookie
    token = strict.cookies["csrftoken"].value
    response = strict.put(
        f"/api/surveys/{survey.slug}/response",
        {"answers": {"Q1": "no"}},
        content_type=JSON,
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_new_anonymous_responses_are_rate_limited_as_on_the_page(client, settings):
    settings.RATELIMIT_ENABLE = True
    survey = sample_survey(allow_anonymous=True)
    statuses = []
    for _ in range(21):
        client.cookies.clear()
        statuses.append(put_response(client, survey, answers={"Q1": "no"}).status_code)
    assert statuses == [201] * 20 + [429]
    assert Response.objects.count() == 20


def test_a_copy_of_the_answers_is_sent_on_request(client, django_capture_on_commit_callbacks):
    survey = sample_survey(allow_anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = put_response(
            client,
            survey,
            answers={"Q1": "no"},
            submit=True,
            send_copy=True,
            copy_to="someone@example.org",
        )
    assert response.status_code == 201, response.content
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


def test_no_response_yet_is_404_with_its_reason(client):
    survey = sample_survey()
    client.force_login(member_user())
    response = client.get(f"/api/surveys/{survey.slug}/response")
    assert response.status_code == 404
    assert response.json() == {"detail": "You have not answered this survey yet."}


# --- results and export ---


def anonymous(group):
    return None


def member(group):
    return UserFactory()


def secretariat(group):
    return SecretariatFactory()


def chair(group):
    return role_in(group, "chair")


def rapporteur(group):
    return role_in(group, "rapporteur")


@pytest.fixture
def answered():
    survey = sample_survey(allow_anonymous=True)
    organization = OrganizationFactory(
        name_en="Open University", country="KE", stakeholder_type="university"
    )
    person = PersonFactory(user=UserFactory())
    AffiliationFactory(person=person, organization=organization)
    services.save_response(
        survey,
        values=answers(survey, Q1="yes", Q2="A national policy", Q4=4, Q5="TN"),
        user=person.user,
        submit=True,
    )
    services.save_response(
        survey,
        values=answers(survey, Q1="no", Q4=2, Q5="FR"),
        browser_token="browser",
        submit=True,
    )
    return survey


@pytest.mark.parametrize(
    ("who", "status"),
    [(anonymous, 401), (member, 403), (chair, 200), (rapporteur, 200), (secretariat, 200)],
)
@pytest.mark.parametrize("path", ["results", "responses"])
def test_results_and_export_role_matrix(client, answered, who, status, path):
    user = who(working_group("supportive-policy"))
    response = signed_in(client, user).get(f"/api/surveys/{answered.slug}/{path}")
    assert response.status_code == status
    if status == 401:
        assert response.json() == {"detail": "Please sign in first."}
    if status == 403:
        assert response.json() == {"detail": "You are not allowed to do this."}


def test_results_count_per_question_with_filters(client, answered):
    client.force_login(SecretariatFactory())
    body = client.get(f"/api/surveys/{answered.slug}/results").json()
    assert body["responses"] == 2
    q1 = body["questions"][0]
    assert [(r["label"], r["count"], r["percent"]) for r in q1["rows"]] == [
        ("Yes", 1, 50.0),
        ("No", 1, 50.0),
    ]
    assert q1["chart"].endswith(".svg?" + q1["chart"].split("?")[1])
    q2 = body["questions"][1]
    assert q2["texts"] == [
        {"text": "A national policy", "is_other": False, "organization": "Open University"}
    ]

    filtered = client.get(
        f"/api/surveys/{answered.slug}/results",
        {"region": "africa", "stakeholder_type": "university"},
    ).json()
    assert filtered["responses"] == 1
    assert filtered["filters"] == {"region": "africa", "stakeholder_type": "university"}
    assert [r["count"] for r in filtered["questions"][0]["rows"]] == [1, 0]


def test_results_with_an_unknown_filter_are_400(client, answered):
    client.force_login(SecretariatFactory())
    response = client.get(f"/api/surveys/{answered.slug}/results", {"region": "atlantis"})
    assert response.status_code == 400
    assert "region" in response.json()["errors"]


def test_json_export_has_codes_not_labels(client, answered):
    client.force_login(SecretariatFactory())
    response = client.get(f"/api/surveys/{answered.slug}/responses")
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(b"".join(response.streaming_content))
    assert [q["code"] for q in body["questions"]][:2] == ["Q1", "Q2"]
    first, second = body["responses"]
    assert first["answers"]["Q1"] == "yes" and first["answers"]["Q5"] == "TN"
    assert first["region"] == "africa"
    assert second["organization"] is None
    assert Answer.objects.count() > 0
