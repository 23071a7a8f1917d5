"""The search page, its facets in the UN languages, and the CSV export of a search."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.catalogue.models import Record, Source
from tests.factories.catalogue import make_record, make_source


@pytest.fixture
def catalogue(db):
    library = make_source("Open Library", country="SN")
    ministry = make_source("Ministry Repository", country="EG")
    make_record(
        library, "a", title="Biologie cellulaire", languages=["fr"], licence_class="open",
        licence_spdx="CC-BY-4.0", rights_statement="CC BY 4.0", year=2021,
        subjects=["Biology"], learning_resource_type="textbook", creators=[{"name": "Diop, Awa"}],
        urls=["https://example.org/bio"],
    )  # fmt: skip
    make_record(
        ministry, "b", title="علم الأحياء للمدارس", languages=["ar"], licence_class="open-nc",
        rights_statement="CC BY-NC 4.0", year=2019, subjects=["Biology"],
        urls=["https://example.org/ar-bio"],
    )  # fmt: skip
    make_record(
        ministry, "c", title="Physics handbook", languages=["en"], licence_class="not-open",
        rights_statement="All rights reserved", year=2019, subjects=["Physics"],
    )  # fmt: skip
    return library, ministry


def test_search_page_lists_every_record_with_facets(client, catalogue):
    response = client.get(reverse("catalogue:search"))

    assert response.status_code == 200
    assert len(response.context["works"]) == 3
    names = {facet.name for facet in response.context["facets"]}
    assert {"licence", "language", "subject", "year", "source", "region"} <= names
    assert "Biologie cellulaire" in response.text


def test_search_page_filters_by_subject_and_year(client, catalogue):
    response = client.get(reverse("catalogue:search"), {"subject": "Biology", "year": "2019"})

    titles = [work.primary_record.title for work in response.context["works"]]
    assert titles == ["علم الأحياء للمدارس"]
    subject = next(f for f in response.context["facets"] if f.name == "subject")
    assert any(value.value == "Biology" and value.selected for value in subject.values)


def test_search_page_combines_two_values_of_one_facet(client, catalogue):
    response = client.get(
        reverse("catalogue:search"), {"language": ["fr", "ar"], "licence": ["open", "open-nc"]}
    )

    titles = {work.primary_record.title for work in response.context["works"]}
    assert titles == {"Biologie cellulaire", "علم الأحياء للمدارس"}
    language = next(f for f in response.context["facets"] if f.name == "language")
    counts = {v.value: (v.count, v.selected) for v in language.values}
    # Languages are counted within the licences ticked, not within the languages ticked.
    assert counts == {"fr": (1, True), "ar": (1, True)}
    licence = next(f for f in response.context["facets"] if f.name == "licence")
    assert {v.value: v.count for v in licence.values} == {"open": 1, "open-nc": 1}
    alone = client.get(reverse("catalogue:search"), {"language": "fr"})
    language = next(f for f in alone.context["facets"] if f.name == "language")
    # With one language ticked, the others are still offered with their own counts.
    assert {v.value: v.count for v in language.values} == {"fr": 1, "ar": 1, "en": 1}
    for value in ("fr", "ar", "open", "open-nc"):
        assert f'value="{value}" id="f-' in response.text
    assert "language=fr&amp;language=ar" in response.context["export_params"].replace("&", "&amp;")


def test_search_page_finds_words_and_keeps_filters_in_links(client, catalogue):
    response = client.get(reverse("catalogue:search"), {"q": "biologie", "licence": "open"})

    assert [w.primary_record.title for w in response.context["works"]] == ["Biologie cellulaire"]
    assert "licence=open" in response.context["export_params"]


@pytest.mark.parametrize("language", ["ar", "en", "es", "fr", "ru", "zh-hans"])
def test_search_page_names_facets_in_each_un_language(client, catalogue, language):
    with translation.override(language):
        url = reverse("catalogue:search")
    response = client.get(url)

    assert response.status_code == 200
    licence = next(f for f in response.context["facets"] if f.name == "licence")
    with translation.override(language):
        from coalition.catalogue.models import LicenceClass

        expected = str(LicenceClass.OPEN.label)
    assert expected in [value.label for value in licence.values]
    assert f'lang="{language}"' in response.text


def test_search_page_survives_operators_quotes_and_long_queries(client, catalogue):
    for text in ['"unterminated', "-", "AND OR NOT (", "x" * 2000, "*", "NEAR(a b)"]:
        response = client.get(reverse("catalogue:search"), {"q": text, "page": "oops"})
        assert response.status_code == 200, text


def test_search_page_query_count_does_not_grow_with_results(
    client, catalogue, django_assert_max_num_queries, settings
):
    settings.CATALOGUE_BROWSE_CACHE_SECONDS = 0
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("catalogue:search"))
    library = catalogue[0]
    for number in range(25):
        make_record(library, f"more-{number}", title=f"Open text {number}",
                    subjects=[f"Subject {number}"], year=2000 + number)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalogue:search"))
    assert response.status_code == 200
    assert len(response.context["works"]) == 20
    assert response.context["result"].total == 28


def test_export_is_utf8_with_bom_and_holds_every_result_of_the_search(client, catalogue):
    library = catalogue[0]
    for number in range(130):  # more than one export page
        make_record(library, f"x-{number}", title=f"Open text {number}", licence_class="open")
    response = client.get(reverse("catalogue:export"), {"licence": "open"})

    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 131
    assert {row["licence_class"] for row in rows} == {"open"}
    first = next(row for row in rows if row["title"] == "Biologie cellulaire")
    assert first["licence"] == "CC-BY-4.0"
    assert first["sources"] == "Open Library"
    assert "re-use" in first["licence_reason"]


def test_export_runs_the_search_once_and_reads_works_in_chunks(
    client, catalogue, monkeypatch, django_assert_max_num_queries
):
    from coalition.catalogue import search
    from coalition.catalogue.views import search as views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 10)
    library = catalogue[0]
    for number in range(45):
        make_record(library, f"y-{number}", title=f"Open text {number}", licence_class="open")
    calls = []
    monkeypatch.setattr(search, "search", lambda *a, **k: calls.append(a) or None)
    # One search for every id, then two queries per chunk of 10 (46 rows: 5 chunks).
    with django_assert_max_num_queries(1 + 2 * 5 + 2):
        response = client.get(reverse("catalogue:export"), {"licence": "open", "sort": "date"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert not calls  # no page of the search is re-run
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 46
    expected = search.matching_ids(search.Query(filters={"licence": ["open"]}, sort="date"))
    hub_ids = dict(Record.objects.values_list("work_id", "work__hub_id"))
    assert [row["hub_id"] for row in rows] == [str(hub_ids[pk]) for pk in expected]


def test_export_keeps_arabic_text(client, catalogue):
    response = client.get(reverse("catalogue:export"), {"language": "ar"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "علم الأحياء للمدارس" in text


def test_withdrawn_or_pending_sources_are_not_listed(client, catalogue):
    library, _ministry = catalogue
    Source.objects.filter(pk=library.pk).update(status=Source.Status.PENDING)
    response = client.get(reverse("catalogue:source-list"))
    assert "Open Library" not in response.text
    assert "Ministry Repository" in response.text
    assert client.get(library.get_absolute_url()).status_code == 403


def test_record_page_has_json_ld_with_licence_in_words(client, catalogue):
    work = Record.objects.get(identifier="a").work
    response = client.get(work.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    start = text.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(text[start : text.index("</script>", start)])
    assert data["@type"] == "LearningResource"
    assert data["name"] == "Biologie cellulaire"
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert data["conditionsOfAccess"].startswith("Open.")
    assert data["author"] == [{"@type": "Person", "name": "Diop, Awa"}]
    assert "re-use, adapt and redistribute" in text


def test_record_page_lists_every_provenance_of_a_deduplicated_oer(client, catalogue):
    library, ministry = catalogue
    copy = make_record(
        ministry, "same", title="Biologie cellulaire (copie)", urls=["https://example.org/bio/"]
    )
    response = client.get(copy.work.get_absolute_url())

    assert copy.work.records.count() == 2
    assert [c.source for c in response.context["copies"]] == [library, ministry]
    assert "Ministry Repository" in response.text and "Open Library" in response.text


def test_record_page_of_an_unknown_or_merged_work(client, catalogue):
    import uuid

    assert client.get(reverse("catalogue:record-detail", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize(
    "language, heading",
    [
        ("fr", "Catalogue des ressources éducatives libres"),
        ("ar", "فهرس الموارد التعليمية المفتوحة"),
        ("es", "Catálogo de recursos educativos abiertos"),
        ("ru", "Каталог открытых образовательных ресурсов"),
        ("zh-hans", "开放教育资源目录"),
    ],
)
def test_search_page_speaks_the_interface_language(client, catalogue, language, heading):
    with translation.override(language):
        url = reverse("catalogue:search")
    response = client.get(url)
    assert f"<h1>{heading}</h1>" in response.text
    if language == "ar":
        assert 'dir="rtl"' in response.text
