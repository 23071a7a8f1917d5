"""Harvesting: real responses from the shared fixtures and hand-made quirks, served locally."""

import gzip
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from coalition.catalogue.models import HarvestRun, Record, RecordChange, SearchEntry, Source
from coalition.catalogue.services import harvesting
from coalition.catalogue.services.harvesting import acquire_lease, harvest_source
from coalition.catalogue.services.sources import register_source

from . import pages
from .conftest import Reply, fixture_bytes

pytestmark = pytest.mark.django_db

XML = {"Content-Type": "text/xml"}


def make_source(organization, server, granularity="YYYY-MM-DDThh:mm:ssZ", **kwargs):
    server.on(Reply(pages.identify(granularity).encode()), verb="Identify")
    server.on(Reply(pages.list_metadata_formats("oai_dc").encode()), verb="ListMetadataFormats")
    return register_source(organization, server.url, harvest_now=False, **kwargs)


def serve_list(server, body, **params):
    body = body.encode() if isinstance(body, str) else body
    server.rules.insert(0, ({"verb": "ListRecords", **params}, Reply(body)))


# Registering a source -----------------------------------------------------------------


def test_register_source_keeps_identify_facts_of_real_dspace(oai_server, organization):
    oai_server.on(Reply(fixture_bytes("dspace-eur_Identify.xml")), verb="Identify")
    oai_server.on(Reply(pages.list_metadata_formats("oai_dc").encode()), verb="ListMetadataFormats")
    source = register_source(organization, oai_server.url, harvest_now=False)
    assert source.repository_name
    assert source.deleted_record == "no"
    assert source.metadata_prefix == "oai_dc"


def test_register_source_reads_day_granularity_and_persistent_deletions(oai_server, organization):
    oai_server.on(Reply(fixture_bytes("sickle_Identify_day-granularity_persistent.xml")),
                  verb="Identify")  # fmt: skip
    oai_server.on(Reply(pages.list_metadata_formats("oai_dc", "nsdl_dc").encode()),
                  verb="ListMetadataFormats")  # fmt: skip
    source = register_source(organization, oai_server.url, harvest_now=False)
    assert source.granularity == "YYYY-MM-DD"
    assert source.deleted_record == "persistent"
    assert source.metadata_prefix == "nsdl_dc"  # the richer DC format, when offered


def test_register_source_reads_gzip_identify(oai_server, organization):
    reply = Reply(fixture_bytes("nsdl_Identify_gzip.xml"), gzip=True)
    oai_server.on(reply, verb="Identify")
    oai_server.on(Reply(pages.list_metadata_formats().encode()), verb="ListMetadataFormats")
    source = register_source(organization, oai_server.url, harvest_now=False)
    assert "NSDL" in source.repository_name or source.repository_name


def test_register_source_leaves_broken_earliest_datestamp_empty(oai_server, organization):
    oai_server.on(Reply(fixture_bytes("dspace-eur_Identify_bad-earliestDatestamp.xml")),
                  verb="Identify")  # fmt: skip
    oai_server.on(Reply(pages.list_metadata_formats().encode()), verb="ListMetadataFormats")
    source = register_source(organization, oai_server.url, harvest_now=False)
    assert source.earliest_datestamp is None


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(b"<!DOCTYPE html><html><head><title>Library</title></head><body>Hi</body></html>",
               headers={"Content-Type": "text/html"}), "web page (HTML)"),
        (Reply(b"<rss><channel></channel></rss>"), "not an OAI-PMH document"),
        (Reply(b"not found", status=404, headers={"Content-Type": "text/plain"}), "HTTP 404"),
        (Reply(b"<OAI-PMH"), "not well-formed"),
    ],
)  # fmt: skip
def test_register_source_refuses_what_is_not_oai_pmh(oai_server, organization, reply, words):
    oai_server.on(reply, verb="Identify")
    with pytest.raises(ValidationError) as refused:
        register_source(organization, oai_server.url, harvest_now=False)
    assert words in " ".join(refused.value.messages)
    assert not Source.objects.exists()


def test_register_source_refuses_undefined_entity_without_resolving_it(oai_server, organization):
    body = fixture_bytes("dspace-eur_Identify_undefined-entity_not-well-formed.xml")
    oai_server.on(Reply(body), verb="Identify")
    with pytest.raises(ValidationError, match="not well-formed"):
        register_source(organization, oai_server.url, harvest_now=False)


