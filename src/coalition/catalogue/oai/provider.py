"""The Hub's OAI-PMH 2.0 provider: the union catalogue, one entry per OER.

Items are works (`catalogue.models.Work`), identified as `oai:<site host>:<hub id>`,
described by their primary record. Every work ever served stays: a work whose copies
were all deleted, or that was merged into another, is served with
`status="deleted"` (deletedRecord = persistent).

- Verbs: Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers,
  ListRecords, over GET and POST; every error of the protocol (badVerb, badArgument for
  missing, repeated, illegal or unparsable arguments, badResumptionToken,
  cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, noMetadataFormats never,
  noSetHierarchy never: there are sets).
- Metadata format: `oai_dc` for every work. (No richer format is offered: the fields
  beyond Dublin Core are in the JSON API and the pages' JSON-LD.)
- Sets: `area:<n>` (action areas of the Recommendation), `source:<slug>`,
  `licence:<class>` (open, open-nc, not-open, unknown).
- Dates at second granularity; `from`/`until` inclusive. A list is frozen at its first
  page (its `until` becomes that response's date), so a work changed during a harvest
  is not served twice in one list; the next incremental harvest brings it.
- Resumption tokens are stateless, signed (django.core.signing) and carry cursor,
  completeListSize and expirationDate; paging is by keyset on (datestamp, id), so the
  millionth page costs what the first does.
- Responses stream (StreamingHttpResponse), one page of rows read at a time: memory
  stays flat whatever the list.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from coalition.recommendation.models import ActionArea

from ..models import LicenceClass, Record, Source, Work

VERBS = ("Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers",
         "ListRecords")  # fmt: skip
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
OAI_DC = {
    "prefix": "oai_dc",
    "schema": "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    "namespace": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}
TOKEN_SALT = "coalition.catalogue.oai.token"  # noqa: S105 - a signing namespace, not a secret
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
    'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
)
DC_OPEN = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ '
    'http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
)


class OAIProblem(Exception):
    def __init__(self, code, message):
        self.code, self.message = code, message
        super().__init__(f"{code}: {message}")


def page_size(verb):
    if verb == "ListIdentifiers":
        return getattr(settings, "CATALOGUE_OAI_IDENTIFIERS_PAGE", 500)
    return getattr(settings, "CATALOGUE_OAI_RECORDS_PAGE", 100)


def base_url():
    return settings.SITE_URL + "/oai"


def repository_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def oai_identifier(hub_id):
    return f"oai:{repository_host()}:{hub_id}"


def hub_id_of(identifier):
    prefix = f"oai:{repository_host()}:"
    if not identifier.startswith(prefix):
        return None
    value = identifier[len(prefix) :]
    return value if re.fullmatch(r"[0-9a-f-]{36}", value) else None


def text(value):
    return escape(_ILLEGAL.sub("", str(value)))


def attribute(value):
    return quoteattr(_ILLEGAL.sub("", str(value)))


def utc(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Arguments ----------------------------------------------------------------------------


def parse_date_argument(value, *, until=False):
    """(aware datetime, granularity) of a from/until argument, or OAIProblem."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise OAIProblem("badArgument", f"{value!r} is not a date.") from None
        return (day + timedelta(days=1, microseconds=-1) if until else day), "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise OAIProblem("badArgument", f"{value!r} is not a date.")
        return (moment + timedelta(microseconds=999_999) if until else moment), "second"
    raise OAIProblem(
        "badArgument", f"{value!r} is not a date of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ."
    )


