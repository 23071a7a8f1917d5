"""Charts as SVG images, drawn by pygal with no script and nothing external.

A chart is a pure function of its *spec*: its translated texts and its numbers. The SVG
is cached under a digest of the spec, so new figures or new translations draw it again
and an unchanged chart is drawn once (the world map weighs about 1 MB, 400 kB gzipped).
The same digest versions the image's URL, so browsers may keep it for a day.

Every text reaches the SVG through ElementTree, which escapes it; the SVG itself stays
left-to-right in every language while its words follow the page's language.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

import pygal
from django.core.cache import cache
from django.utils.translation import gettext as _
from pygal.etree import etree
from pygal.style import Style
from pygal_maps_world.maps import World

# Bump when the drawing code changes, so cached SVGs of the old look are not served.
DRAWING_VERSION = 2
SVG_CACHE_SECONDS = 7 * 24 * 3600

FONT = 'system-ui, "Segoe UI", "Noto Sans", "Noto Sans Arabic", Tahoma, Arial, sans-serif'
INK = "#1b1f24"
MUTED = "#4a5560"
# Each at least 4.5:1 against white, so the white numbers printed on them are legible
# and the bars stand out from the background (WCAG 1.4.3 and 1.4.11).
BAR_COLOUR = "#0b5cad"
# For the parts of a stacked bar: each at least 4.5:1 against white, and told apart from
# its neighbours by hue as well as by lightness.
SERIES_COLOURS = ("#0b5cad", "#b35900", "#7b3f98", "#5f6b77", "#1d6b3a", "#a3195b")
# Sequential shades for the map, light to dark (ColorBrewer's YlGnBu), the legend naming
# each class in words. Neighbouring classes differ in hue as well as in lightness (at
# least 20 CIELAB units apart; blues alone left "5–9" and "10–24" 6 units apart).
# The lightest are below 3:1 against the land: every country has an outline, and the
# table under the map gives each country's figure, so colour is never the only carrier.
MAP_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
MAP_LAND = "#eef1f4"
MAP_BORDER = "#8a96a3"


def _style(colours, **extra):
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=MUTED,
        guide_stroke_color="#c9d2db",
        major_guide_stroke_color="#c9d2db",
        font_family=FONT,
        title_font_size=20,
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        value_font_size=14,
        tooltip_font_size=14,
        no_data_font_size=20,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="none",
        colors=tuple(colours),
        **extra,
    )


def _strip_script_and_banner(root):
    """Drop pygal's script (its config, even with `js=[]`) and its banner of links."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag is etree.Comment or str(child.tag).rpartition("}")[2] == "script":
                parent.remove(child)
    return root


def _extra_css(css):
    """A filter that adds CSS rules scoped, as pygal's own, to this chart's id.

    pygal's rules start with the chart's id; rules given through its `css` option do not
    and so lose to them, whatever their order.
    """

    def add(root):
        chart_id = root.get("id")
        style = root.find("./{*}defs/{*}style")
        style.text = (style.text or "") + css.replace("#chart", f"#{chart_id}")
        return root

    return add


def _full_opacity(root):
    """Map classes are told apart by colour, not by pygal's per-value transparency."""
    for node in root.iter():
        if "map-element" in (node.get("class") or "") and node.get("style"):
            node.set("style", "fill-opacity: 1")
    return root


def _common(**config):
    return {
        "js": [],
        "disable_xml_declaration": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        "no_data_text": _("No figures yet"),
        **config,
    }


def _finish(chart, *filters):
    for xml_filter in (_strip_script_and_banner, *filters):
        chart.add_xml_filter(xml_filter)
    return chart.render(is_unicode=True)


def bar_height(count):
    """The height of a bar chart of `count` bars, its title and axis included."""
    return 140 + 44 * max(count, 1)


def draw_bars(spec):
    """Horizontal bars with their value printed: one colour, told apart by their labels."""
    chart = pygal.HorizontalBar(
        **_common(
            title=spec["title"],
            style=_style([BAR_COLOUR], value_colors=("#ffffff",)),
            width=spec["width"],
            height=spec["height"],
            show_legend=False,
            print_values=True,
            print_zeroes=False,
            show_x_guides=True,
            show_y_guides=False,
            min_scale=1,
            x_title=spec["axis"],
        )
    )
    # pygal stacks the first label at the bottom: reverse so the page's order reads down.
    chart.x_labels = list(reversed(spec["labels"]))
    chart.add(spec["axis"], list(reversed(spec["values"])))
    return _finish(chart)


