"""Catalogue search in the six UN languages, facets, sorting, paging and hostile input."""

from datetime import date

import pytest
from django.db import connection

from coalition.catalogue import search
from coalition.catalogue.models import Work

from .factories import make_record, make_source

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="stemming needs PostgreSQL's configurations"
)


@pytest.fixture
def catalogue():
    source = make_source("Library", country="SN")
    other = make_source("Ministry", country="JO")
    records = {
        "en": make_record(source, "r:en", title="Introduction to photosynthesis in plants",
                          description="How green plants make sugar.", languages=["en"],
                          licence_class="open", learning_resource_type="textbook",
                          educational_level="secondary", date_created=date(2019, 5, 1),
                          keywords=["biology"], creators=[{"name": "Ada Okafor", "orcid": ""}]),
        "fr": make_record(source, "r:fr", title="Les énergies renouvelables expliquées",
                          languages=["fr"], licence_class="open-nc",
                          date_created=date(2021, 1, 1)),
        "es": make_record(source, "r:es", title="Matemáticas para la educación primaria",
                          languages=["es"], licence_class="open", educational_level="primary",
                          date_created=date(2020, 1, 1)),
        "ru": make_record(other, "r:ru", title="Основы программирования на языке Python",
                          languages=["ru"], licence_class="not-open",
                          date_created=date(2018, 1, 1)),
        "ar": make_record(other, "r:ar", title="التَّعْلِيمُ المَفْتُوحُ لِلْجَمِيعِ",
                          languages=["ar"], licence_class="open", date_created=date(2022, 1, 1)),
        "ar-plain": make_record(other, "r:ar2", title="مقدمة في الكيمياء", languages=["ar"],
                                licence_class="unknown", date_created=date(2017, 1, 1)),
        "zh": make_record(other, "r:zh", title="开放教育资源导论", languages=["zh-Hans"],
                          licence_class="open", date_created=date(2023, 1, 1)),
    }  # fmt: skip
    return {key: record.work_id for key, record in records.items()}


def found(text, **kwargs):
    return search.search(search.Query(text=text, **kwargs)).work_ids


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "photosynthesis"),
        ("en", "Okafor"),  # creators
        ("en", "biology"),  # keywords
        ("en", "sugar"),  # description
        ("fr", "énergies"),
        ("fr", "energies"),  # accents ignored
        ("es", "matematicas educacion"),
        ("es", "Matemáticas"),
        ("ru", "программирования"),
        ("ru", "PYTHON"),
        ("ar", "التعليم"),  # found without the diacritics it was written with
        ("ar-plain", "الكِيمِيَاء"),  # and with diacritics it was written without
        ("zh", "教育"),  # a two-character word inside a longer run
        ("zh", "开放教育"),
    ],
)
def test_search_finds_each_language(catalogue, language, query):
    assert found(query) == [catalogue[language]]


def test_search_phrase_and_prefix_and_exclusion(catalogue):
    assert found('"green plants"') == [catalogue["en"]]
    assert found('"plants green"') == []
    assert found("photosynth*") == [catalogue["en"]]
    assert catalogue["en"] not in found("photosynthesis -sugar")


@on_postgresql
@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "plant"),  # english stemming
        ("fr", "renouvelable"),  # french
        ("es", "matemática"),  # spanish
        ("ru", "программирование"),  # russian
        ("ar", "تعليم"),  # arabic (the article stripped by the stemmer)
    ],
)
def test_search_stems_on_postgresql(catalogue, language, query):
    assert catalogue[language] in found(query)


def test_search_facets_count_every_value(catalogue):
    result = search.search(search.Query())
    assert result.total == 7
    facets = result.facets
    assert dict(facets["licence"]) == {"open": 4, "open-nc": 1, "not-open": 1, "unknown": 1}
    assert dict(facets["language"])["ar"] == 2
    assert dict(facets["region"]) == {"africa": 3, "arab-states": 4}
    assert dict(facets["level"]) == {"primary": 1, "secondary": 1}


def test_search_filters_by_facets_and_counts_within(catalogue):
    result = search.search(search.Query(filters={"licence": ["open"], "region": ["africa"]}))
    assert sorted(result.work_ids) == sorted([catalogue["en"], catalogue["es"]])
    # A facet with a selection is counted without its own filter (within the others'):
    # the counts of the values one could add.
    assert dict(result.facets["licence"]) == {"open": 2, "open-nc": 1}
    assert dict(result.facets["region"]) == {"africa": 2, "arab-states": 2}
    assert dict(result.facets["language"]) == {"en": 1, "es": 1}
    either = search.search(search.Query(filters={"licence": ["open-nc", "not-open"]}))
    assert sorted(either.work_ids) == sorted([catalogue["fr"], catalogue["ru"]])


