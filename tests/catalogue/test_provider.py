"""The Hub's OAI-PMH provider: schema-valid answers, every error, paging, sets, deletions,
and independent harvesters (Sickle, oaipmh-scythe) taking every record once."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import signing
from django.utils import timezone
from lxml import etree

from coalition.catalogue.models import Work
from coalition.catalogue.oai import provider
from coalition.catalogue.services.records import Incoming, store_items
from coalition.recommendation.models import ActionArea

from .factories import make_record, make_source

SCHEMAS = Path(__file__).parent / "schemas"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC_NS = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"


@pytest.fixture(scope="module")
def schemas():
    envelope = etree.XMLSchema(etree.parse(str(SCHEMAS / "OAI-PMH.xsd")))
    oai_dc = etree.XMLSchema(etree.parse(str(SCHEMAS / "oai_dc.xsd")))
    return envelope, oai_dc


@pytest.fixture
def small_pages(settings):
    settings.CATALOGUE_OAI_RECORDS_PAGE = 7
    settings.CATALOGUE_OAI_IDENTIFIERS_PAGE = 9
    settings.SITE_URL = "https://hub.example.org"
    settings.CATALOGUE_OAI_ADMIN_EMAIL = "secretariat@hub.example.org"


@pytest.fixture
def catalogue(db, small_pages):
    area, _created = ActionArea.objects.get_or_create(
        number=1, defaults={"title": "Building capacity", "short_title": "Capacity"}
    )
    library = make_source("Library", country="SN")
    ministry = make_source("Ministry", country="JO")
    classes = ["open", "open-nc", "not-open", "unknown"]
    for n in range(30):
        source = library if n % 2 else ministry
        record = make_record(
            source, f"id:{n}", title=f"Resource {n} — <ünïcode> & \"quotes\"",
            description="Line one\nLine two", languages=["fr" if n % 3 else "ar"],
            licence_class=classes[n % 4], licence_url="https://creativecommons.org/licenses/by/4.0/",
            creators=[{"name": f"Author {n}", "orcid": ""}], keywords=["open", "education"],
            title_translations={"en": f"Resource {n} in English"},
            urls=[f"https://oer.example/{n}"],
        )  # fmt: skip
        if n % 5 == 0:
            record.action_areas.add(area)
    store_items(library, [Incoming("id:1", None, True), Incoming("id:3", None, True)])
    return {"library": library, "ministry": ministry}


def get(client, **params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(b"".join(response.streaming_content))


def assert_valid(schemas, document):
    envelope, oai_dc = schemas
    assert envelope.validate(document), envelope.error_log
    for payload in document.iter(DC_NS + "dc"):
        assert oai_dc.validate(etree.ElementTree(payload)), oai_dc.error_log


def error_codes(document):
    return [error.get("code") for error in document.iter(OAI + "error")]


def harvest_all(client, schemas, verb, **params):
    """Every page of a list, validated; returns (headers, token elements)."""
    headers, tokens = [], []
    document = get(client, verb=verb, **params)
    while True:
        assert_valid(schemas, document)
        headers += list(document.iter(OAI + "header"))
        token = document.find(f".//{OAI}resumptionToken")
        if token is None or not (token.text or "").strip():
            if token is not None:
                tokens.append(token)
            return headers, tokens
        tokens.append(token)
        document = get(client, verb=verb, resumptionToken=token.text)


def test_identify_is_valid_and_says_deletions_persist(client, catalogue, schemas):
    document = get(client, verb="Identify")
    assert_valid(schemas, document)
    assert document.findtext(f".//{OAI}deletedRecord") == "persistent"
    assert document.findtext(f".//{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert document.findtext(f".//{OAI}baseURL") == "https://hub.example.org/oai"


def test_list_metadata_formats_and_sets_are_valid(client, catalogue, schemas):
    formats = get(client, verb="ListMetadataFormats")
    assert_valid(schemas, formats)
    assert [e.text for e in formats.iter(OAI + "metadataPrefix")] == ["oai_dc"]
    sets = get(client, verb="ListSets")
    assert_valid(schemas, sets)
    specs = {e.text for e in sets.iter(OAI + "setSpec")}
    assert {"licence:open", "licence:open-nc", "area:1", "source:library"} <= specs


def test_list_records_pages_through_every_work_once(client, catalogue, schemas):
    headers, tokens = harvest_all(client, schemas, "ListRecords", metadataPrefix="oai_dc")
    identifiers = [h.findtext(OAI + "identifier") for h in headers]
    assert len(identifiers) == len(set(identifiers)) == Work.objects.count() == 30
    assert len(tokens) == 5  # 30 works in pages of 7: four tokens and the empty last one
    assert [t.get("cursor") for t in tokens] == ["0", "7", "14", "21", "28"]
    assert {t.get("completeListSize") for t in tokens} == {"30"}
    assert all(t.get("expirationDate") for t in tokens[:-1])
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None
    deleted = [h for h in headers if h.get("status") == "deleted"]
    assert len(deleted) == 2


def test_list_identifiers_pages_through_every_work_once(client, catalogue, schemas):
    headers, tokens = harvest_all(client, schemas, "ListIdentifiers", metadataPrefix="oai_dc")
    identifiers = [h.findtext(OAI + "identifier") for h in headers]
    assert len(identifiers) == len(set(identifiers)) == 30
    assert len(tokens) == 4


def test_get_record_serves_dc_with_languages_and_escaping(client, catalogue, schemas):
    work = Work.objects.filter(deleted=False).order_by("pk").first()
    identifier = provider.oai_identifier(work.hub_id)
    document = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert_valid(schemas, document)
    titles = [(e.text, e.get("{http://www.w3.org/XML/1998/namespace}lang"))
              for e in document.iter("{http://purl.org/dc/elements/1.1/}title")]  # fmt: skip
    assert '<ünïcode> & "quotes"' in titles[0][0]
    assert ("Resource 0 in English", "en") in titles


def test_get_record_serves_coverage_as_dc_coverage(client, catalogue, schemas):
    record = make_record(catalogue["library"], "id:covered", coverage=["Sahel", "1990-2020"])
    identifier = provider.oai_identifier(record.work.hub_id)
    document = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert_valid(schemas, document)
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [e.text for e in document.iter(dc + "coverage")] == ["Sahel", "1990-2020"]
    assert "Sahel" not in [e.text for e in document.iter(dc + "subject")]


def test_deleted_work_is_served_as_deleted_header(client, catalogue, schemas):
    work = Work.objects.filter(deleted=True).first()
    identifier = provider.oai_identifier(work.hub_id)
    document = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert_valid(schemas, document)
    header = document.find(f".//{OAI}header")
    assert header.get("status") == "deleted"
    assert document.find(f".//{OAI}metadata") is None
    assert "source:library" in [e.text for e in header.iter(OAI + "setSpec")]


@pytest.mark.parametrize(
    ("set_spec", "expected"),
    [("licence:open", 8), ("licence:not-open", 7), ("area:1", 6), ("source:ministry", 15)],
)
def test_sets_select_their_works(client, catalogue, schemas, set_spec, expected):
    headers, _tokens = harvest_all(
        client, schemas, "ListIdentifiers", metadataPrefix="oai_dc", set=set_spec
    )
    assert len(headers) == expected
    assert all(set_spec in [e.text for e in h.iter(OAI + "setSpec")] for h in headers)


def test_from_and_until_at_second_granularity(client, catalogue, schemas):
    works = list(Work.objects.order_by("pk"))
    base = timezone.now().replace(microsecond=0) - timedelta(days=10)
    for index, work in enumerate(works):
        Work.objects.filter(pk=work.pk).update(datestamp=base + timedelta(seconds=index))
    stamp = provider.utc(base + timedelta(seconds=5))
    until = provider.utc(base + timedelta(seconds=9))
    headers, _tokens = harvest_all(client, schemas, "ListIdentifiers", metadataPrefix="oai_dc",
                                   **{"from": stamp, "until": until})  # fmt: skip
    assert next(h.findtext(OAI + "datestamp") for h in headers) == stamp
    assert len(headers) == 5  # seconds 5, 6, 7, 8 and 9, both ends included
    day = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
              **{"from": "2000-01-01", "until": "2000-01-02"})  # fmt: skip
    assert error_codes(day) == ["noRecordsMatch"]


def _token(state):
    return provider.make_token(state)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2002-06-01T03:020:00Z"},
         "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-02-30"},
         "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-02",
          "until": "2024-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01",
          "until": "2024-01-02T00:00:00Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "nonsense"},
         "noRecordsMatch"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
         "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
         "badArgument"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:else:1"},
         "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": "oai:hub.example.org:nope"},
         "idDoesNotExist"),
    ],
)  # fmt: skip
def test_every_error_condition_is_a_valid_error_response(client, catalogue, schemas, params, code):
    document = get(client, **params)
    assert_valid(schemas, document)
    assert error_codes(document) == [code]
    request = document.find(OAI + "request")
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}


def test_token_of_another_verb_or_expired_is_refused(client, catalogue, schemas, settings):
    token = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(
        f".//{OAI}resumptionToken"
    )
    assert error_codes(get(client, verb="ListRecords", resumptionToken=token)) == [
        "badResumptionToken"
    ]
    settings.CATALOGUE_OAI_TOKEN_SECONDS = -1
    expired = get(client, verb="ListIdentifiers", resumptionToken=token)
    assert_valid(schemas, expired)
    assert error_codes(expired) == ["badResumptionToken"]


def test_list_is_frozen_at_its_first_page(client, catalogue, schemas):
    first = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    served = [h.findtext(OAI + "identifier") for h in first.iter(OAI + "header")]
    Work.objects.update(datestamp=timezone.now() + timedelta(seconds=2))  # all change now
    token = first.findtext(f".//{OAI}resumptionToken")
    rest = get(client, verb="ListIdentifiers", resumptionToken=token)
    again = [h.findtext(OAI + "identifier") for h in rest.iter(OAI + "header")]
    assert not set(served) & set(again)


def test_post_is_answered_like_get(client, catalogue, schemas):
    response = client.post("/oai", {"verb": "Identify"})
    document = etree.fromstring(b"".join(response.streaming_content))
    assert_valid(schemas, document)


def test_signed_token_cannot_be_altered(catalogue):
    token = _token({"verb": "ListRecords", "prefix": "oai_dc"})
    state = signing.loads(token, salt=provider.TOKEN_SALT)
    assert state["verb"] == "ListRecords"
    with pytest.raises(provider.OAIProblem):
        provider.read_token("ListRecords", token[:-2] + "xx")
