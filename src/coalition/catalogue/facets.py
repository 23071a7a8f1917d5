"""Facets as pages show them: each value with its words, count and selected state, read
from `search.Result.facets` in at most two queries (source names, action area titles)."""

from dataclasses import dataclass

from coalition.recommendation.content import content_in
from coalition.recommendation.languages import language_name
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region

from . import search
from .models import LicenceClass, Source
from .vocabulary import EDUCATIONAL_LEVEL_LABELS, FACET_LABELS, RESOURCE_TYPE_LABELS

SHOWN = {"subject": 15, "year": 12, "source": 15}
SHOWN_DEFAULT = 12


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list

    @property
    def has_selection(self):
        return any(value.selected for value in self.values)


def filters_from(query_dict):
    """{facet: [values]} of a page's or an export's GET parameters."""
    return {
        name: query_dict.getlist(name)
        for name in search.FACETS
        if any(value.strip() for value in query_dict.getlist(name))
    }


def _labels(facets):
    source_ids = [value for value, _count in facets.get("source", []) if value.isdigit()]
    sources = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "name"))
    areas = {}
    if facets.get("area"):
        areas = {area.pk: content_in(area, "short_title") for area in ActionArea.objects.all()}

    def label(name, value):
        if name == "licence":
            return str(LicenceClass(value).label) if value in LicenceClass.values else value
        if name == "language":
            return language_name(value) or value
        if name == "type":
            return str(RESOURCE_TYPE_LABELS.get(value, value))
        if name == "level":
            return str(EDUCATIONAL_LEVEL_LABELS.get(value, value))
        if name == "source":
            return sources.get(int(value), value) if value.isdigit() else value
        if name == "area":
            return str(areas.get(int(value), value)) if value.isdigit() else value
        if name == "region":
            return str(Region(value).label) if value in Region.values else value
        return value

    return label


def facets_for_page(result, filters):
    label = _labels(result.facets)
    shown = []
    for name in search.FACETS:
        counts = result.facets.get(name, [])
        selected = set(filters.get(name, []))
        if name == "year":
            counts = sorted(counts, key=lambda pair: pair[0], reverse=True)
        limit = SHOWN.get(name, SHOWN_DEFAULT)
        kept = counts[:limit]
        # A selected value stays visible (and can be unticked) even when it is not among
        # the commonest.
        kept_values = {value for value, _count in kept}
        kept += [(value, count) for value, count in counts[limit:] if value in selected]
        kept += [(value, 0) for value in selected if value not in kept_values and
                 value not in {v for v, _c in counts}]  # fmt: skip
        values = [FacetValue(value, label(name, value), count, value in selected)
                  for value, count in kept]  # fmt: skip
        if values:
            shown.append(Facet(name, str(FACET_LABELS[name]), values))
    return shown
