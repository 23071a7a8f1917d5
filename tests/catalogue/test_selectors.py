"""Reads shared by the catalogue's pages, API and dashboard: few queries, right rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coalition.catalogue import search, selectors

from .factories import make_record, make_source

pytestmark = pytest.mark.django_db


def test_works_for_page_keeps_order_and_lists_every_copy(django_assert_num_queries):
    first, second = make_source("First"), make_source("Second")
    a = make_record(first, "a:1", title="Shared", doi="10.5/shared")
    make_record(second, "b:1", title="Shared copy", doi="10.5/shared")
    c = make_record(first, "a:2", title="Alone")
    with django_assert_num_queries(2):
        works = selectors.works_for_page([c.work_id, a.work_id])
        assert [w.pk for w in works] == [c.work_id, a.work_id]
        assert [len(w.copies) for w in works] == [1, 2]
        assert works[1].primary_record.source.organization.name


def test_work_by_hub_id_follows_a_merge():
    first, second, third = make_source("First"), make_source("Second"), make_source("Third")
    a = make_record(first, "a:1", title="X", doi="10.6/x")
    b = make_record(second, "b:1", title="X", urls=["https://x.example/"])
    make_record(third, "c:1", title="X", doi="10.6/x", urls=["https://x.example/"])
    b.work.refresh_from_db()
    assert selectors.work_by_hub_id(b.work.hub_id).pk == a.work_id


def test_records_added_between_lists_one_line_per_oer():
    first, second = make_source("First"), make_source("Second")
    make_record(first, "a:1", title="Shared", doi="10.7/s")
    make_record(second, "b:1", title="Shared", doi="10.7/s")
    now = timezone.now()
    added = list(selectors.records_added_between(now - timedelta(hours=1), now + timedelta(1)))
    assert len(added) == 1


def test_sources_of_organization_count_visible_records():
    source = make_source("First")
    make_record(source, "a:1", title="One")
    make_record(source, "a:2", title="Two")
    (counted,) = selectors.sources_of_organization(source.organization)
    assert counted.record_count == 2


def test_dashboard_counts_come_from_facets():
    make_record(make_source("First", country="BR"), "a:1", title="Um", languages=["pt"],
                licence_class="open")  # fmt: skip
    counts = selectors.dashboard_counts()
    assert counts["licence"] == [("open", 1)]
    assert counts["region"] == [("latin-america-caribbean", 1)]
    assert search.search(search.Query()).total == 1
