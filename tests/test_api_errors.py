"""The API as a whole: every error is JSON in the client's language; docs need no CDN."""

import re

import pytest

from coalition.members import selectors
from tests.factories.members import SecretariatFactory

pytestmark = pytest.mark.django_db


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_unknown_address_under_api_is_404_json(client):
    body = assert_json_error(client.get("/api/no/such/thing"), 404)

    assert body == {"detail": "There is nothing at this address in the API."}


def test_unsupported_method_is_405_json_with_allow(client):
    response = client.delete("/api/organizations")

    assert_json_error(response, 405)
    assert response["Allow"] == "GET"


def test_api_root_points_to_the_description_and_docs(client):
    response = client.get("/api/")

    assert response.status_code == 200
    assert response.json() == {
        "title": "OER Coalition Hub API",
        "version": "1",
        "openapi": "http://testserver/api/openapi.json",
        "docs": "http://testserver/api/docs",
    }


def test_malformed_json_body_is_400(client):
    client.force_login(SecretariatFactory())

    response = client.post(
        "/api/organizations/applications", "{not json", content_type="application/json"
    )

    body = assert_json_error(response, 400)
    assert body["detail"] == "The request body is not valid JSON."
    assert "line 1" in body["errors"]["__all__"][0]


def test_validation_error_reasons_follow_the_requested_language(client):
    response = client.get("/api/organizations", {"limit": "many"}, HTTP_ACCEPT_LANGUAGE="fr")

    body = assert_json_error(response, 400)
    assert body["errors"] == {"limit": ["Saisissez un nombre entier."]}
    assert response["Content-Language"] == "fr"


def test_not_signed_in_is_401_and_not_allowed_is_403(client):
    url = "/api/organizations/applications/1/approve"

    assert_json_error(client.post(url), 401)
    client.force_login(SecretariatFactory(is_secretariat=False))
    assert_json_error(client.post(url), 403)


def test_unexpected_failure_is_500_json_and_logged(client, monkeypatch, caplog):
    def broken(**filters):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "directory_organizations", broken)

    response = client.get("/api/organizations")

    body = assert_json_error(response, 500)
    assert "fire" not in body["detail"]
    assert any("database on fire" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_docs_page_loads_only_local_static_files(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert all(url.startswith("/static/") for url in urls), urls
    assert "//" not in "".join(urls)
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize("asset", ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"])
def test_docs_static_files_are_shipped_locally(asset):
    from django.contrib.staticfiles import finders

    assert finders.find(f"ninja/{asset}")


# Hostile input: a 4xx with a reason, never a 500 nor a silent 200 ---------------------------


@pytest.mark.parametrize("body", ["[null,null]", '"x"', "3", "null", "[]"])
def test_patch_with_a_body_that_is_not_an_object_is_400(client, body):
    from tests.factories.members import OrganizationFactory, focal_point_of

    organization = OrganizationFactory(acronym="OLI")
    client.force_login(focal_point_of(organization))

    response = client.patch(
        f"/api/organizations/{organization.slug}", body, content_type="application/json"
    )

    body = assert_json_error(response, 400)
    assert body["detail"] == "The request body must be a JSON object."
    organization.refresh_from_db()
    assert organization.acronym == "OLI"


@pytest.mark.parametrize("path", ["organizations", "people", "activities", "events"])
def test_offset_beyond_what_a_database_counts_is_400(client, path):
    body = assert_json_error(client.get(f"/api/{path}?offset=9223372036854775808"), 400)
    assert "offset" in body["errors"]


@pytest.mark.parametrize("path", ["organizations", "people", "activities", "events"])
def test_largest_offset_accepted_gives_an_empty_page(client, path):
    response = client.get(f"/api/{path}?offset=1000000000")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "payload",
    [
        {"names": {"en": "Open\r\nBcc: someone@example.org"}},
        {"names": {"fr": "Ligne\nautre"}},
        {"acronym": "A\rB"},
    ],
)
def test_line_break_in_an_organization_name_is_400(client, payload):
    from tests.factories.members import OrganizationFactory, focal_point_of

    organization = OrganizationFactory(name="Open Learning", name_en="Open Learning")
    client.force_login(focal_point_of(organization))

    response = client.patch(
        f"/api/organizations/{organization.slug}", payload, content_type="application/json"
    )

    body = assert_json_error(response, 400)
    field = next(iter(payload)) if "acronym" in payload else f"names.{next(iter(payload['names']))}"
    assert body["errors"][field] == ["This must be a single line of text."]
    organization.refresh_from_db()
    assert organization.name_en == "Open Learning"


def test_description_describes_what_the_filters_accept(client):
    parameters = {
        parameter["name"]: parameter
        for parameter in client.get("/api/openapi.json").json()["paths"]["/api/organizations"][
            "get"
        ]["parameters"]
    }
    assert parameters["offset"]["schema"]["maximum"] == 10**9
    country = parameters["country"]["schema"]
    assert "pattern" in str(country)
    assert "working_group" in parameters
