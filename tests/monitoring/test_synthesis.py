"""Synthesis figures against shares computed by hand; withheld small groups; exports; PDF."""

import csv
import io

import pytest

from coalition.monitoring.selectors.synthesis import synthesis_figures
from coalition.monitoring.services import synthesis as services
from tests.factories import monitoring as factories

pytestmark = pytest.mark.django_db

# Africa: four countries; Arab States: two (withheld); one draft that must not count.
ANSWERS = {
    "MG": "yes",
    "KE": "yes",
    "SN": "partly",
    "NG": "no",
    "TN": "yes",
    "JO": "no",
}


@pytest.fixture
def cycle():
    cycle = factories.open_cycle()
    for country, choice in ANSWERS.items():
        factories.accepted_report(
            cycle, country, answers={"aa2-policy": choice}, public=country == "MG"
        )
    factories.submitted_report(cycle, "EG")  # submitted, not accepted: not counted
    return cycle


def _policy(figures):
    return next(q for q in figures.questions if q.question.key == "aa2-policy")


def _shares(breakdown):
    return {share.choice: (share.count, share.percent) for share in breakdown.shares}


def test_shares_match_a_hand_count(cycle):
    figures = synthesis_figures(cycle)
    assert figures.total == 6
    assert {row.region: row.count for row in figures.by_region}["africa"] == 4
    overall = _shares(_policy(figures).overall)
    # yes 3/6, partly 1/6, no 2/6
    assert overall["yes"] == (3, 50.0)
    assert overall["partly"] == (1, 16.7)
    assert overall["no"] == (2, 33.3)
    assert overall["not-applicable"] == (0, 0.0)
    assert overall["none"] == (0, 0.0)
    africa = next(row for row in _policy(figures).regions if row.key == "africa")
    assert _shares(africa)["yes"] == (2, 50.0) and _shares(africa)["no"] == (1, 25.0)


def test_regions_of_fewer_than_three_countries_are_withheld(cycle):
    figures = synthesis_figures(cycle)
    arab = next(row for row in _policy(figures).regions if row.key == "arab-states")
    assert arab.total == 2 and arab.withheld
    from coalition.monitoring.charts import question_chart

    chart = question_chart(cycle.slug, _policy(figures))
    index = [row.key for row in _policy(figures).rows].index("arab-states")
    assert all(series["values"][index] is None for series in chart.spec["series"])
    assert "(withheld)" in chart.spec["labels"][index]


def test_figures_take_three_queries_whatever_the_size(cycle, django_assert_num_queries):
    with django_assert_num_queries(3):
        synthesis_figures(cycle)


def test_csv_has_a_bom_and_one_row_per_country_and_question(cycle, client, settings):
    synthesis = services.synthesis_for(cycle)
    services.publish_synthesis(synthesis)
    response = client.get(f"/en/reporting/{cycle.slug}/synthesis/reports.csv")
    assert response.status_code == 200
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    questions = cycle.questionnaire.questions.exclude(kind="evidence").count()
    # The public sees the published reports only (here Madagascar).
    assert len(rows) == 1 + questions
    assert {row[1] for row in rows[1:]} == {"MG"}
    policy = next(row for row in rows if row[5] == "aa2-policy")
    assert policy[7] == "yes"


def test_pdf_reads_back_in_english_and_arabic(cycle, django_capture_on_commit_callbacks):
    pypdf = pytest.importorskip("pypdf")
    synthesis = services.synthesis_for(cycle)
    services.set_introduction(
        synthesis,
        {
            "en": "<p>Synthesis of the national reports.</p>",
            "ar": "<p>تقرير تجميعي للتقارير الوطنية</p>",
        },
    )
    for language, expected in (("en", "Synthesis of the national reports"), ("ar", "تقرير تجميعي")):
        # Built by the background task (run at once in the tests) once the request commits.
        with django_capture_on_commit_callbacks(execute=True):
            document = services.request_document(synthesis, language)
        document.refresh_from_db()
        assert document.status == "ready" and document.progress == 100
        reader = pypdf.PdfReader(document.file.open("rb"))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert expected in text
        assert "Madagascar" in text or "مدغشقر" in text
    # Kept while nothing changes; a new excerpt makes it stale.
    figures = synthesis_figures(cycle)
    assert services.current_document(synthesis, "en", figures) is not None
    answer = cycle.reports.get(country="MG").answers.get(question__key="aa2-policy-details")
    services.pick_excerpt(synthesis, answer, by=None)
    assert services.current_document(synthesis, "en", synthesis_figures(cycle)) is None