def test_register_source_refuses_an_oai_error_with_its_message(oai_server, organization):
    oai_server.on(Reply(fixture_bytes("nsdl_error_badVerb.xml")), verb="Identify")
    with pytest.raises(ValidationError, match="badVerb"):
        register_source(organization, oai_server.url, harvest_now=False)


def test_register_source_refuses_repository_without_oai_dc(oai_server, organization):
    oai_server.on(Reply(pages.identify().encode()), verb="Identify")
    oai_server.on(Reply(pages.list_metadata_formats("marc21").encode()), verb="ListMetadataFormats")
    with pytest.raises(ValidationError, match="oai_dc"):
        register_source(organization, oai_server.url, harvest_now=False)


# Harvesting real responses -------------------------------------------------------------


def test_harvest_real_dspace_list_without_token(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, fixture_bytes("dspace-eur_ListRecords_from_with-deleted.xml"))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    assert run.added == Record.objects.filter(deleted=False).count() > 50
    record = Record.objects.get(identifier="hdl:1765/9")
    assert record.title == "The Causality of Supply Relationships"
    assert record.languages == ["en", "en-US"]
    assert record.licence_class == "not-open"  # a copyright notice, no licence
    assert record.creators[0]["name"] == "Jong, G. de"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_harvest_on_postgresql_analyzes_what_its_lookups_read(
    oai_server, organization, monkeypatch
):
    # Planned for the empty table it started from, each page's lookups would read the
    # whole table: the harvest refreshes the statistics as the table grows.
    monkeypatch.setattr(harvesting._TableStatistics, "MINIMUM", 10)
    source = make_source(organization, oai_server)
    serve_list(oai_server, fixture_bytes("dspace-eur_ListRecords_from_with-deleted.xml"))
    run = harvest_source(source.pk)
    assert run.added > 10
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_stats WHERE tablename = 'catalogue_record' ORDER BY attname"
        )
        analyzed = [row[0] for row in cursor.fetchall()]
    assert {"canonical_url", "identifier", "title_key", "doi"} <= set(analyzed)
    assert "description" not in analyzed  # only what the lookups filter on


def test_harvest_real_gallica_page_with_day_datestamps_and_root_namespaces(
    oai_server, organization
):
    source = make_source(organization, oai_server, granularity="YYYY-MM-DD")
    serve_list(oai_server, pages.list_records([pages.record(99)], token=""))  # after the token
    serve_list(oai_server, fixture_bytes("gallica_ListRecords_oai_dc_day-datestamps.xml"),
               metadataPrefix="oai_dc")  # fmt: skip
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    token_requests = [r for r in oai_server.requests if "resumptionToken" in r]
    assert "!" in token_requests[0]["resumptionToken"]
    gallica = Record.objects.exclude(identifier="oai:example.org:99").get()
    assert gallica.datestamp.date().isoformat() == "2010-06-09"
    assert gallica.licence_class == "open"  # "domaine public"
    assert run.pages == 2


def test_harvest_skips_and_reports_header_without_identifier(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, fixture_bytes("sickle_ListRecords_header-without-identifier.xml"))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED
    assert (run.added, run.skipped) == (1, 1)
    assert run.skipped_records == [
        {"identifier": "", "reason": "the record's header has no identifier"}
    ]
    assert Record.objects.get().title == "Sample Title"


def test_harvest_no_records_match_is_an_empty_success(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, fixture_bytes("spec_error_noRecordsMatch_perseus.xml"))
    run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.SUCCEEDED, 0)
    source.refresh_from_db()
    assert source.harvested_until is not None


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("spec_error_cannotDisseminateFormat_arxiv.xml", "cannotDisseminateFormat"),
        ("spec_error_noSetHierarchy_alcme.xml", "noSetHierarchy"),
        ("spec_error_badArgument_loc.xml", "badArgument"),
    ],
)
def test_harvest_stops_with_the_oai_error_in_its_report(oai_server, organization, fixture, code):
    source = make_source(organization, oai_server)
    serve_list(oai_server, fixture_bytes(fixture))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert code in run.error


# Paging and quirks ------------------------------------------------------------------


