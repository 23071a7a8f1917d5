"""The catalogue in the JSON API: public search and records, the licence check, and
writes for the source's focal point and the secretariat."""

import json

import pytest
from django.test import Client

from coalition.catalogue.models import Record, RecordSubmission, Source
from coalition.catalogue.services import submissions
from tests.factories.catalogue import make_record, make_source, record_data
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def library(db):
    source = make_source("Open Library", country="SN")
    make_record(source, "a", title="Biologie cellulaire", languages=["fr"], licence_class="open",
                licence_spdx="CC-BY-4.0", rights_statement="CC BY 4.0", year=2021,
                subjects=["Biology"])  # fmt: skip
    make_record(source, "b", title="Physics handbook", languages=["en"],
                licence_class="not-open", rights_statement="All rights reserved")  # fmt: skip
    return source


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Open Learning Institute", slug="oli")


@pytest.fixture
def focal_point(organization):
    return focal_point_of(organization)


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/en/")  # the csrftoken cookie
    return client


def send(client, method, path, payload=None):
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return getattr(client, method)(
        path, json.dumps(payload) if payload is not None else None,
        content_type=JSON, headers={"X-CSRFToken": token},
    )  # fmt: skip


PAYLOAD = {
    "title": "Open licensing in practice",
    "title_language": "en",
    "creators": [{"name": "Amina Hassan", "orcid": "0000-0002-1825-0097"}],
    "urls": ["https://example.org/oer/practice"],
    "licence": "CC-BY-SA-4.0",
    "subjects": ["Copyright"],
    "action_areas": [2],
}


