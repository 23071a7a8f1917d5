"""core.guard: oversized bodies, NUL characters and broken multipart bodies refused at the door."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_request_over_the_cap_is_refused_with_413_before_it_is_read(client, settings):
    settings.HUB_MAX_REQUEST_BYTES = 1024
    response = client.generic(
        "POST",
        "/en/organizations/apply/",
        b"x" * 10,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "too large" in response.content.decode()


def test_request_over_the_cap_is_told_in_the_path_language(client, settings):
    settings.HUB_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.generic(
        "POST", "/fr/organizations/apply/", b"", CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert response["Content-Language"] == "fr"
    assert "1 Mo" in response.content.decode() or "1 MB" in response.content.decode()


def test_api_request_over_the_cap_is_answered_as_json(client, settings):
    settings.HUB_MAX_REQUEST_BYTES = 1024
    response = client.generic(
        "POST", "/api/organizations", b"{}", "application/json", CONTENT_LENGTH="999999"
    )
    assert response.status_code == 413
    assert "25" not in response.json()["detail"]
    assert "1 MB" not in response.json()["detail"]  # 1024 bytes round down to 0 MB
    assert response.json()["detail"].startswith("This request is too large")


def test_request_within_the_cap_reaches_the_view(client):
    response = client.get("/en/organizations/")
    assert response.status_code == 200


def test_invalid_content_length_is_a_400(client):
    response = client.generic("POST", "/en/organizations/apply/", b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/organizations?q=%00",
        "/api/people?q=%00",
        "/api/organizations?%00=1",
        "/api/organizations/%00",
        "/api/people/%00",
        "/api/activities/%00",
        "/api/working-groups/%00",
    ],
)
def test_nul_in_api_path_or_query_is_a_json_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/en/updates/preferences/%00/", "/en/updates/preferences/%00/export/", "/en/a%00b/"]
)
def test_nul_in_page_path_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_nul_in_form_field_is_a_400(client):
    response = client.post("/en/updates/unsubscribe/abc/", {"reason": "a\x00b"})
    assert response.status_code == 400


def test_nul_in_path_of_form_post_is_a_400(client):
    response = client.post("/en/updates/unsubscribe/%00/", {})
    assert response.status_code == 400


def test_nul_in_multipart_field_is_a_400(client):
    response = client.post("/en/organizations/apply/", {"organization_name": "A\x00"})
    assert response.status_code == 400


def test_escaped_nul_in_json_body_is_a_400(client):
    response = client.post(
        "/api/organizations", json.dumps({"organization_name": "A\x00"}), "application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_escaped_backslash_before_u0000_is_not_a_nul(client):
    body = json.dumps({"organization_name": "C:\\u0000"})  # a backslash, then "u0000"
    assert "\\\\u0000" in body
    response = client.post("/api/organizations", body, "application/json")
    assert response.status_code != 400 or "NUL" not in response.json()["detail"]


def test_multipart_without_boundary_is_a_400(client):
    response = client.generic("POST", "/api/organizations", b"--x\r\n", "multipart/form-data")
    assert response.status_code == 400
    assert "boundary" in response.json()["detail"]


def test_signed_in_multipart_without_boundary_is_a_400(client, django_user_model):
    user = django_user_model.objects.create_user(email="m@example.org", password="x")
    client.force_login(user)
    for path in ("/api/organizations", "/api/activities", "/en/organizations/apply/"):
        response = client.generic("POST", path, b"--x\r\n", "multipart/form-data")
        assert response.status_code == 400, path


def test_multipart_with_invalid_boundary_is_a_400(client):
    response = client.generic(
        "POST", "/en/organizations/apply/", b"--x\r\n", "multipart/form-data; boundary=" + "b" * 300
    )
    assert response.status_code == 400
    assert "malformed" in response.content.decode()