def test_harvest_follows_tokens_with_and_without_cursor_and_size(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(
        oai_server,
        pages.list_records([pages.record(1), pages.record(2)], token="p2", cursor=0, size=5),
        metadataPrefix="oai_dc",
    )
    serve_list(
        oai_server,
        pages.list_records([pages.record(3), pages.record(4)], token="p3"),
        resumptionToken="p2",
    )
    # The last page: an empty token that still carries its attributes.
    serve_list(oai_server, pages.list_records([pages.record(5)], token="", cursor=4, size=5),
               resumptionToken="p3")  # fmt: skip
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    assert (run.added, run.pages, run.complete_list_size) == (5, 3, 5)
    assert Record.objects.count() == 5


def test_harvest_pages_repeating_identifiers_create_no_duplicate(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1), pages.record(2)], token="p2"),
               metadataPrefix="oai_dc")  # fmt: skip
    serve_list(oai_server, pages.list_records([pages.record(1), pages.record(2)]),
               resumptionToken="p2")  # fmt: skip
    run = harvest_source(source.pk)
    assert (run.added, run.unchanged) == (2, 2)
    assert Record.objects.count() == 2


def test_harvest_bad_resumption_token_restarts_the_list(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1)], token="old"),
               metadataPrefix="oai_dc")  # fmt: skip
    expired = Reply(pages.error("badResumptionToken", "expired").encode(), status=422)
    last = Reply(pages.list_records([pages.record(2)]).encode())
    oai_server.rules.insert(0, ({"verb": "ListRecords", "resumptionToken": "old"}, [expired, last]))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    assert Record.objects.count() == 2
    listed = [r for r in oai_server.requests if r.get("metadataPrefix")]
    assert len(listed) == 2  # the list was asked again from its start


def test_harvest_waits_for_retry_after_on_503(oai_server, organization):
    source = make_source(organization, oai_server)
    oai_server.rules.insert(0, ({"verb": "ListRecords"}, [
        Reply(b"busy", status=503, headers={"Retry-After": "0", "Content-Type": "text/plain"}),
        Reply(pages.list_records([pages.record(1)]).encode()),
    ]))  # fmt: skip
    run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.SUCCEEDED, 1)


def test_harvest_long_retry_after_stops_the_run_cleanly(oai_server, organization):
    source = make_source(organization, oai_server)
    busy = Reply(b"busy", status=503, headers={"Retry-After": "86400"})
    oai_server.rules.insert(0, ({"verb": "ListRecords"}, busy))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "86400 seconds" in run.error


def test_harvest_retries_after_a_timeout(oai_server, organization, settings):
    settings.CATALOGUE_HTTP_TIMEOUT = 0.3
    source = make_source(organization, oai_server)
    body = pages.list_records([pages.record(1)]).encode()
    oai_server.rules.insert(0, ({"verb": "ListRecords"}, [Reply(body, delay=1.0), Reply(body)]))
    run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.SUCCEEDED, 1)


def test_harvest_reads_latin1_sent_as_utf8_and_control_characters(oai_server, organization):
    source = make_source(organization, oai_server)
    body = pages.list_records([pages.record(1, title="Éducation ouverte\x0c pour tous")])
    serve_list(oai_server, body.encode("latin-1"))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    assert Record.objects.get().title == "Éducation ouverte pour tous"


def test_harvest_reads_declared_latin1_and_gzip_bodies(oai_server, organization):
    source = make_source(organization, oai_server)
    body = pages.list_records([pages.record(1, title="Ciência aberta")], encoding="ISO-8859-1")
    raw_gzip = Reply(gzip.compress(body.encode("latin-1")), headers={"Content-Type": "text/xml"})
    serve_list(oai_server, b"")
    oai_server.rules[0] = ({"verb": "ListRecords"}, raw_gzip)
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    assert Record.objects.get().title == "Ciência aberta"


def test_harvest_never_expands_entities_billion_laughs_or_xxe(oai_server, organization):
    source = make_source(organization, oai_server)
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE OAI-PMH [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    body = pages.list_records([pages.record(1, title="Laughs &lol3; and &xxe; here")])
    body = doctype + body.split("?>", 1)[1].replace("&amp;lol3;", "&lol3;").replace(
        "&amp;xxe;", "&xxe;"
    )
    serve_list(oai_server, body)
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    title = Record.objects.get().title
    assert "root:" not in title and "lollol" not in title


def test_harvest_broken_page_is_retried_then_reported_and_resumed(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1)], token="p2"),
               metadataPrefix="oai_dc")  # fmt: skip
    cut = pages.list_records([pages.record(2), pages.record(3)])[:-60]
    serve_list(oai_server, cut, resumptionToken="p2")
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "'p2'" in run.error and "not well-formed" in run.error and "resumes" in run.error
    assert len([r for r in oai_server.requests if r.get("resumptionToken") == "p2"]) == 3
    # The server is fixed; the next run starts at the page that failed.
    serve_list(oai_server, pages.list_records([pages.record(2), pages.record(3)]),
               resumptionToken="p2")  # fmt: skip
    before = len(oai_server.requests)
    resumed = harvest_source(source.pk)
    assert resumed.status == HarvestRun.Status.SUCCEEDED, resumed.error
    assert resumed.resumed_from_id == run.pk
    assert oai_server.requests[before] == {"verb": "ListRecords", "resumptionToken": "p2"}
    assert Record.objects.count() == 3


