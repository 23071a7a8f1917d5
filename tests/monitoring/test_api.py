"""National reporting in the JSON API: cycles, a published synthesis's figures (withheld
small groups, published reports only), and a report as the role matrix allows."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from coalition.monitoring.models import ReportingCycle
from coalition.monitoring.services import reports as report_services
from coalition.monitoring.services import synthesis as synthesis_services
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory, UserFactory
from tests.support.clients import api_items, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cycle = factories.open_cycle()
    focal = factories.focal_point("MG")
    co_editor = factories.co_editor("MG", by=focal)
    draft = report_services.start_report(cycle, "MG", user=focal)
    # Africa: three accepted (KE published); Arab States: one (withheld).
    factories.accepted_report(cycle, "KE", answers={"aa2-policy": "yes"}, public=True)
    factories.accepted_report(cycle, "SN", answers={"aa2-policy": "no"})
    factories.accepted_report(cycle, "NG", answers={"aa2-policy": "yes"})
    factories.accepted_report(cycle, "TN", answers={"aa2-policy": "partly"})
    synthesis = synthesis_services.synthesis_for(cycle)
    return {
        "cycle": cycle,
        "draft": draft,
        "synthesis": synthesis,
        "users": {
            "anonymous": None,
            "member": UserFactory(),
            "other_focal_point": factories.focal_point("KE"),
            "co_editor": co_editor,
            "focal_point": focal,
            "secretariat": SecretariatFactory(),
        },
    }


def test_the_cycles_list_hides_cycles_in_preparation_from_the_public(client, world):
    preparing = factories.open_cycle(status=ReportingCycle.Status.PREPARING)
    slugs = [item["slug"] for item in api_items(client.get("/api/reporting/cycles"))]
    assert world["cycle"].slug in slugs and preparing.slug not in slugs
    staff = signed_in(Client(), world["users"]["secretariat"])
    assert preparing.slug in [i["slug"] for i in api_items(staff.get("/api/reporting/cycles"))]


def test_a_cycle_links_its_synthesis_once_published(client, world):
    def listed():
        items = api_items(client.get("/api/reporting/cycles"))
        return next(item for item in items if item["slug"] == world["cycle"].slug)

    assert listed()["synthesis"] is None and listed()["accepted_reports"] == 4
    synthesis_services.publish_synthesis(world["synthesis"])
    link = listed()["synthesis"]["url"]
    assert link.endswith(f"/api/reporting/cycles/{world['cycle'].slug}/synthesis")
    assert client.get(link).status_code == 200


def test_an_unpublished_synthesis_is_404_to_the_public_and_read_by_the_secretariat(world):
    url = f"/api/reporting/cycles/{world['cycle'].slug}/synthesis"
    response = Client().get(url)
    assert response.status_code == 404 and response.json()["detail"]
    staff = signed_in(Client(), world["users"]["secretariat"])
    assert staff.get(url).status_code == 200


def test_synthesis_figures_withhold_small_groups_and_list_published_reports_only(client, world):
    synthesis_services.publish_synthesis(world["synthesis"])
    data = client.get(f"/api/reporting/cycles/{world['cycle'].slug}/synthesis?lang=fr").json()
    assert [c["code"] for c in data["reporting_countries"]] == ["KE", "NG", "SN", "TN"]
    assert data["min_countries"] == 3
    policy = next(q for q in data["questions"] if q["key"] == "aa2-policy")
    overall = {s["answer"]["code"]: s["count"] for s in policy["overall"]["shares"]}
    assert overall == {"yes": 2, "partly": 1, "no": 1, "not-applicable": 0, "none": 0}
    assert policy["overall"]["shares"][0]["answer"]["name"] == "Oui"
    regions = {row["scope"]: row for row in policy["regions"]}
    assert regions["africa"]["countries"] == 3 and not regions["africa"]["withheld"]
    assert {s["answer"]["code"]: s["percent"] for s in regions["africa"]["shares"]}["yes"] == 66.7
    assert regions["arab-states"]["withheld"] and regions["arab-states"]["shares"] is None
    # Only Kenya chose to publish its report.
    assert [r["country"]["code"] for r in data["published_reports"]] == ["KE"]
    assert client.get(data["published_reports"][0]["url"]).status_code == 200


REPORT_MATRIX = [
    ("anonymous", 401),
    ("member", 403),
    ("other_focal_point", 403),
    ("co_editor", 200),
    ("focal_point", 200),
    ("secretariat", 200),
]


@pytest.mark.parametrize(("who", "expected"), REPORT_MATRIX)
def test_a_draft_report_is_read_by_its_country_and_the_secretariat(world, who, expected):
    client = signed_in(Client(), world["users"][who])
    response = client.get(f"/api/reporting/cycles/{world['cycle'].slug}/reports/MG")
    assert response.status_code == expected, response.content


def test_the_focal_point_reads_their_answers_with_their_language(world):
    focal = world["users"]["focal_point"]
    cycle, report = world["cycle"], world["draft"]
    report_services.save_answer(
        report, factories.question(cycle, "aa2-policy"), user=focal, choice="partly"
    )
    report_services.save_answer(
        report,
        factories.question(cycle, "aa2-policy-details"),
        user=focal,
        text="Une politique nationale.",
        language="fr",
    )
    data = signed_in(Client(), focal).get(f"/api/reporting/cycles/{cycle.slug}/reports/mg").json()
    assert data["status"]["code"] == "draft" and data["country"]["code"] == "MG"
    questions = {q["key"]: q for s in data["sections"] for q in s["questions"]}
    assert questions["aa2-policy"]["answer"]["choice"]["code"] == "partly"
    assert questions["aa2-policy-details"]["answer"]["language"] == "fr"
    assert questions["aa3-access"]["answer"] is None


def test_an_accepted_report_is_public_only_if_its_country_published_it(client, world):
    slug = world["cycle"].slug
    assert client.get(f"/api/reporting/cycles/{slug}/reports/KE").status_code == 200
    assert client.get(f"/api/reporting/cycles/{slug}/reports/SN").status_code == 401
    assert client.get(f"/api/reporting/cycles/{slug}/reports/FR").status_code == 404
    assert client.get(f"/api/reporting/cycles/{slug}/reports/XX").status_code == 404


def test_my_countries_lists_the_users_roles_and_reports(world):
    focal = signed_in(Client(), world["users"]["focal_point"])
    items = api_items(focal.get("/api/reporting/my-countries"))
    assert [(i["country"]["code"], i["role"]["code"]) for i in items] == [("MG", "focal-point")]
    assert [r["status"]["code"] for r in items[0]["reports"]] == ["draft"]
    assert Client().get("/api/reporting/my-countries").status_code == 401


def test_the_openapi_document_describes_national_reporting(client):
    document = client.get("/api/openapi.json").json()
    validate(document)
    for path in (
        "/api/reporting/cycles",
        "/api/reporting/cycles/{slug}/synthesis",
        "/api/reporting/cycles/{slug}/reports/{country}",
        "/api/reporting/my-countries",
    ):
        assert path in document["paths"]
