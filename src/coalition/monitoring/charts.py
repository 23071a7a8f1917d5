"""The synthesis's charts, in the reader's language (drawn and cached by core.charts).

For each closed question, one stacked bar per scope (all reporting countries, then each
UNESCO region): the share of countries per answer. A region of fewer than three reporting
countries is an empty bar labelled "withheld". Plus the reporting countries by region and
a world map of them.
"""

import base64

from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.core.charts import Chart, bar_height

from .models import Choice
from .selectors.synthesis import NO_ANSWER

# One colour per answer, the same in every chart and legend (each 4.5:1 against white).
ANSWER_COLOURS = {
    Choice.YES.value: "#1d6b3a",
    Choice.PARTLY.value: "#0b5cad",
    Choice.NO.value: "#b35900",
    Choice.NOT_APPLICABLE.value: "#7b3f98",
    NO_ANSWER: "#5f6b77",
}


class SynthesisChart(Chart):
    @property
    def url(self):
        path = reverse(
            "monitoring:synthesis-chart", kwargs={"slug": self.spec["cycle"], "chart": self.name}
        )
        return self.versioned(path)

    def data_url(self):
        """The SVG as a data: address, the only kind core.pdf reads."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()


def question_chart(cycle_slug, figures):
    rows = [figures.overall, *figures.regions]
    withheld = _("%(label)s (withheld)")
    labels = [withheld % {"label": row.label} if row.withheld else row.label for row in rows]
    options = [share.choice for share in figures.overall.shares]
    series = [
        {
            "title": share.label,
            "values": [None if row.withheld else row.shares[index].percent for row in rows],
        }
        for index, share in enumerate(figures.overall.shares)
    ]
    return SynthesisChart(
        f"q{figures.question.number}",
        {
            "kind": "stacked",
            "cycle": cycle_slug,
            "width": 760,
            "height": bar_height(len(rows)) + 40,
            "title": _("Question %(number)s: share of reporting countries per answer")
            % {"number": figures.question.number},
            "axis": _("Share of reporting countries (%)"),
            "labels": labels,
            "colours": [ANSWER_COLOURS[option] for option in options],
            "series": series,
        },
    )


def regions_chart(cycle_slug, figures):
    return SynthesisChart(
        "regions",
        {
            "kind": "bars",
            "cycle": cycle_slug,
            "width": 760,
            "height": bar_height(len(figures.by_region)),
            "title": _("Reporting Member States by UNESCO region"),
            "axis": _("Reporting Member States"),
            "labels": [row.label for row in figures.by_region],
            "values": [row.count for row in figures.by_region],
        },
    )


def map_chart(cycle_slug, figures):
    return SynthesisChart(
        "map",
        {
            "kind": "map",
            "cycle": cycle_slug,
            "width": 1000,
            "height": 620,
            "title": _("Member States that reported"),
            "buckets": [
                {
                    "title": _("Reported"),
                    "values": {country.code.lower(): 1 for country in figures.countries},
                }
            ],
            "names": {country.code.lower(): country.name for country in figures.countries},
        },
    )


def synthesis_charts(cycle_slug, figures, *, with_map=True):
    """Every chart of the synthesis by name, in the page's order."""
    charts = [regions_chart(cycle_slug, figures)]
    if with_map:
        charts.append(map_chart(cycle_slug, figures))
    charts += [question_chart(cycle_slug, question) for question in figures.questions]
    return {chart.name: chart for chart in charts}