def test_harvest_page_over_the_size_cap_is_refused_with_a_reason(oai_server, organization,
                                                                 settings):  # fmt: skip
    settings.CATALOGUE_MAX_PAGE_BYTES = 20_000
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(n) for n in range(100)]))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "larger than" in run.error
    assert not Record.objects.exists()


def test_harvest_deleted_record_keeps_history_and_leaves_search(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1), pages.record(2)]))
    harvest_source(source.pk)
    assert SearchEntry.objects.count() == 2
    serve_list(oai_server, pages.list_records([pages.record(2, deleted=True)]),
               metadataPrefix="oai_dc", **{"from": "2024-05-01T10:00:00Z"})  # fmt: skip
    run = harvest_source(source.pk)
    assert (run.kind, run.deleted) == ("incremental", 1)
    record = Record.objects.get(identifier="oai:example.org:2")
    assert record.deleted and record.deleted_at
    assert list(record.changes.values_list("kind", flat=True)) == ["deleted"]
    assert record.work.deleted
    assert SearchEntry.objects.count() == 1


def test_harvest_unchanged_records_are_not_rewritten(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1)]))
    harvest_source(source.pk)
    stamp = Record.objects.get().updated_at
    run = harvest_source(source.pk, full=True)
    assert (run.added, run.updated, run.unchanged) == (0, 0, 1)
    assert Record.objects.get().updated_at == stamp
    assert not RecordChange.objects.exists()


# One worker per source ------------------------------------------------------------------


def test_harvest_source_held_by_another_worker_is_left_alone(oai_server, organization):
    source = make_source(organization, oai_server)
    assert acquire_lease(source.pk, "other-host:1")
    assert harvest_source(source.pk, worker="me:2") is None
    assert not HarvestRun.objects.exists()


def test_harvest_lease_of_a_dead_worker_runs_out(oai_server, organization):
    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1)]))
    Source.objects.filter(pk=source.pk).update(
        locked_by="dead-host:1", locked_until=timezone.now() - timedelta(seconds=1)
    )
    run = harvest_source(source.pk, worker="me:2")
    assert run.status == HarvestRun.Status.SUCCEEDED
    source.refresh_from_db()
    assert (source.locked_by, source.locked_until) == ("", None)


def test_keep_schedule_harvests_due_sources(oai_server, organization):
    from coalition.catalogue.tasks import keep_schedule

    source = make_source(organization, oai_server)
    serve_list(oai_server, pages.list_records([pages.record(1)]))
    Source.objects.filter(pk=source.pk).update(next_harvest_at=timezone.now())
    keep_schedule.enqueue()
    assert HarvestRun.objects.get().status == HarvestRun.Status.SUCCEEDED
    source.refresh_from_db()
    assert source.next_harvest_at > timezone.now() + timedelta(hours=23)


def test_harvest_keeps_dc_coverage_as_coverage_not_as_subjects(oai_server, organization):
    # The real DSpace page, with dc:coverage (a place, a period) added to one real record:
    # no shared fixture carries it.
    body = fixture_bytes("dspace-eur_ListRecords_from_with-deleted.xml").replace(
        b"<dc:title>Lifetime labor supply in a search model of unemployment</dc:title>",
        b"<dc:title>Lifetime labor supply in a search model of unemployment</dc:title>"
        b"<dc:coverage>Netherlands</dc:coverage><dc:coverage>1950-2003</dc:coverage>",
    )
    source = make_source(organization, oai_server)
    serve_list(oai_server, body)
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.SUCCEEDED, run.error
    record = Record.objects.get(identifier="hdl:1765/1091")
    assert record.coverage == ["Netherlands", "1950-2003"]
    assert "Netherlands" not in record.subjects + record.keywords
    assert "labor supply" in record.keywords  # dc:subject stays the subject
    untouched = Record.objects.get(identifier="hdl:1765/9")
    assert untouched.coverage == [] and untouched.subjects == []
