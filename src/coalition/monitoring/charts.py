"""The synthesis's charts, in the reader's language (drawn and cached by core.charts).

For each closed question, one stacked bar per scope (all reporting countries, then each
UNESCO region): the share of countries per answer. A region of fewer than three reporting
countries is an empty bar labelled "withheld". Plus the reporting countries by region and
a world map of them.
"""

import base64
from xml.etree import ElementTree

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coalition.core.charts import FONT, INK, MUTED, Chart, bar_height

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

    def print_svg(self):
        """The chart as the PDF prints it: see `print_svg`."""
        return print_svg(self.spec)

    def print_data_url(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.print_svg().encode()).decode()

    @property
    def legend(self):
        """(title, colour) of each part of a stacked bar, for the PDF's legend in HTML."""
        titles = [series["title"] for series in self.spec.get("series", ())]
        return list(zip(titles, self.spec.get("colours", ()), strict=True))


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


def synthesis_chart_named(cycle_slug, figures, name):
    """One chart by name (what the chart's own address asks for), or None."""
    if name == "regions":
        return regions_chart(cycle_slug, figures)
    if name == "map":
        return map_chart(cycle_slug, figures)
    for question in figures.questions:
        if name == f"q{question.question.number}":
            return question_chart(cycle_slug, question)
    return None


# The PDF's charts. pygal's SVG (a stylesheet of a hundred rules, a text on every part of
# every bar, a legend and guides) took most of the PDF's build: WeasyPrint cascades the
# stylesheet over each node and lays out each text. In print the table under each chart
# gives every figure and the legend is HTML, so the printed chart draws only its bars,
# its row labels and a scale: about a tenth of the nodes, no stylesheet.

PRINT_LABELS = 290  # width of the row labels' column
PRINT_ROW = 22
PRINT_BAR = 15
PRINT_GUIDE = "#c9d2db"
PRINT_WITHHELD = "#8a96a3"


def _svg_element(parent, tag, **attributes):
    names = {key: key.rstrip("_").replace("_", "-") for key in attributes}
    return ElementTree.SubElement(parent, tag, {names[k]: str(v) for k, v in attributes.items()})


def print_svg(spec):
    """A light SVG of a "stacked" or "bars" chart spec: horizontal bars, one per row, in the
    spec's order, labelled on the left; the figures themselves are in the table."""
    labels = spec["labels"]
    width = spec["width"]
    bars = width - PRINT_LABELS - 24
    height = PRINT_ROW * len(labels) + 26
    root = ElementTree.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "font-family": FONT,
            "font-size": "12",
            "fill": INK,
        },
    )
    if spec["kind"] == "stacked":
        rows = [list(parts) for parts in zip(*(s["values"] for s in spec["series"]), strict=True)]
        scale, colours = 100, spec["colours"]
        ticks = [(0, "0"), (50, "50"), (100, "100 %")]
    else:
        rows = [[value] for value in spec["values"]]
        scale, colours = max([*spec["values"], 1]), ["#0b5cad"]
        ticks = [(0, "0"), (scale, number_format(scale))]
    plot_bottom = PRINT_ROW * len(labels)
    for value, text in ticks:
        x = PRINT_LABELS + bars * value / scale
        _svg_element(root, "line", x1=x, x2=x, y1=0, y2=plot_bottom, stroke=PRINT_GUIDE)
        anchor = "end" if value == scale else ("start" if value == 0 else "middle")
        label = _svg_element(root, "text", x=x, y=plot_bottom + 16, fill=MUTED, text_anchor=anchor)
        label.text = text
    for index, (label_text, parts) in enumerate(zip(labels, rows, strict=True)):
        top = index * PRINT_ROW + (PRINT_ROW - PRINT_BAR) / 2
        label = _svg_element(root, "text", x=PRINT_LABELS - 8, y=top + 11.5, text_anchor="end")
        label.text = label_text
        if all(part is None for part in parts):
            _svg_element(
                root,
                "rect",
                x=PRINT_LABELS,
                y=top,
                width=bars,
                height=PRINT_BAR,
                fill="none",
                stroke=PRINT_WITHHELD,
                stroke_dasharray="4 3",
            )
            continue
        x = PRINT_LABELS
        for colour, part in zip(colours, parts, strict=False):
            if not part:
                continue
            length = bars * part / scale
            _svg_element(
                root,
                "rect",
                x=round(x, 2),
                y=top,
                width=round(length, 2),
                height=PRINT_BAR,
                fill=colour,
                stroke="#ffffff",
                stroke_width=1,
            )
            x += length
    return ElementTree.tostring(root, encoding="unicode")
