"""Reading OAI-PMH responses as a stream, safely, whatever the server sends.

`parse_response(chunks)` takes the body as an iterator of byte chunks and yields, as
soon as each is complete, the items of the page (`Header`/`Item` for records and
identifiers, `SetInfo`, `FormatInfo`), then one `PageEnd` with the response date, the
OAI errors and the resumption token. Each record's element is cleared once yielded, so
memory stays bounded by the largest record, not the page.

Safety: lxml's pull parser with `resolve_entities=False, no_network=True,
load_dtd=False, huge_tree=False`: external entities (XXE) are never fetched, internal
ones never expanded (billion laughs yields an unexpanded reference), and libxml2's own
limits hold. An undefined entity or any other well-formedness error raises
`BrokenPage`; a body past `max_bytes` (counted after decompression, so a gzip bomb is
caught too) raises `PageTooLarge`.

What real servers send, and what happens here:
- gzip bodies without a Content-Encoding header (magic bytes): decompressed;
- a BOM, an XML declaration, an HTTP charset, or none: the document's own declaration
  wins, then the BOM, then the HTTP charset, then UTF-8 (the XML default);
- bytes invalid in the declared encoding (Latin-1 sent as UTF-8 is the common case):
  read as Windows-1252 instead of failing the page, so "é" survives;
- control characters that XML 1.0 forbids (form feeds, NULs from database dumps):
  dropped, as no parser would read the page otherwise.
"""

import codecs
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_OAI = "{%s}" % OAI_NS  # noqa: UP031 - the Clark-notation prefix of every OAI tag

DEFAULT_MAX_BYTES = 100 * 1024 * 1024


class BrokenPage(Exception):
    """The response is not a readable OAI-PMH document (retry it, then stop the run)."""


class PageTooLarge(BrokenPage):
    pass


@dataclass
class Header:
    identifier: str
    datestamp: str
    deleted: bool
    set_specs: list


@dataclass
class Item:
    """A record (`metadata` is the payload element, None when deleted) or, in
    ListIdentifiers, a header alone."""

    header: Header | None
    metadata: "etree._Element | None"
    problem: str = ""


@dataclass
class SetInfo:
    spec: str
    name: str


@dataclass
class FormatInfo:
    prefix: str
    schema: str
    namespace: str


@dataclass
class ResumptionToken:
    value: str
    cursor: int | None = None
    complete_list_size: int | None = None
    expiration_date: str = ""


@dataclass
class PageEnd:
    response_date: str = ""
    errors: list = field(default_factory=list)  # [(code, message)]
    token: ResumptionToken | None = None
    identify: dict | None = None
    verb: str = ""


# Bytes to clean UTF-8 -------------------------------------------------------------------


def _fallback_to_cp1252(error):
    """Decode bytes invalid in the declared encoding as Windows-1252."""
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("oai-cp1252", _fallback_to_cp1252)

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _encoding_of(head, http_charset):
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom) if name == "utf-8" else 0
    match = _XML_DECLARATION.match(head)
    candidates = [match[1].decode("ascii") if match else None, http_charset, "utf-8"]
    for name in candidates:
        if name:
            try:
                return codecs.lookup(name).name, 0
            except LookupError:
                continue
    return "utf-8", 0


def utf8_chunks(chunks: Iterable[bytes], *, http_charset=None, max_bytes=DEFAULT_MAX_BYTES):
    """The body as clean UTF-8 chunks (see the module notes)."""
    chunks = iter(chunks)
    total = 0
    inflate = None
    decoder = None
    pending = b""
    for raw in chunks:
        if not raw:
            continue
        if inflate is None and decoder is None and not pending and raw[:2] == b"\x1f\x8b":
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflate.decompress(raw) if inflate else raw
        total += len(data)
        if total > max_bytes:
            raise PageTooLarge(f"the page is larger than {max_bytes // (1024 * 1024)} MB")
        if decoder is None:
            pending += data
            if len(pending) < 256 and b">" not in pending:
                continue
            encoding, skip = _encoding_of(pending, http_charset)
            decoder = codecs.getincrementaldecoder(encoding)(errors="oai-cp1252")
            data, pending = pending[skip:], b""
        text = decoder.decode(data)
        if _ILLEGAL_CHARACTERS.search(text):
            text = _ILLEGAL_CHARACTERS.sub("", text)
        if text:
            yield text.encode("utf-8")
    if decoder is None and pending:
        encoding, skip = _encoding_of(pending, http_charset)
        decoder = codecs.getincrementaldecoder(encoding)(errors="oai-cp1252")
        yield _ILLEGAL_CHARACTERS.sub("", decoder.decode(pending[skip:])).encode("utf-8")
    elif decoder is not None:
        tail = decoder.decode(b"", final=True)
        if tail:
            yield _ILLEGAL_CHARACTERS.sub("", tail).encode("utf-8")


def safe_parser_options():
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