def draw_stacked(spec):
    """Horizontal stacked bars, one series per part; a row without figures (a withheld
    breakdown) is an empty bar, which its label should say."""
    colours = spec.get("colours") or SERIES_COLOURS[: len(spec["series"])]
    chart = pygal.HorizontalStackedBar(
        **_common(
            title=spec["title"],
            style=_style(colours, value_colors=("#ffffff",) * len(colours)),
            width=spec["width"],
            height=spec["height"],
            legend_at_bottom=True,
            # pygal divides the plot's width (the chart's less its row labels) between
            # the columns and never wraps a title: four columns of a few dozen pixels made
            # long titles ("غير ثنائي الجنس") run over their neighbours. Two always fit.
            legend_at_bottom_columns=min(2, len(colours)),
            print_values=True,
            print_zeroes=False,
            show_x_guides=True,
            show_y_guides=False,
            min_scale=1,
            x_title=spec["axis"],
        )
    )
    chart.x_labels = list(reversed(spec["labels"]))
    for series in spec["series"]:
        chart.add(series["title"], list(reversed(series["values"])))
    # A white seam between the parts of a bar, so that neighbours never blur together.
    return _finish(chart, _extra_css("#chart .series rect{stroke:#ffffff;stroke-width:2px}"))


def draw_map(spec):
    """A world map, countries (ISO codes, lower case) shaded by the class they fall in."""
    names = spec["names"]
    # `area_names` is class state in pygal_maps_world: a subclass per drawing keeps each
    # language's country names to itself, even with several threads drawing at once.
    world_class = type("LocalizedWorld", (World,), {"area_names": names})
    chart = world_class(
        **_common(
            title=spec["title"],
            style=_style(MAP_COLOURS),
            width=spec["width"],
            height=spec["height"],
            legend_at_bottom=True,
            legend_at_bottom_columns=len(spec["buckets"]),
        )
    )
    for bucket in spec["buckets"]:
        chart.add(bucket["title"], bucket["values"])
    land = f"#chart .map-element{{fill:{MAP_LAND};stroke:{MAP_BORDER} !important;stroke-width:.6}}"
    # Shaded countries keep their class colour: pygal's colour rules come first otherwise.
    shaded = "".join(
        f"#chart .map-element.color-{i}{{fill:{colour}}}" for i, colour in enumerate(MAP_COLOURS)
    )
    return _finish(chart, _full_opacity, _extra_css(land + shaded))


DRAW = {"bars": draw_bars, "stacked": draw_stacked, "map": draw_map}


@dataclass(frozen=True)
class Chart:
    name: str
    spec: dict

    @cached_property
    def digest(self):
        data = json.dumps([DRAWING_VERSION, self.name, self.spec], sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    @property
    def title(self):
        return self.spec["title"]

    @property
    def width(self):
        return self.spec["width"]

    @property
    def height(self):
        return self.spec["height"]

    @property
    def alt(self):
        """The image's text alternative: what it shows, and where its numbers are."""
        return _("%(title)s. The figures are in the table that follows.") % {"title": self.title}

    def versioned(self, path):
        """`path` (where the app serves this chart) versioned by the chart's digest, so that
        browsers may keep the image long: new figures give it a new address."""
        return f"{path}?v={self.digest}"

    def gzipped_svg(self):
        """The SVG, gzip-compressed: how it is cached and, to most browsers, sent."""
        key = f"chart:svg:{self.digest}"
        body = cache.get(key)
        if body is None:
            svg = DRAW[self.spec["kind"]](self.spec)
            body = gzip.compress(svg.encode("utf-8"), compresslevel=6, mtime=0)
            cache.set(key, body, SVG_CACHE_SECONDS)
        return body

    def svg(self):
        return gzip.decompress(self.gzipped_svg()).decode("utf-8")
