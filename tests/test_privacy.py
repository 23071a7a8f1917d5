"""Private data (a person's e-mail and gender) never appears on a public page, feed or API answer.

The test seeds a person with a recognizable e-mail and gender, then crawls everything an
anonymous visitor can reach from the home pages, plus the API, and searches every answer.
"""

import json
import re
from urllib.parse import urljoin, urlparse

import pytest

from coalition.members.models import WorkingGroupMembership
from tests.factories.members import (
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    working_group,
)

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "nivo.private@example.org"
CONTACT_EMAIL = "hidden.contact@example.org"
HREF = re.compile(r'(?:href|src|data)="([^"#]+)"')
SKIP_PREFIXES = ("/static/", "/media/", "/api/docs")
SKIP_PARTS = ("/accounts/", "/admin/", "/i18n/")


@pytest.fixture
def private_people():
    organization = OrganizationFactory(name_en="Ministry of Education, Madagascar", country="MG")
    public = PersonFactory(name="Nivo Ralamboranto", email=SECRET_EMAIL, gender="non-binary")
    hidden = PersonFactory(
        name="Hidden Contact", email=CONTACT_EMAIL, gender="woman", public_profile=False
    )
    AffiliationFactory(person=public, organization=organization, role_title="Chief of Service")
    AffiliationFactory(person=hidden, organization=organization)
    group = working_group("capacity-building")
    group.organizations.add(organization)
    MembershipFactory(working_group=group, person=public, role=WorkingGroupMembership.Role.CHAIR)
    MembershipFactory(
        working_group=group, person=hidden, role=WorkingGroupMembership.Role.RAPPORTEUR
    )
    return public, hidden


def crawl(client, start, limit=200):
    seen, queue, answers = set(), list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode("utf-8", errors="replace")
        answers[url] = (response["Content-Type"], body)
        if "html" not in response["Content-Type"]:
            continue
        for link in HREF.findall(body):
            target = urlparse(urljoin(url, link.replace("&amp;", "&")))
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc and target.netloc != "testserver":
                continue
            if path.startswith(SKIP_PREFIXES) or any(part in path for part in SKIP_PARTS):
                continue
            queue.append(path)
    return answers


def api_answers(client):
    answers = {}
    for url in ["/api/organizations", "/api/people", "/api/working-groups", "/api/openapi.json"]:
        response = client.get(url)
        answers[url] = (response["Content-Type"], response.content.decode())
        if url != "/api/openapi.json" and response.status_code == 200:
            payload = json.loads(answers[url][1])
            for item in payload.get("items", payload if isinstance(payload, list) else []):
                slug = item.get("slug")
                if slug:
                    detail = url + "/" + slug
                    answers[detail] = ("application/json", client.get(detail).content.decode())
    return answers


def test_private_data_is_on_no_public_page_or_api_answer(client, private_people):
    public, hidden = private_people
    answers = crawl(client, ["/en/", "/ar/", "/fr/"])
    answers.update(api_answers(client))
    assert any(public.name in body for _type, body in answers.values()), (
        "the crawl reached the person"
    )
    assert len(answers) > 20
    for url, (_content_type, body) in answers.items():
        assert SECRET_EMAIL not in body, url
        assert CONTACT_EMAIL not in body, url
        assert hidden.name not in body, url
        if "dashboard" not in url and "openapi" not in url:
            # Gender words appear only as aggregate labels on the dashboard.
            assert "non-binary" not in body.lower(), url
            assert '"gender"' not in body, url