def check_arguments(arguments):
    """The verb and its arguments, or OAIProblem (arguments: {name: [values]})."""
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if len(verbs) > 1:
            raise OAIProblem("badVerb", "The verb argument is repeated.")
        raise OAIProblem("badVerb", "The verb is missing or is not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    given = {name for name in arguments if name != "verb"}
    repeated = [name for name, values in arguments.items() if len(values) > 1]
    if repeated:
        raise OAIProblem("badArgument", f"Repeated argument: {', '.join(sorted(repeated))}.")
    illegal = given - required - optional
    if illegal:
        raise OAIProblem("badArgument", f"Illegal argument: {', '.join(sorted(illegal))}.")
    values = {name: arguments[name][0] for name in given}
    if "resumptionToken" in values:
        if given != {"resumptionToken"}:
            raise OAIProblem("badArgument", "resumptionToken is an exclusive argument.")
        return verb, values
    missing = required - given
    if missing:
        raise OAIProblem("badArgument", f"Missing argument: {', '.join(sorted(missing))}.")
    return verb, values


# Tokens -------------------------------------------------------------------------------


def make_token(state):
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def read_token(verb, token):
    max_age = getattr(settings, "CATALOGUE_OAI_TOKEN_SECONDS", 86400)
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise OAIProblem("badResumptionToken", "The resumption token has expired.") from None
    except signing.BadSignature:
        raise OAIProblem("badResumptionToken", "The resumption token is not valid.") from None
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OAIProblem("badResumptionToken", "The resumption token is for another request.")
    return state


# Selecting works ----------------------------------------------------------------------


@dataclass
class ListRequest:
    verb: str
    prefix: str
    set_spec: str
    start: datetime | None
    end: datetime
    cursor: int
    size: int | None
    after: tuple | None  # (datestamp iso, id) of the last item served


def set_filter(works, set_spec):
    kind, _sep, value = set_spec.partition(":")
    if kind == "licence" and value in LicenceClass.values:
        return works.filter(primary_record__licence_class=value)
    if kind == "source" and value:
        return works.filter(Exists(Record.objects.filter(work=OuterRef("pk"), source__slug=value)))
    if kind == "area" and value.isdigit():
        return works.filter(
            Exists(Record.objects.filter(work=OuterRef("pk"), action_areas__number=int(value)))
        )
    return None


def list_request(verb, values, now):
    if "resumptionToken" in values:
        state = read_token(verb, values["resumptionToken"])
        return ListRequest(
            verb=verb,
            prefix=state["prefix"],
            set_spec=state.get("set", ""),
            start=datetime.fromisoformat(state["start"]) if state.get("start") else None,
            end=datetime.fromisoformat(state["end"]),
            cursor=state["cursor"],
            size=state.get("size"),
            after=(state["after"][0], state["after"][1]),
        )
    if values["metadataPrefix"] != "oai_dc":
        raise OAIProblem("cannotDisseminateFormat", "The Hub serves oai_dc.")
    start = end = None
    granularities = set()
    if values.get("from"):
        start, granularity = parse_date_argument(values["from"])
        granularities.add(granularity)
    if values.get("until"):
        end, granularity = parse_date_argument(values["until"], until=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OAIProblem("badArgument", "from and until must have the same granularity.")
    if start and end and start > end:
        raise OAIProblem("badArgument", "from is later than until.")
    # Frozen at this instant: works changed from now on wait for the next harvest.
    end = min(end, now) if end else now
    return ListRequest(verb, "oai_dc", values.get("set", ""), start, end, 0, None, None)


def selected_works(request):
    works = Work.objects.all()
    if request.set_spec:
        works = set_filter(works, request.set_spec)
        if works is None:
            raise OAIProblem("noRecordsMatch", f"There is no set {request.set_spec!r}.")
    if request.start:
        works = works.filter(datestamp__gte=request.start)
    return works.filter(datestamp__lte=request.end)


def page_of_works(request, limit):
    works = selected_works(request)
    if request.after:
        # Keyset: after (datestamp, id) of the last item, as a range scan of the index.
        stamp = datetime.fromisoformat(request.after[0])
        works = works.filter(datestamp__gte=stamp).exclude(
            datestamp=stamp, pk__lte=request.after[1]
        )
    return list(
        works.order_by("datestamp", "pk").values("pk", "hub_id", "datestamp", "deleted",
                                                  "primary_record_id")[: limit + 1]
    )  # fmt: skip


# Rendering ----------------------------------------------------------------------------


def set_specs_for(rows):
    """{work id: [setSpec]} for a page of works, in two queries."""
    work_ids = [row["pk"] for row in rows]
    specs = {work_id: [] for work_id in work_ids}
    for work_id, slug, licence in (
        Record.objects.filter(work_id__in=work_ids)
        .values_list("work_id", "source__slug", "work__primary_record__licence_class")
        .distinct()
    ):
        if f"licence:{licence}" not in specs[work_id] and licence:
            specs[work_id].append(f"licence:{licence}")
        specs[work_id].append(f"source:{slug}")
    through = Record.action_areas.through
    for work_id, area in (
        through.objects.filter(record__work_id__in=work_ids)
        .values_list("record__work_id", "actionarea_id")
        .distinct()
    ):
        specs[work_id].append(f"area:{area}")
    return {work_id: list(dict.fromkeys(sorted(values))) for work_id, values in specs.items()}


RECORD_COLUMNS = (
    "id", "title", "title_language", "title_translations", "description",
    "description_translations", "creators", "contributors", "publisher", "date_created",
    "year", "languages", "keywords", "coverage", "learning_resource_type", "urls", "media_format",
    "licence_url", "licence_spdx", "rights_statement", "doi", "source__name",
)  # fmt: skip


def header_xml(row, specs):
    status = ' status="deleted"' if row["deleted"] else ""
    sets = "".join(f"<setSpec>{text(spec)}</setSpec>" for spec in specs)
    return (
        f"<header{status}><identifier>{text(oai_identifier(row['hub_id']))}</identifier>"
        f"<datestamp>{utc(row['datestamp'])}</datestamp>{sets}</header>"
    )


def _dc(name, value, lang=""):
    if not value:
        return ""
    lang_attribute = f" xml:lang={attribute(lang)}" if lang else ""
    return f"<dc:{name}{lang_attribute}>{text(value)}</dc:{name}>"


def dc_xml(record, hub_id):
    parts = [DC_OPEN]
    parts.append(_dc("title", record["title"], record["title_language"]))
    parts += [_dc("title", value, lang) for lang, value in record["title_translations"].items()]
    parts += [_dc("creator", person.get("name")) for person in record["creators"]]
    parts += [_dc("subject", keyword) for keyword in record["keywords"]]
    parts.append(_dc("description", record["description"], record["title_language"]))
    parts += [
        _dc("description", value, lang)
        for lang, value in record["description_translations"].items()
    ]
    parts.append(_dc("publisher", record["publisher"]))
    parts += [_dc("contributor", person.get("name")) for person in record["contributors"]]
    if record["date_created"]:
        parts.append(_dc("date", record["date_created"].isoformat()))
    elif record["year"]:
        parts.append(_dc("date", str(record["year"])))
    parts.append(_dc("type", record["learning_resource_type"]))
    parts.append(_dc("format", record["media_format"]))
    # The resource's own addresses first (harvesters take the first as its link), the
    # Hub's page of the entry after them.
    parts += [_dc("identifier", url) for url in record["urls"]]
    parts.append(_dc("identifier", settings.SITE_URL + f"/records/{hub_id}/"))
    if record["doi"]:
        parts.append(_dc("identifier", f"https://doi.org/{record['doi']}"))
    parts.append(_dc("source", record["source__name"]))
    parts += [_dc("language", language) for language in record["languages"]]
    parts += [_dc("coverage", value) for value in record["coverage"]]
    parts.append(_dc("rights", record["licence_url"]))
    if record["rights_statement"] and record["rights_statement"] != record["licence_url"]:
        parts.append(_dc("rights", record["rights_statement"]))
    parts.append("</oai_dc:dc>")
    return "".join(parts)


def items_xml(rows, with_metadata):
    """The XML of a page of works, one string per work."""
    specs = set_specs_for(rows)
    records = {}
    if with_metadata:
        ids = [row["primary_record_id"] for row in rows if not row["deleted"]]
        records = {
            record["id"]: record
            for record in Record.objects.filter(pk__in=ids).values(*RECORD_COLUMNS)
        }
    for row in rows:
        header = header_xml(row, specs[row["pk"]])
        if not with_metadata:
            yield header
            continue
        record = records.get(row["primary_record_id"])
        if row["deleted"] or record is None:
            yield f"<record>{header_xml({**row, 'deleted': True}, specs[row['pk']])}</record>"
        else:
            yield f"<record>{header}<metadata>{dc_xml(record, row['hub_id'])}</metadata></record>"


# Responses ----------------------------------------------------------------------------


def request_xml(values, verb=None):
    attributes = ""
    if verb:
        attributes = f" verb={attribute(verb)}" + "".join(
            f" {name}={attribute(value)}" for name, value in sorted(values.items())
        )
    return f"<request{attributes}>{text(base_url())}</request>"


def envelope_start(now, values, verb=None):
    return f"{HEAD}<responseDate>{utc(now)}</responseDate>{request_xml(values, verb)}"


def error_response(now, problems, values=None, verb=None):
    errors = "".join(
        f"<error code={attribute(code)}>{text(message)}</error>" for code, message in problems
    )
    # badVerb and badArgument answers carry no request attributes (the spec's rule).
    codes = {code for code, _message in problems}
    echo = verb if codes.isdisjoint({"badVerb", "badArgument"}) else None
    return envelope_start(now, values or {}, echo) + errors + "</OAI-PMH>"


def respond(arguments, now=None):
    """An iterator of str chunks answering one OAI-PMH request (arguments: name → [values])."""
    now = now or timezone.now()
    try:
        verb, values = check_arguments(arguments)
    except OAIProblem as problem:
        return iter([error_response(now, [(problem.code, problem.message)])])
    try:
        handler = HANDLERS[verb]
        return handler(verb, values, now)
    except OAIProblem as problem:
        return iter([error_response(now, [(problem.code, problem.message)], values, verb)])


def identify(verb, values, now):
    earliest = Work.objects.order_by("datestamp").values_list("datestamp", flat=True).first()
    admin = getattr(settings, "CATALOGUE_OAI_ADMIN_EMAIL", "") or settings.SECRETARIAT_EMAIL
    body = (
        f"<Identify><repositoryName>{text(settings.HUB_NAME)}</repositoryName>"
        f"<baseURL>{text(base_url())}</baseURL><protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{text(admin)}</adminEmail>"
        f"<earliestDatestamp>{utc(earliest or now)}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
    )
    return iter([envelope_start(now, values, verb) + body + "</OAI-PMH>"])


def list_metadata_formats(verb, values, now):
    if "identifier" in values:
        _work_by_identifier(values["identifier"])
    body = (
        "<ListMetadataFormats><metadataFormat>"
        f"<metadataPrefix>{OAI_DC['prefix']}</metadataPrefix><schema>{OAI_DC['schema']}</schema>"
        f"<metadataNamespace>{OAI_DC['namespace']}</metadataNamespace>"
        "</metadataFormat></ListMetadataFormats>"
    )
    return iter([envelope_start(now, values, verb) + body + "</OAI-PMH>"])


def list_sets(verb, values, now):
    if "resumptionToken" in values:
        raise OAIProblem("badResumptionToken", "ListSets is answered in one response.")
    sets = [(f"licence:{code}", str(label)) for code, label in LicenceClass.choices]
    sets += [(f"area:{area.number}", area.title) for area in ActionArea.objects.order_by("number")]
    sets += [
        (f"source:{slug}", name)
        for slug, name in Source.objects.order_by("slug").values_list("slug", "name")
    ]
    body = "".join(
        f"<set><setSpec>{text(spec)}</setSpec><setName>{text(name)}</setName></set>"
        for spec, name in sets
    )
    return iter([envelope_start(now, values, verb) + f"<ListSets>{body}</ListSets></OAI-PMH>"])


def _work_by_identifier(identifier):
    hub_id = hub_id_of(identifier)
    row = None
    if hub_id:
        row = (
            Work.objects.filter(hub_id=hub_id)
            .values("pk", "hub_id", "datestamp", "deleted", "primary_record_id")
            .first()
        )
    if row is None:
        raise OAIProblem(
            "idDoesNotExist", f"{identifier!r} is not an identifier of this repository."
        )
    return row


def get_record(verb, values, now):
    row = _work_by_identifier(values["identifier"])
    if values["metadataPrefix"] != "oai_dc":
        raise OAIProblem("cannotDisseminateFormat", "The Hub serves oai_dc.")
    (item,) = items_xml([row], with_metadata=True)
    return iter([envelope_start(now, values, verb) + f"<GetRecord>{item}</GetRecord></OAI-PMH>"])


def list_items(verb, values, now):
    request = list_request(verb, values, now)
    limit = page_size(verb)
    rows = page_of_works(request, limit)
    if not rows and request.after is None:
        raise OAIProblem("noRecordsMatch", "No record matches the request.")
    more = len(rows) > limit
    rows = rows[:limit]
    size = request.size
    if size is None:
        size = selected_works(request).count() if more else len(rows)

    def stream():
        yield envelope_start(now, values, verb) + f"<{verb}>"
        yield from items_xml(rows, with_metadata=verb == "ListRecords")
        if more or request.after is not None:
            yield token_xml(request, rows, size, more, now)
        yield f"</{verb}></OAI-PMH>"

    return stream()


def token_xml(request, rows, size, more, now):
    attributes = f' completeListSize="{size}" cursor="{request.cursor}"'
    if not more:
        return f"<resumptionToken{attributes}/>"
    last = rows[-1]
    state = {
        "verb": request.verb,
        "prefix": request.prefix,
        "set": request.set_spec,
        "start": request.start.isoformat() if request.start else "",
        "end": request.end.isoformat(),
        "cursor": request.cursor + len(rows),
        "size": size,
        "after": [last["datestamp"].isoformat(), last["pk"]],
    }
    seconds = getattr(settings, "CATALOGUE_OAI_TOKEN_SECONDS", 86400)
    expires = utc(now + timedelta(seconds=seconds))
    return (
        f'<resumptionToken expirationDate="{expires}"{attributes}>'
        f"{text(make_token(state))}</resumptionToken>"
    )


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_items,
    "ListRecords": list_items,
}
