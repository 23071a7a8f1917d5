"""The charts' drawing: classes told apart, legends that do not run into each other."""

import itertools
import math

from lxml import etree

from coalition.core.charts import MAP_COLOURS, MAP_LAND, draw_stacked


def _lab(colour):
    """CIELAB of an sRGB colour written #rrggbb (D65)."""

    def linear(c):
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def test_map_classes_are_far_apart_from_their_neighbours_and_the_land():
    labs = [_lab(colour) for colour in MAP_COLOURS]
    gaps = [math.dist(a, b) for a, b in itertools.pairwise(labs)]
    assert min(gaps) >= 15, gaps
    assert math.dist(_lab(MAP_LAND), labs[0]) >= 15
    lightness = [lab[0] for lab in labs]
    assert lightness == sorted(lightness, reverse=True), "classes go from light to dark"


def test_stacked_legend_gives_long_titles_room_in_two_columns():
    titles = ["النساء", "الرجال", "غير ثنائي الجنس", "غير مصرّح به"]
    svg = draw_stacked(
        {
            "title": "التوازن بين الجنسين",
            "axis": "الأشخاص",
            "width": 720,
            "height": 400,
            "labels": ["موارد تعليمية مفتوحة جيدة وشاملة ومنصفة", "نماذج الاستدامة"],
            "series": [{"title": title, "values": [3, 4]} for title in titles],
        }
    )
    root = etree.fromstring(svg.encode())
    boxes = root.findall(".//{*}g[@class='legends']/{*}g/{*}rect")
    assert len(boxes) == len(titles)
    assert len({box.get("x") for box in boxes}) == 2
    for title in titles:
        assert title in svg
