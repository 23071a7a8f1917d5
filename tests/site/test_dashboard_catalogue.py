"""The dashboard's catalogue figures: OER by licence class, language and region of the
organization holding them, as aggregates, in a number of queries that does not grow."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.site.dashboard import compute_catalogue_figures
from tests.factories.catalogue import make_record, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Five OER: two from a French library (one shared with a Brazilian repository, so
    counted once), one from Brazil, one in Arabic from Jordan, and one deleted."""
    france = make_source("Paris Library", country="FR")
    brazil = make_source("Rio Repository", country="BR")
    jordan = make_source("Amman Repository", country="JO")
    make_record(france, "fr:1", title="Cours ouvert", languages=["fr"], licence_class="open",
                doi="10.1/shared")  # fmt: skip
    make_record(brazil, "br:1", title="Curso aberto", languages=["pt"], licence_class="open",
                doi="10.1/shared")  # fmt: skip
    make_record(france, "fr:2", title="Manuel", languages=["fr", "en"], licence_class="open-nc")
    make_record(brazil, "br:2", title="Livro", languages=["pt"], licence_class="not-open")
    make_record(jordan, "jo:1", title="مقرر مفتوح", languages=["ar"], licence_class="unknown")
    gone = make_record(jordan, "jo:2", title="محذوف", languages=["ar"], licence_class="open")
    from coalition.catalogue.services.records import Incoming, store_items

    store_items(jordan, [Incoming(gone.identifier, None, deleted=True)])


def counts(bars):
    return {bar.code: bar.count for bar in bars if bar.count}


def test_figures_count_each_oer_once_by_licence_language_and_region(catalogue):
    figures = compute_catalogue_figures()
    assert figures.total == 4
    assert counts(figures.by_licence) == {"open": 1, "open-nc": 1, "not-open": 1, "unknown": 1}
    # The shared OER is in French (its first copy's metadata): languages of the work.
    assert counts(figures.by_language)["ar"] == 1
    assert counts(figures.by_language)["fr"] == 2
    # Held in France and Brazil: counted in both regions.
    assert counts(figures.by_region) == {
        "europe-north-america": 2,
        "latin-america-caribbean": 2,
        "arab-states": 1,
    }


def test_licence_classes_are_named_in_plain_words(catalogue):
    labels = {bar.code: bar.label for bar in compute_catalogue_figures().by_licence}
    assert labels["open-nc"] == "Open with a non-commercial condition"


def test_dashboard_shows_the_catalogue_tables_and_charts(client, catalogue):
    page = client.get("/en/dashboard/").text
    assert "OER in the catalogue by licence class" in page
    assert "/charts/catalogue-licences" in page or "catalogue-licences" in page
    for name in ("catalogue-licences", "catalogue-languages", "catalogue-regions"):
        svg = client.get(f"/en/dashboard/{name}.svg").content
        assert svg


def test_dashboard_in_arabic_names_licence_classes_in_arabic(client, catalogue):
    page = client.get("/ar/dashboard/").text
    assert "Open with a non-commercial condition" not in page


def _queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/dashboard/").status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_catalogue(client):
    source = make_source("First")
    make_record(source, "a:1", title="One", languages=["en"])
    few = _queries(client)
    for number in range(2, 30):
        other = make_source(f"Source {number}", country=["BR", "JO", "KE", "IN"][number % 4])
        make_record(other, f"b:{number}", title=f"Record {number}",
                    languages=[["fr", "ar", "zh", "ru"][number % 4]],
                    licence_class=["open", "open-nc", "unknown"][number % 3])  # fmt: skip
    assert _queries(client) == few


def test_dashboard_renders_with_an_empty_catalogue(client):
    assert client.get("/en/dashboard/").status_code == 200
    assert client.get("/en/dashboard/catalogue-languages.svg").status_code == 200
