"""The dashboard's charts: what each shows, in the reader's language (drawn by core.charts)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.core.charts import SERIES_COLOURS, Chart, bar_height
from coalition.members.models import WorkingGroupMembership

from .dashboard import GENDER_CATEGORIES, gender_labels

# One colour per gender category, the same in every chart and legend.
GENDER_COLOURS = dict(zip(GENDER_CATEGORIES, SERIES_COLOURS, strict=False))
# Classes of the map by number of member organizations (each one a shade of core.charts').
MAP_BUCKETS = ((1, 1), (2, 4), (5, 9), (10, 24), (25, None))


class DashboardChart(Chart):
    @property
    def url(self):
        """The image's address, versioned by its digest so browsers may keep it long."""
        return self.versioned(reverse("site:dashboard-chart", kwargs={"chart": self.name}))


def _bars(name, title, axis, bars):
    return DashboardChart(
        name,
        {
            "kind": "bars",
            "width": 720,
            "height": bar_height(len(bars)),
            "title": title,
            "axis": axis,
            "labels": [bar.label for bar in bars],
            "values": [bar.count for bar in bars],
        },
    )


def _stacked(name, title, axis, labelled_rows):
    labels = gender_labels()
    withheld = _("%(label)s (withheld)")
    return DashboardChart(
        name,
        {
            "kind": "stacked",
            "width": 720,
            # The legend's two rows below the axis.
            "height": bar_height(len(labelled_rows)) + 64,
            "title": title,
            "axis": axis,
            "labels": [
                withheld % {"label": label} if row.withheld else label
                for label, row in labelled_rows
            ],
            "colours": [GENDER_COLOURS[category] for category in GENDER_CATEGORIES],
            "series": [
                {
                    "title": labels[category],
                    "values": [
                        None if row.withheld else row.counts.get(category, 0)
                        for _label, row in labelled_rows
                    ],
                }
                for category in GENDER_CATEGORIES
            ],
        },
    )


def _bucket_title(low, high):
    if high is None:
        return ngettext("%(low)s or more organizations", "%(low)s or more organizations", low) % {
            "low": low
        }
    if low == high:
        return ngettext("%(count)s organization", "%(count)s organizations", low) % {"count": low}
    return ngettext(
        "%(low)s to %(high)s organizations", "%(low)s to %(high)s organizations", high
    ) % {"low": low, "high": high}


def _map(figures):
    buckets = []
    for low, high in MAP_BUCKETS:
        values = {
            country.code.lower(): country.count
            for country in figures.by_country
            if country.count >= low and (high is None or country.count <= high)
        }
        buckets.append({"title": _bucket_title(low, high), "values": values})
    return DashboardChart(
        "map",
        {
            "kind": "map",
            "width": 1000,
            "height": 620,
            "title": _("Member organizations by country"),
            "buckets": buckets,
            "names": {country.code.lower(): country.name for country in figures.by_country},
        },
    )


def catalogue_charts(figures):
    """The catalogue's charts (`dashboard.CatalogueFigures`), by URL name."""
    oer = _("OER in the catalogue")
    charts = [
        _bars("catalogue-licences", _("OER in the catalogue by licence class"), oer,
              figures.by_licence),
        _bars("catalogue-languages", _("OER in the catalogue by language"), oer,
              figures.by_language),
        _bars("catalogue-regions",
              _("OER in the catalogue by UNESCO region of the organization holding them"), oer,
              figures.by_region),
    ]  # fmt: skip
    return {chart.name: chart for chart in charts}


def dashboard_charts(figures, catalogue=None):
    """Every chart of the dashboard, by URL name, in the order of the page."""
    people = _("People")
    charts = [
        _bars(
            "regions",
            _("Member organizations by UNESCO region"),
            _("Member organizations"),
            figures.by_region,
        ),
        _map(figures),
        _bars(
            "stakeholder-types",
            _("Member organizations by stakeholder type"),
            _("Member organizations"),
            figures.by_type,
        ),
        _stacked(
            "gender-roles",
            _("Gender balance of working-group chairs, rapporteurs and members"),
            people,
            [(row.label, row) for row in figures.gender_by_role],
        ),
        _stacked(
            "gender-groups",
            _("Gender balance of members, by working group"),
            people,
            [
                (group.short_name, group.row(WorkingGroupMembership.Role.MEMBER))
                for group in figures.gender_by_group
            ],
        ),
    ]
    shown = {chart.name: chart for chart in charts}
    if catalogue is not None:
        shown.update(catalogue_charts(catalogue))
    return shown