def test_search_two_values_of_one_facet_are_or_ed_and_facets_and_ed(catalogue):
    languages = search.search(search.Query(filters={"language": ["fr", "ar"]}))
    assert sorted(languages.work_ids) == sorted(
        [catalogue["fr"], catalogue["ar"], catalogue["ar-plain"]]
    )
    everything = search.search(search.Query(with_facets=True))
    assert dict(languages.facets["language"]) == dict(everything.facets["language"])
    assert dict(languages.facets["licence"]) == {"open": 1, "open-nc": 1, "unknown": 1}

    both = search.search(
        search.Query(filters={"language": ["fr", "ar"], "licence": ["open", "open-nc"]})
    )
    assert sorted(both.work_ids) == sorted([catalogue["fr"], catalogue["ar"]])
    assert both.total == 2
    # Each count is what ticking that value (alone, added to the selection) would add.
    assert dict(both.facets["language"]) == {"en": 1, "es": 1, "fr": 1, "ar": 1, "zh": 1}
    assert dict(both.facets["licence"]) == {"open": 1, "open-nc": 1, "unknown": 1}
    assert dict(both.facets["region"]) == {"africa": 1, "arab-states": 1}


def test_search_with_words_and_two_values_of_one_facet(catalogue):
    make_record(make_source("Third", country="FR"), "r:fr2", title="Photosynthèse des plantes",
                languages=["fr"], licence_class="open")  # fmt: skip
    result = search.search(search.Query(text="plants", filters={"language": ["en", "fr"]}))
    assert len(result.work_ids) == 2
    assert dict(result.facets["language"]) == {"en": 1, "fr": 1}
    only_en = search.search(search.Query(text="plants", filters={"language": ["en"]}))
    assert only_en.total == 1 and dict(only_en.facets["language"]) == {"en": 1, "fr": 1}


def test_search_sorts_by_date_and_pages(catalogue):
    first = search.search(search.Query(sort="date", per_page=3))
    second = search.search(search.Query(sort="date", per_page=3, page=2))
    assert first.work_ids == [catalogue["zh"], catalogue["ar"], catalogue["fr"]]
    assert first.has_next and len(second.work_ids) == 3
    assert not set(first.work_ids) & set(second.work_ids)


def test_search_total_reads_as_lower_bound_past_the_threshold(catalogue, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    result = search.search(search.Query())
    assert (result.total, result.total_is_lower_bound) == (5, True)


@pytest.mark.parametrize(
    "query",
    [
        '"', '"""', "AND", "OR NOT", "NEAR(a b)", "title:x", "*", "-", "--x", "a* *b",
        "((", "'", "\\", "\x00", "plants\x00sugar", "x" * 2000, "a " * 1000,
        "{title body}: x", "^x", "%", "_", "😀", "٭", "SELECT * FROM auth_user; --",
    ],
)  # fmt: skip
def test_search_hostile_queries_never_raise(catalogue, query):
    result = search.search(search.Query(text=query, filters={"licence": ["'; DROP", "\x00"]}))
    assert isinstance(result.work_ids, list)


def test_search_unknown_facets_and_bad_pages_are_ignored(catalogue):
    result = search.search(search.Query(filters={"nope": ["x"]}, page=-3, per_page=10_000))
    assert result.page == 1 and result.per_page == 100 and result.total == 7


def test_search_constant_number_of_queries(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        search.search(search.Query(text="plants", filters={"licence": ["open"]}))
    with django_assert_max_num_queries(3):
        search.search(
            search.Query(
                text="plants",
                filters={
                    "licence": ["open", "unknown"],
                    "language": ["en", "fr"],
                    "region": ["africa"],
                },
            )
        )


def test_rebuild_writes_every_visible_work(catalogue):
    search.rebuild()
    assert search.search(search.Query()).total == Work.objects.filter(deleted=False).count()


def test_backend_matches_database():
    expected = "PostgreSQLBackend" if connection.vendor == "postgresql" else "SQLiteBackend"
    assert type(search.backend()).__name__ == expected


def test_browsing_is_kept_until_the_index_changes(catalogue, django_assert_num_queries):
    search.search(search.Query())
    with django_assert_num_queries(0):
        assert search.search(search.Query()).total == 7
    make_record(make_source("Third"), "r:new", title="Nouvelle ressource", languages=["fr"])
    assert search.search(search.Query()).total == 8


def test_counts_past_the_threshold_are_lower_bounds(catalogue, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 1)
    source = make_source("Many")
    for n in range(3):
        make_record(source, f"m:{n}", title=f"Photosynthesis notes {n}", licence_class="open")
    result = search.search(search.Query(text="photosynthesis"))
    assert result.total_is_lower_bound and result.facets_are_lower_bounds
    assert sum(count for _value, count in result.facets["licence"]) == 2
    assert len(result.work_ids) >= 2  # ranked among the first matches on PostgreSQL


def test_a_harvest_drops_kept_browse_results_at_most_every_interval_and_at_its_end():
    # At a million entries, browsing everything costs seconds: a harvest writing the index
    # at every page must not make every visitor pay it.
    first = search.index_version()
    with search.changes_batched(seconds=30):
        search.index_changed()
        search.index_changed()
        assert search.index_version() == first
    assert search.index_version() != first


def test_a_batch_past_its_interval_drops_kept_browse_results_at_once():
    first = search.index_version()
    with search.changes_batched(seconds=0):
        search.index_changed()
        second = search.index_version()
        assert second != first
    assert search.index_version() == second  # nothing left pending at the end


def test_a_batch_without_index_writes_keeps_browse_results():
    first = search.index_version()
    with search.changes_batched():
        pass
    assert search.index_version() == first
