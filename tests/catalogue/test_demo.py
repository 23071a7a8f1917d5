"""The demo catalogue: harvested by the real harvester from pages made for the demo."""

import pytest

from coalition.catalogue import search
from coalition.catalogue.demo import DemoRepository, dataset, demo_record, load_demo_catalogue
from coalition.catalogue.models import HarvestRun, Record, RecordSubmission, Source, Work


def test_demo_records_are_the_same_on_every_run():
    spec = dataset()["source"][1]
    assert demo_record(spec, 17) == demo_record(spec, 17)
    assert demo_record(spec, 17).title != demo_record(spec, 18).title


def test_demo_repository_pages_carry_tokens_until_the_last():
    import httpx

    spec = dataset()["source"][0]
    repository = DemoRepository(spec)
    first = repository(
        httpx.Request("GET", spec["base_url"] + "?verb=ListRecords&metadataPrefix=oai_dc")
    )
    assert 'completeListSize="650"' in first.text and ">full:oai_dc:100<" in first.text


@pytest.mark.django_db(transaction=True)
def test_demo_catalogue_loads_sources_records_duplicates_and_deletions_once():
    counts = load_demo_catalogue()

    assert sum(counts.values()) >= 2000
    assert Source.objects.filter(kind="oai", status="approved").count() == 4
    assert not Source.objects.due().exists()  # the demo addresses are never harvested
    assert HarvestRun.objects.filter(kind="incremental", status="succeeded").count() == 4
    assert Record.objects.filter(deleted=True).exists()
    from django.db.models import Count

    shared = Work.objects.annotate(n=Count("records")).filter(n__gt=1)
    assert shared.count() > 50  # near-duplicates shown once, with every provenance
    assert set(Record.objects.values_list("licence_class", flat=True)) == {
        "open", "open-nc", "not-open", "unknown"}  # fmt: skip
    assert {"ar", "en", "es", "fr", "ru", "zh"} <= {
        code for record in Record.objects.only("languages") for code in record.languages
    }
    assert RecordSubmission.objects.filter(status="pending").count() == 3
    result = search.search(search.Query(text="الأحياء"))
    assert result.total > 0
    assert result.facets["subject"]

    assert sum(load_demo_catalogue().values()) == 0  # idempotent