def test_search_is_public_with_facets(client, library):
    response = client.get("/api/catalogue/records", {"licence": "open", "lang": "fr"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == "Biologie cellulaire"
    assert body["items"][0]["licence"]["licence_class"] == "open"
    labels = {v["value"]: v["label"] for v in body["facets"]["licence"]}
    assert labels["open"] == "Libre"  # in the language asked for
    assert body["facets"]["subject"] == [{"value": "Biology", "label": "Biology", "count": 1}]


def test_search_combines_two_values_of_one_facet(client, library):
    make_record(library, "en-1", title="Open biology", languages=["en"], licence_class="open")
    response = client.get("/api/catalogue/records", {"language": ["fr", "en"]})

    body = response.json()
    assert body["count"] == 3
    both = client.get("/api/catalogue/records", {"language": ["fr", "en"], "licence": "open"})
    body = both.json()
    assert sorted(item["title"] for item in body["items"]) == ["Biologie cellulaire",
                                                              "Open biology"]  # fmt: skip
    assert {v["value"]: v["count"] for v in body["facets"]["language"]} == {"fr": 1, "en": 1}
    licences = {v["value"]: v["count"] for v in body["facets"]["licence"]}
    assert licences == {"open": 2, "not-open": 1}  # within the two languages


def test_search_refuses_an_unknown_licence_class_with_a_reason(client, library):
    response = client.get("/api/catalogue/records", {"licence": "closed"})
    assert response.status_code == 400
    assert "licence" in " ".join(response.json()["errors"])


def test_record_detail_lists_provenance(client, library):
    work = Record.objects.get(identifier="a").work
    response = client.get(f"/api/catalogue/records/{work.hub_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["provenance"][0]["source"] == "Open Library"
    assert body["licence"]["reason"].startswith("The licence lets anyone")
    assert client.get("/api/catalogue/records/not-a-uuid").status_code == 404


def test_licence_check_reads_each_statement_and_all_together(client):
    response = client.post(
        "/api/catalogue/licence-check",
        json.dumps({"statements": ["http://creativecommons.org/licenses/by-nc/3.0/de/",
                                   "info:eu-repo/semantics/openAccess"]}),
        content_type=JSON,
    )  # fmt: skip

    assert response.status_code == 200
    body = response.json()
    assert body["readings"][0]["licence_class"] == "open-nc"
    assert body["readings"][1]["licence_class"] == "unknown"
    assert body["readings"][1]["access_right"]
    assert body["together"]["spdx"] == "CC-BY-NC-3.0-DE"
    assert client.post("/api/catalogue/licence-check", "{}", content_type=JSON).status_code == 400


def test_focal_point_adds_a_record_that_waits_for_moderation(focal_point, organization):
    client = csrf_client(focal_point)
    response = send(client, "post", "/api/catalogue/records", PAYLOAD)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["record"] is None
    assert not Record.objects.visible().exists()


def test_create_needs_a_session_csrf_and_a_role(client, organization):
    anonymous = client.post("/api/catalogue/records", json.dumps(PAYLOAD), content_type=JSON)
    assert anonymous.status_code == 401
    from tests.factories.members import UserFactory

    nobody = csrf_client(UserFactory())
    assert send(nobody, "post", "/api/catalogue/records", PAYLOAD).status_code == 403
    no_token = Client(enforce_csrf_checks=True)
    no_token.force_login(focal_point_of(organization))
    response = no_token.post("/api/catalogue/records", json.dumps(PAYLOAD), content_type=JSON)
    assert response.status_code == 403


def test_invalid_record_answers_400_with_errors_by_field(focal_point):
    client = csrf_client(focal_point)
    response = send(client, "post", "/api/catalogue/records",
                    {**PAYLOAD, "urls": ["ftp://nowhere"], "licence": "CC-XYZ"})  # fmt: skip
    assert response.status_code == 400
    assert {"urls", "licence"} <= set(response.json()["errors"])
    assert not RecordSubmission.objects.exists()


def test_update_waits_and_secretariat_approves_over_the_api(focal_point, organization):
    secretariat = SecretariatFactory()
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(submission, by=secretariat)
    work = Record.objects.get().work

    client = csrf_client(focal_point)
    response = send(client, "put", f"/api/catalogue/records/{work.hub_id}",
                    {**PAYLOAD, "title": "Renamed"})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["is_edit"] and response.json()["status"] == "pending"
    assert Record.objects.get().title == "Introduction to open licensing"

    moderator = csrf_client(secretariat)
    queue = moderator.get("/api/catalogue/submissions").json()
    assert [item["title"] for item in queue["items"]] == ["Renamed"]
    decided = send(
        moderator, "post", f"/api/catalogue/submissions/{queue['items'][0]['id']}/approve"
    )
    assert decided.status_code == 200 and decided.json()["record"]
    assert Record.objects.get().title == "Renamed"
    again = send(moderator, "post", f"/api/catalogue/submissions/{queue['items'][0]['id']}/approve")
    assert again.status_code == 409


def test_harvested_records_cannot_be_changed_over_the_api(library):
    work = Record.objects.get(identifier="a").work
    Source.objects.filter(pk=library.pk).update(kind="oai")
    client = csrf_client(focal_point_of(library.organization))
    assert send(client, "put", f"/api/catalogue/records/{work.hub_id}", PAYLOAD).status_code == 403
    assert send(client, "delete", f"/api/catalogue/records/{work.hub_id}").status_code == 403


def test_focal_point_withdraws_its_record(focal_point, organization):
    secretariat = SecretariatFactory()
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(submission, by=secretariat)
    work = Record.objects.get().work
    client = csrf_client(focal_point)
    assert send(client, "delete", f"/api/catalogue/records/{work.hub_id}").status_code == 204
    assert not Record.objects.visible().exists()


def test_decline_needs_a_message(focal_point, organization):
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    moderator = csrf_client(SecretariatFactory())
    path = f"/api/catalogue/submissions/{submission.pk}/decline"
    assert send(moderator, "post", path, {"message": ""}).status_code == 400
    assert send(moderator, "post", path, {"message": "Duplicate."}).json()["status"] == "declined"
    assert send(csrf_client(focal_point), "post", path, {"message": "x"}).status_code == 403


def test_register_source_over_the_api_refuses_what_is_not_oai(focal_point, oai_server):
    from tests.catalogue.conftest import Reply

    oai_server.on(Reply(b"<html></html>", headers={"Content-Type": "text/html"}))
    client = csrf_client(focal_point)
    response = send(client, "post", "/api/catalogue/sources",
                    {"organization": "oli", "base_url": oai_server.url})  # fmt: skip
    assert response.status_code == 400
    assert "OAI-PMH" in response.json()["errors"]["base_url"][0]


def test_sources_list_is_public_and_hides_pending_ones(client, library):
    Source.objects.create(organization=library.organization, name="Waiting", slug="waiting",
                          base_url="http://example.org/oai", status="pending")  # fmt: skip
    names = [item["name"] for item in client.get("/api/catalogue/sources").json()]
    assert names == ["Open Library"]


def test_openapi_description_stays_valid():
    from openapi_spec_validator import validate

    spec = Client().get("/api/openapi.json").json()
    validate(spec)
    assert "/api/catalogue/licence-check" in spec["paths"]
