import csv
import gzip
import io
import json

import pytest
from django.urls import reverse

from coalition.consultations.results import Filters, survey_results
from coalition.consultations.services import surveys as services
from tests.factories.consultations import answers, member_user, role_in, sample_survey
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    SecretariatFactory,
    working_group,
)

pytestmark = pytest.mark.django_db


def _respond(survey, organization=None, **by_code):
    user = member_user()
    if organization is not None:
        AffiliationFactory(person=user.person, organization=organization)
    return services.save_response(survey, values=answers(survey, **by_code), user=user, submit=True)


@pytest.fixture
def survey():
    survey = sample_survey()
    tunis = OrganizationFactory(
        name="ALECSO", name_ar="الألكسو", country="TN", stakeholder_type="igo"
    )
    beijing = OrganizationFactory(name="开放大学", country="CN", stakeholder_type="university")
    _respond(survey, tunis, Q1="yes", Q2="سياسة وطنية للموارد", Q3=["policy", "quality"], Q4=5)
    _respond(survey, beijing, Q1="yes", Q2="国家开放教育资源政策", Q3=["policy"], Q4=4, Q7=12)
    _respond(survey, None, Q1="no", Q3=["capacity"], Q4=4, Q7=8)
    # A draft is not a result.
    services.save_response(survey, values=answers(survey, Q1="no"), user=member_user())
    return survey


def _result(results, code):
    return next(r for r in results if r.question.code == code)


def test_results_count_and_percent_per_choice(survey):
    total, results = survey_results(survey)
    assert total == 3
    q1 = _result(results, "Q1")
    assert [(r.label, r.count, r.percent) for r in q1.rows] == [("Yes", 2, 66.7), ("No", 1, 33.3)]
    q3 = _result(results, "Q3")
    assert {r.label: r.count for r in q3.rows} == {
        "Capacity": 1,
        "Policy": 2,
        "Quality": 1,
        "Other": 0,
    }
    q4 = _result(results, "Q4")
    assert [r.count for r in q4.rows] == [0, 0, 0, 2, 1]
    assert q4.rows[0].label == "1 – Not useful"
    q7 = _result(results, "Q7")
    assert q7.summary["average"] == 10 and q7.summary["low"] == 8
    q2 = _result(results, "Q2")
    assert {a.text for a in q2.texts} == {"سياسة وطنية للموارد", "国家开放教育资源政策"}


def test_results_filter_by_region_and_stakeholder_type(survey):
    total, results = survey_results(survey, Filters(region="arab-states", stakeholder_type="igo"))
    assert total == 1
    assert [r.count for r in _result(results, "Q1").rows] == [1, 0]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("member", 403),
        ("chair", 200),
        ("rapporteur", 200),
        ("secretariat", 200),
    ],
)
def test_results_page_role_matrix(client, survey, role, status):
    if role == "secretariat":
        client.force_login(SecretariatFactory())
    elif role == "member":
        client.force_login(member_user())
    elif role in ("chair", "rapporteur"):
        client.force_login(role_in(working_group("supportive-policy"), role))
    response = client.get(reverse("consultations:results", kwargs={"slug": survey.slug}))
    assert response.status_code == status


def test_results_page_shows_charts_tables_and_organizations(client, survey):
    client.force_login(SecretariatFactory())
    page = client.get(
        reverse("consultations:results", kwargs={"slug": survey.slug})
    ).content.decode()
    assert "3 submitted responses" in page
    assert "66.7 %" in page
    assert f"/surveys/{survey.slug}/results/charts/Q1.svg?v=" in page
    assert "ALECSO" in page and "国家开放教育资源政策" in page


def test_results_page_query_count_does_not_grow_with_responses(
    client, survey, django_assert_max_num_queries
):
    client.force_login(SecretariatFactory())
    url = reverse("consultations:results", kwargs={"slug": survey.slug})
    with django_assert_max_num_queries(16) as few:
        assert client.get(url, {"region": "arab-states"}).status_code == 200
    for _ in range(5):
        _respond(survey, OrganizationFactory(), Q1="no", Q2="x", Q3=["policy"], Q4=3, Q7=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"region": "arab-states"})
    assert response.status_code == 200


def test_results_chart_is_an_svg_without_script(client, survey):
    client.force_login(SecretariatFactory())
    url = reverse("consultations:results-chart", kwargs={"slug": survey.slug, "code": "Q1"})
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = gzip.decompress(response.content).decode()
    assert "<svg" in svg and "<script" not in svg
    assert client.get(url).content.decode() == svg  # no gzip asked: sent plain


def test_csv_export_round_trips_arabic_and_chinese_with_a_bom(client, survey):
    client.force_login(SecretariatFactory())
    response = client.get(reverse("consultations:export-csv", kwargs={"slug": survey.slug}))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(data) == 3
    assert header[7].startswith("Q1. ")
    q2 = header.index(next(h for h in header if h.startswith("Q2. ")))
    assert {row[q2] for row in data} == {"سياسة وطنية للموارد", "国家开放教育资源政策", ""}
    q3 = header.index(next(h for h in header if h.startswith("Q3. ")))
    assert "Policy; Quality" in {row[q3] for row in data}


def test_json_export_has_codes_and_lists(client, survey):
    client.force_login(SecretariatFactory())
    response = client.get(
        reverse("consultations:export-json", kwargs={"slug": survey.slug}),
        {"region": "arab-states"},
    )
    data = json.loads(b"".join(response.streaming_content))
    assert [q["code"] for q in data["questions"]][:2] == ["Q1", "Q2"]
    (record,) = data["responses"]
    assert record["answers"]["Q1"] == "yes"
    assert record["answers"]["Q3"] == ["policy", "quality"]
    assert record["region"] == "arab-states"


def test_exports_refused_to_members(client, survey):
    client.force_login(member_user())
    assert (
        client.get(reverse("consultations:export-csv", kwargs={"slug": survey.slug})).status_code
        == 403
    )


def test_kept_results_are_read_again_only_after_a_new_answer_or_a_question_change(
    survey, django_assert_num_queries
):
    from coalition.consultations.results import kept_survey_results

    total, _results = kept_survey_results(survey, Filters(region="arab-states"))
    assert total == 1
    with django_assert_num_queries(1):  # the versions, nothing else
        again, results = kept_survey_results(survey, Filters(region="arab-states"))
    assert again == 1 and _result(results, "Q1").rows[0].count == 1

    _respond(survey, OrganizationFactory(country="EG"), Q1="yes")
    total, results = kept_survey_results(survey, Filters(region="arab-states"))
    assert total == 2 and _result(results, "Q1").rows[0].count == 2

    q1 = survey.questions.get(code="Q1")
    q1.text_en = "Has your organization an OER policy?"
    q1.save()
    _total, results = kept_survey_results(survey, Filters(region="arab-states"))
    assert _result(results, "Q1").question.text_en == "Has your organization an OER policy?"


def test_export_rows_fill_each_question_in_its_column(survey):
    from coalition.consultations.results import export_rows

    header, *rows = list(export_rows(survey))
    assert len(rows) == 3
    q3 = header.index("Q3. Which areas matter most?")
    q7 = header.index("Q7. Staff working on OER")
    assert [row[q3] for row in rows] == ["Policy; Quality", "Policy", "Capacity"]
    assert [row[q7] for row in rows] == ["", "12", "8"]
    assert rows[0][3] == "ALECSO" and rows[2][3] == ""
