"""Reading real OAI-PMH responses as a stream: pages, tokens, sets, deletions, formats."""

from lxml import etree

from coalition.catalogue.oai.metadata import map_metadata, normalize_language
from coalition.catalogue.oai.xml import Item, PageEnd, SetInfo, parse_response

from .conftest import fixture_bytes


def read(name, chunk=4096):
    body = fixture_bytes(name)
    items = list(parse_response(body[i : i + chunk] for i in range(0, len(body), chunk)))
    return items[:-1], items[-1]


def test_nsdl_four_pages_of_identifiers_with_cursor_and_size():
    total, cursors = 0, []
    for page in range(1, 5):
        suffix = "_empty-token" if page == 4 else ""
        items, end = read(f"nsdl_ListIdentifiers_p{page}_of4{suffix}.xml", chunk=1000)
        assert isinstance(end, PageEnd) and not end.errors
        total += len(items)
        cursors.append(end.token.cursor)
        assert end.token.complete_list_size == 733
        assert all(isinstance(item, Item) and item.header.identifier for item in items)
    assert total == 733
    assert cursors == [0, 200, 400, 600]
    assert end.token.value == ""  # the last page: an empty token that keeps its attributes


def test_sickle_token_is_a_file_name_and_the_last_page_repeats_the_first():
    first, end = read("sickle_ListIdentifiers_p1_token-is-filename.xml")
    assert end.token.value == "ListIdentifiers2.xml"
    assert any(item.header.deleted for item in first)
    second, last = read("sickle_ListIdentifiers_p2_repeats-p1.xml")
    assert last.token is None
    assert {i.header.identifier for i in second} <= {i.header.identifier for i in first}


def test_dspace_hierarchical_sets_and_deleted_get_record():
    sets, _end = read("dspace-eur_ListSets_hierarchical.xml")
    assert [s.spec for s in sets if isinstance(s, SetInfo)][:3] == ["3", "3:5", "1"]
    (deleted,), _end = read("dspace-eur_GetRecord_deleted.xml")
    assert deleted.header.deleted and deleted.metadata is None
    assert deleted.header.set_specs == ["1:1"]  # the repeated setSpec once


def test_error_answers_are_read_with_their_codes():
    _items, end = read("nsdl_error_badVerb.xml")
    assert end.errors[0][0] == "badVerb" and "'" in end.errors[0][1]
    _items, end = read("spec_error_noSetHierarchy_alcme.xml")
    assert end.errors[0][0] == "noSetHierarchy"


def test_richer_nsdl_dc_record_is_mapped():
    body = fixture_bytes("nsdl_GetRecord_nsdl_dc.xml")
    for item in parse_response([body]):
        if isinstance(item, Item):
            fields = map_metadata(item.metadata)
            break
    assert fields["title"] == "Molecular Structure of Dinitrophenol"
    assert fields["languages"] == ["en"]
    assert fields["learning_resource_type"] == "dataset"
    assert "explosives" in fields["keywords"]
    assert fields["urls"] == [
        "http://www.reciprocalnet.org/recipnet/showsample.jsp?sampleId=27344140"
    ]
    assert fields["year"] == 2002


def test_language_spellings_become_bcp47():
    assert [normalize_language(v) for v in ["eng", "fre", "en_US", "zh-hans", "Arabic", "?"]] == [
        "en", "fr", "en-US", "zh-Hans", "ar", "",
    ]  # fmt: skip


def test_memory_stays_bounded_on_a_long_page():
    record = (
        "<record><header><identifier>oai:x:{n}</identifier><datestamp>2024-01-01</datestamp>"
        "</header><metadata><oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>T{n}</dc:title></oai_dc:dc>"
        "</metadata></record>"
    )

    def chunks():
        yield b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
        for n in range(20_000):
            yield record.format(n=n).encode()
        yield b"</ListRecords></OAI-PMH>"

    seen = 0
    for item in parse_response(chunks()):
        if isinstance(item, Item):
            seen += 1
            root = item.metadata.getroottree().getroot()
            # Processed records are dropped from the tree as the stream goes on.
            assert len(root.find("{http://www.openarchives.org/OAI/2.0/}ListRecords")) <= 2
    assert seen == 20_000
    assert etree  # lxml is the parser
