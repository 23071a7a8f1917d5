"""The API fuzzed from its own OpenAPI description (schemathesis), anonymous and signed in.

Every operation gets generated requests, valid and not; the run fails on any 5xx, on a
status code the description does not list, and on an answer whose body or content type
breaks the description. It is bounded (HUB_API_FUZZ_EXAMPLES per operation, 6 by
default) so that it runs with the suite; raise the number to
search longer, e.g. `HUB_API_FUZZ_EXAMPLES=500 pytest tests/test_api_schema.py`.
"""

import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coalition.monitoring.services.synthesis import publish_synthesis, synthesis_for
from tests.factories import monitoring
from tests.factories.consultations import ConsultationFactory, sample_survey
from tests.factories.members import (
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
    working_group,
)

EXAMPLES = int(os.environ.get("HUB_API_FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases at every run: a failure can be replayed
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def test_transaction_kept_open():
    """schemathesis calls the WSGI application itself, not through Django's test client, so
    each request ends with `close_old_connections`, which closes a connection left inside a
    transaction: on PostgreSQL that is the test's own transaction. The test client
    disconnects it the same way while it serves a request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coalition_data(db):
    """A few of everything, so that generated slugs sometimes find something (and the
    documented examples always do: the reporting cycle "2019-2023" and Kenya's report)."""
    organization = OrganizationFactory(name="Open Learning", acronym="OL", slug="ol")
    focal_point_of(organization)
    person = PersonFactory(name="Ada Lovelace", slug="ada")
    AffiliationFactory(person=person, organization=organization)
    MembershipFactory(person=person, working_group=working_group())
    cycle = monitoring.open_cycle(slug="2019-2023")
    monitoring.accepted_report(cycle, "KE", public=True)
    monitoring.submitted_report(cycle, "MG")
    publish_synthesis(synthesis_for(cycle))
    sample_survey(slug="s", allow_anonymous=True, consultation=ConsultationFactory(slug="c"))
    return organization


def session_headers(user):
    """A signed-in session with its CSRF token, as a browser would send them."""
    client = Client()
    client.force_login(user)
    secret = _get_new_csrf_string()
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    cookie = (
        f"{django_settings.SESSION_COOKIE_NAME}={session}; "
        f"{django_settings.CSRF_COOKIE_NAME}={secret}"
    )
    return {"Cookie": cookie, "X-CSRFToken": _mask_cipher_secret(secret)}


@pytest.fixture
def api_schema(coalition_data):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ
def test_api_as_anonymous_never_fails_and_keeps_its_description(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def member_headers(coalition_data):
    return session_headers(UserFactory())


@pytest.fixture
def secretariat_headers(coalition_data):
    return session_headers(SecretariatFactory())


@schema.parametrize()
@FUZZ
def test_api_as_a_member_never_fails_and_keeps_its_description(case, member_headers):
    case.call_and_validate(headers=member_headers, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_as_the_secretariat_never_fails_and_keeps_its_description(case, secretariat_headers):
    case.call_and_validate(headers=secretariat_headers, checks=CHECKS)


LIST_FILTERS = {
    "/api/organizations": {"country", "working_group"},
    "/api/people": {"country", "working_group"},
    "/api/activities": {"language", "country", "working_group", "organization"},
    "/api/events": {"language", "country", "working_group", "organization"},
}


def _parameter_schema(parameter):
    """The non-null branch of an optional parameter's schema."""
    schema = parameter["schema"]
    branches = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    assert len(branches) == 1, parameter
    return branches[0]


def test_the_description_says_what_the_list_filters_accept(client, db):
    """A client reading the description knows the shape of every code and slug a list
    filter takes, and the rule on the period, before the server refuses a request."""
    document = client.get("/api/openapi.json").json()
    for path, names in LIST_FILTERS.items():
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        for name in names:
            schema = _parameter_schema(parameters[name])
            assert "pattern" in schema or "enum" in schema, (path, name, schema)
            assert "400" in parameters[name]["description"], (path, name)
        if "date_to" in parameters:
            assert "date_from" in parameters["date_to"]["description"], path
            for bad in (
                {"language": "xx-yy"},
                {"date_from": "2024-02-01", "date_to": "2024-01-01"},
            ):
                assert client.get(path, bad).status_code == 400, (path, bad)
    submission = document["components"]["schemas"]["ActivityIn"]["properties"]["on_behalf_of"]
    assert submission["pattern"] and "400" in submission["description"]