# Parsing ----------------------------------------------------------------------------


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _header(element):
    identifier = datestamp = ""
    sets = []
    for child in element:
        if child.tag == _OAI + "identifier":
            identifier = _text(child)
        elif child.tag == _OAI + "datestamp":
            datestamp = _text(child)
        elif child.tag == _OAI + "setSpec":
            spec = _text(child)
            if spec and spec not in sets:
                sets.append(spec)
    return Header(identifier, datestamp, element.get("status") == "deleted", sets)


def _record(element):
    header_element = element.find(_OAI + "header")
    if header_element is None:
        return Item(None, None, "the record has no header")
    header = _header(header_element)
    metadata = None
    wrapper = element.find(_OAI + "metadata")
    if wrapper is not None:
        metadata = next((child for child in wrapper if isinstance(child.tag, str)), None)
    problem = ""
    if not header.identifier:
        problem = "the record's header has no identifier"
    elif not header.datestamp:
        problem = "the record's header has no datestamp"
    elif not header.deleted and metadata is None:
        problem = "the record has no metadata and is not marked deleted"
    return Item(header, metadata, problem)


def _identify(element):
    facts = {"descriptions": []}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "description":
            facts["descriptions"].append(etree.tostring(child, encoding="unicode")[:4000])
        elif name in ("adminEmail", "compression"):
            facts.setdefault(name, []).append(_text(child))
        else:
            facts[name] = _text(child)
    return facts


_TAGS = [
    _OAI + name
    for name in (
        "record", "header", "set", "metadataFormat", "responseDate", "error",
        "resumptionToken", "Identify", "Identify", "ListMetadataFormats", "ListSets",
        "GetRecord", "ListIdentifiers", "ListRecords",
    )
]  # fmt: skip
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.I | re.S
)


def parse_response(
    chunks: Iterable[bytes], *, http_charset=None, max_bytes=DEFAULT_MAX_BYTES
) -> Iterator:
    """Yield the items of one OAI-PMH response as they arrive, then a `PageEnd`.

    An item's `metadata` element is valid until the next item is read: map it at once.
    The parser reports only the elements named in `_TAGS` (two events per record rather
    than one per element: the parse costs what lxml's own does).
    """
    parser = etree.XMLPullParser(
        events=("end",), tag=_TAGS, encoding="utf-8", **safe_parser_options()
    )
    end = PageEnd()
    head = b""
    try:
        for chunk in utf8_chunks(chunks, http_charset=http_charset, max_bytes=max_bytes):
            if len(head) < 512:
                head += chunk[:512]
            parser.feed(chunk)
            yield from _events(parser, end)
        root = parser.close()
        yield from _events(parser, end)
    except etree.XMLSyntaxError as error:
        if _HTML_START.match(head):
            raise BrokenPage(
                "the server answered with a web page (HTML), not an OAI-PMH response"
            ) from error
        raise BrokenPage(f"the response is not well-formed XML ({error})") from error
    if root.tag != _OAI + "OAI-PMH":
        if etree.QName(root).localname.lower() == "html":
            raise BrokenPage("the server answered with a web page (HTML), not an OAI-PMH response")
        raise BrokenPage(
            "the response is not an OAI-PMH document "
            f"(its root element is <{etree.QName(root).localname}>)"
        )
    yield end


_VERBS = {"Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers"}
_VERBS |= {"ListRecords"}


def _events(parser, end):
    for _event, element in parser.read_events():
        tag = element.tag
        if tag == _OAI + "record":
            yield _record(element)
            _forget(element)
        elif tag == _OAI + "header":
            if element.getparent().tag == _OAI + "record":
                continue
            header = _header(element)
            problem = "" if header.identifier else "the header has no identifier"
            yield Item(header, None, problem)
            _forget(element)
        elif tag == _OAI + "set":
            yield SetInfo(
                _text(element.find(_OAI + "setSpec")), _text(element.find(_OAI + "setName"))
            )
            _forget(element)
        elif tag == _OAI + "metadataFormat":
            yield FormatInfo(
                _text(element.find(_OAI + "metadataPrefix")),
                _text(element.find(_OAI + "schema")),
                _text(element.find(_OAI + "metadataNamespace")),
            )
            _forget(element)
        elif tag == _OAI + "responseDate":
            end.response_date = _text(element)
        elif tag == _OAI + "error":
            end.errors.append((element.get("code", ""), " ".join((element.text or "").split())))
        elif tag == _OAI + "resumptionToken":
            end.token = ResumptionToken(
                value=_text(element),
                cursor=_int_or_none(element.get("cursor")),
                complete_list_size=_int_or_none(element.get("completeListSize")),
                expiration_date=element.get("expirationDate", ""),
            )
        elif tag == _OAI + "Identify":
            end.identify = _identify(element)
        else:
            end.verb = etree.QName(tag).localname


def _forget(element):
    """Free a processed element and the siblings before it (bounded memory)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
