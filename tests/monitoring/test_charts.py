"""The synthesis's charts as the PDF prints them: bars and row labels, no figures on the
bars (the table under each chart gives them), no stylesheet for WeasyPrint to cascade."""

from xml.etree import ElementTree

import pytest
from django.utils import translation

from coalition.monitoring.charts import ANSWER_COLOURS, synthesis_charts
from coalition.monitoring.selectors.synthesis import synthesis_figures
from tests.factories import monitoring as factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def charts():
    cycle = factories.open_cycle()
    # Africa: three countries (shown); Arab States: one (withheld).
    for country, choice in {"MG": "yes", "KE": "yes", "SN": "no", "TN": "partly"}.items():
        factories.accepted_report(cycle, country, answers={"aa2-policy": choice})
    with translation.override("en"):
        figures = synthesis_figures(cycle)
        return figures, synthesis_charts(cycle.slug, figures, with_map=False)


def _policy_chart(figures, charts):
    question = next(q for q in figures.questions if q.question.key == "aa2-policy")
    return question, charts[f"q{question.question.number}"]


def test_a_printed_question_chart_has_one_labelled_bar_per_scope(charts):
    question, chart = _policy_chart(*charts)
    root = ElementTree.fromstring(chart.print_svg())  # noqa: S314 (our own drawing)
    assert root.find(f"{SVG}style") is None
    texts = [text.text for text in root.iter(f"{SVG}text")]
    labels = [row.label for row in question.rows]
    # Row labels in the table's order, then nothing but the scale: no figure on a bar.
    assert [t for t in texts if t not in ("0", "50", "100 %")] == [
        f"{label} (withheld)" if row.withheld else label
        for label, row in zip(labels, question.rows, strict=True)
    ]
    filled = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") != "none"]
    # Every part of a shown bar with countries in it, coloured by its answer.
    shown = [row for row in question.rows if not row.withheld]
    assert len(filled) == sum(1 for row in shown for share in row.shares if share.count)
    assert {rect.get("fill") for rect in filled} <= set(ANSWER_COLOURS.values())


def test_a_withheld_scope_is_an_empty_outlined_bar(charts):
    question, chart = _policy_chart(*charts)
    root = ElementTree.fromstring(chart.print_svg())  # noqa: S314 (our own drawing)
    empty = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == "none"]
    assert len(empty) == sum(1 for row in question.rows if row.withheld) > 0


def test_the_printed_legend_names_each_answer_with_its_colour(charts):
    question, chart = _policy_chart(*charts)
    assert chart.legend == [
        (share.label, ANSWER_COLOURS[share.choice]) for share in question.overall.shares
    ]
