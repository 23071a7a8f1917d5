"""One OER, one entry: records of the same resource from several sources share a work."""

import pytest

from coalition.catalogue.dedup import canonical_url, title_key
from coalition.catalogue.models import SearchEntry, Work
from coalition.catalogue.services.records import Incoming, store_items

from .factories import make_record, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.example.org/oer/1/", "https://example.org/oer/1"),
        ("https://example.org/oer?b=2&a=1&utm_source=x", "https://EXAMPLE.org/oer?a=1&b=2"),
        ("https://example.org/oer/1#part", "https://example.org/oer/1"),
    ],
)
def test_canonical_url_reads_spellings_of_one_address_as_one(a, b):
    assert canonical_url(a) == canonical_url(b) != ""


def test_title_key_ignores_case_accents_and_punctuation_but_needs_creator_and_year():
    one = title_key("Éducation ouverte : un guide", [{"name": "Diallo, Awa"}], 2021)
    two = title_key("education OUVERTE — un guide!", [{"name": "Awa Diallo"}], 2021)
    assert one == two != ""
    assert title_key("Éducation ouverte", [], 2021) == ""
    assert title_key("Éducation ouverte", [{"name": "Diallo"}], None) == ""


def test_same_doi_from_two_sources_is_one_work_with_both_copies():
    first, second = make_source("First"), make_source("Second", country="KE")
    a = make_record(first, "a:1", title="Open Biology", doi="10.1234/bio")
    b = make_record(second, "b:1", title="Open biology (copy)", doi="10.1234/bio")
    assert a.work_id == b.work_id
    assert a.work.records.count() == 2
    entry = SearchEntry.objects.get(work=a.work)
    assert {f"source:{first.pk}", f"source:{second.pk}"} <= set(entry.facets)
    assert {"region:europe-north-america", "region:africa"} <= set(entry.facets)


def test_same_canonical_url_is_one_work():
    first, second = make_source("First"), make_source("Second")
    a = make_record(first, "a:1", title="Algebra", urls=["http://www.oer.example/algebra/"])
    b = make_record(second, "b:1", title="Algèbre", urls=["https://oer.example/algebra"])
    assert a.work_id == b.work_id


def test_same_title_creator_year_is_one_work_different_year_is_not():
    first, second = make_source("First"), make_source("Second")
    person = [{"name": "Nguyen, An", "orcid": ""}]
    a = make_record(first, "a:1", title="Physics for all", creators=person, year=2020)
    b = make_record(second, "b:1", title="PHYSICS for all.", creators=person, year=2020)
    c = make_record(second, "b:2", title="Physics for all", creators=person, year=2022)
    assert a.work_id == b.work_id != c.work_id


def test_record_bridging_two_works_merges_them_and_keeps_every_copy():
    first, second, third = make_source("First"), make_source("Second"), make_source("Third")
    a = make_record(first, "a:1", title="Chemistry", doi="10.1/chem")
    b = make_record(second, "b:1", title="Chemistry", urls=["https://chem.example/book"])
    assert a.work_id != b.work_id
    bridge = make_record(third, "c:1", title="Chemistry", doi="10.1/chem",
                         urls=["https://chem.example/book"])  # fmt: skip
    survivor = Work.objects.get(pk=a.work_id)
    assert bridge.work_id == survivor.pk
    assert survivor.records.count() == 3
    merged = Work.objects.get(pk=b.work_id)
    assert merged.deleted and merged.merged_into_id == survivor.pk
    assert SearchEntry.objects.filter(work=merged).count() == 0


def test_duplicates_within_one_batch_share_a_work():
    source, other = make_source("First"), make_source("Second")
    fields = {"title": "Same", "doi": "10.9/same", "languages": ["en"], "creators": [],
              "urls": [], "year": None, "licence_class": "open"}  # fmt: skip
    store_items(source, [Incoming("x:1", None, False, [], fields)])
    store_items(other, [Incoming("y:1", None, False, [], fields),
                        Incoming("y:2", None, False, [], fields)])  # fmt: skip
    assert Work.objects.count() == 1


def test_deleting_the_primary_copy_shows_the_next_one():
    first, second = make_source("First"), make_source("Second")
    a = make_record(first, "a:1", title="Geography", doi="10.2/geo")
    b = make_record(second, "b:1", title="Geography (mirror)", doi="10.2/geo")
    store_items(first, [Incoming("a:1", None, True)])
    work = Work.objects.get(pk=a.work_id)
    assert not work.deleted and work.primary_record_id == b.pk
    assert SearchEntry.objects.get(work=work).title == "Geography (mirror)"
