"""The demo catalogue: `load_demo_catalogue()` (`manage.py load_demo_catalogue`).

Data is `catalogue.toml` beside this module. Each OAI-PMH source there is registered and
harvested by the real services (`register_source`, `harvest_source`), talking to an
OAI-PMH repository simulated in memory (`DemoRepository`, an httpx transport): its
Identify, ListMetadataFormats and ListRecords pages are written from the data file,
deterministically, 100 records a page with resumption tokens. A second, incremental
harvest brings updates and deletions. Near-duplicates across sources (the same link
spelled differently, or the same DOI) become one OER with several provenances. The
ministry's records are hand-made, through the moderation services, some left waiting.

Demo sources are never harvested by the workers (their addresses are `.invalid`): their
schedule is "only when asked". Idempotent: a source already there is left as it is.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import httpx
from django.db import transaction
from django.utils import translation

from ..models import Record, RecordSubmission, Source

DATA = Path(__file__).with_name("catalogue.toml")
PAGE_SIZE = 100
FIRST_STAMP = "2024-01-15T10:00:00Z"
SECOND_STAMP = "2024-06-03T09:30:00Z"
RESPONSE_FIRST = "2024-01-20T08:00:00Z"
RESPONSE_SECOND = "2024-06-10T08:00:00Z"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


@cache
def dataset():
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class DemoRecord:
    identifier: str
    language: str
    title: str
    description: str
    creators: list
    year: int
    date: str
    subject: str
    type: str
    level: str
    format: str
    url: str
    doi: str
    rights: str
    publisher: str


def _spec(slug):
    return next(spec for spec in dataset()["source"] if spec["slug"] == slug)


def record_fields(spec, number, *, revised=False):
    """Record `number` of a source, the same on every machine and every run."""
    data = dataset()
    seed = sum(map(ord, spec["slug"]))
    language = spec["languages"][number % len(spec["languages"])]
    topics = data["topic"]
    topic = topics[(number + seed) % len(topics)]
    patterns = data["titles"][language]
    pattern = patterns[(number // len(topics)) % len(patterns)]
    n = number // (len(topics) * len(patterns)) + 1
    title = pattern.format(topic=topic[language], n=n)
    if "{n}" not in pattern:
        title += " – " + data["units"][language].format(n=n)
    description = data["descriptions"][language].format(topic=topic[language])
    if revised:
        description += " (2024)"
    people = data["people"]["names"]
    creators = [people[(number * 3 + seed) % len(people)]]
    if number % 3 == 0:
        creators.append(people[(number * 5 + seed + 1) % len(people)])
    year = 2014 + (number * 7 + seed) % 11
    vocabulary = data["vocabulary"]
    host = urlsplit(spec["base_url"]).hostname
    return DemoRecord(
        identifier=f"oai:{host}:{spec['slug']}/{number}",
        language=language,
        title=title,
        description=description,
        creators=creators,
        year=year,
        date=f"{year}-{(number % 12) + 1:02d}-{(number % 27) + 1:02d}",
        subject=topic[language],
        type=vocabulary["types"][number % len(vocabulary["types"])],
        level=vocabulary["levels"][(number // 3) % len(vocabulary["levels"])],
        format=vocabulary["formats"][number % len(vocabulary["formats"])],
        url=f"https://{host}/{spec['slug']}/resources/{number}",
        doi=f"10.5555/demo.{spec['slug']}.{number}" if number % 5 == 0 else "",
        rights=spec["licences"][(number * 5 + number // 7) % len(spec["licences"])],
        publisher=spec.get("publisher", ""),
    )


def demo_record(spec, number, *, revised=False):
    """Record `number` as the source serves it: a near-duplicate of the shared source's
    record of the same number every `shared_every` records."""
    shared = spec.get("shares_with")
    if shared and number % spec["shared_every"] == 0:
        other = _spec(shared)
        if number < other["records"]:
            original = record_fields(other, number)
            own = record_fields(spec, number)
            # The same resource: same title, authors and year, its link spelled another
            # way (or, with a DOI, the same DOI); the licence as this source states it.
            original.identifier = own.identifier
            original.url = original.url.replace("https://", "http://www.") + "/"
            original.rights = own.rights
            return original
    return record_fields(spec, number, revised=revised)


def _record_xml(record, prefix, stamp, deleted=False):
    status = ' status="deleted"' if deleted else ""
    header = (
        f"<header{status}>"
        f"<identifier>{escape(record.identifier)}</identifier>"
        f"<datestamp>{stamp}</datestamp></header>"
    )
    if deleted:
        return f"<record>{header}</record>"
    lang = record.language
    parts = [
        f'<dc:title xml:lang="{lang}">{escape(record.title)}</dc:title>',
        *(f"<dc:creator>{escape(name)}</dc:creator>" for name in record.creators),
        f"<dc:subject>{escape(record.subject)}</dc:subject>",
        f'<dc:description xml:lang="{lang}">{escape(record.description)}</dc:description>',
        f"<dc:publisher>{escape(record.publisher)}</dc:publisher>",
        f"<dc:date>{record.date}</dc:date>",
        f"<dc:type>{escape(record.type)}</dc:type>",
        f"<dc:format>{escape(record.format)}</dc:format>",
        f"<dc:identifier>{escape(record.url)}</dc:identifier>",
        *([f"<dc:identifier>https://doi.org/{record.doi}</dc:identifier>"] if record.doi else []),
        f"<dc:language>{lang}</dc:language>",
        f"<dc:rights>{escape(record.rights)}</dc:rights>",
    ]
    if prefix == "qdc":
        parts.append(f"<dcterms:educationLevel>{escape(record.level)}</dcterms:educationLevel>")
        body = (
            '<qdc:qualifieddc xmlns:qdc="http://dspace.org/qualifieddc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/">' + "".join(parts) + "</qdc:qualifieddc>"
        )
    else:
        body = (
            '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">' + "".join(parts) + "</oai_dc:dc>"
        )
    return f"<record>{header}<metadata>{body}</metadata></record>"


class DemoRepository:
    """One demo source's OAI-PMH repository, as an httpx transport handler."""

    def __init__(self, spec):
        self.spec = spec
        self.day = spec["granularity"] == "YYYY-MM-DD"

    def stamp(self, moment):
        return moment[:10] if self.day else moment

    def envelope(self, verb, body, response_date=RESPONSE_FIRST):
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>{response_date}</responseDate>"
            f'<request verb="{verb}">{escape(self.spec["base_url"])}</request>'
            f"{body}</OAI-PMH>"
        )

    def __call__(self, request):
        params = {key: values[0] for key, values in parse_qs(request.url.query.decode()).items()}
        verb = params.get("verb")
        if verb == "Identify":
            body = (
                f"<Identify><repositoryName>{escape(self.spec['name'])}</repositoryName>"
                f"<baseURL>{escape(self.spec['base_url'])}</baseURL>"
                "<protocolVersion>2.0</protocolVersion>"
                "<adminEmail>oai@demo.invalid</adminEmail>"
                f"<earliestDatestamp>{self.stamp('2014-01-01T00:00:00Z')}</earliestDatestamp>"
                "<deletedRecord>persistent</deletedRecord>"
                f"<granularity>{self.spec['granularity']}</granularity></Identify>"
            )
        elif verb == "ListMetadataFormats":
            body = (
                "<ListMetadataFormats>"
                + "".join(
                    f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix>"
                    f"<schema>{schema}</schema><metadataNamespace>{namespace}</metadataNamespace>"
                    "</metadataFormat>"
                    for prefix, schema, namespace in (
                        (
                            "oai_dc",
                            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                            "http://www.openarchives.org/OAI/2.0/oai_dc/",
                        ),
                        (
                            "qdc",
                            "http://dspace.org/qualifieddc.xsd",
                            "http://dspace.org/qualifieddc/",
                        ),
                    )
                )
                + "</ListMetadataFormats>"
            )
        elif verb == "ListRecords":
            return httpx.Response(200, text=self.list_records(params),
                                  headers={"Content-Type": "text/xml; charset=utf-8"})  # fmt: skip
        else:
            body = '<error code="badVerb">Illegal OAI verb</error>'
        return httpx.Response(200, text=self.envelope(verb or "", body),
                              headers={"Content-Type": "text/xml; charset=utf-8"})  # fmt: skip

    def list_records(self, params):
        token = params.get("resumptionToken", "")
        if token:
            phase, _sep, offset = token.partition(":")
            prefix, _sep, offset = offset.partition(":")
            offset = int(offset)
        else:
            phase = "update" if params.get("from") else "full"
            prefix, offset = params.get("metadataPrefix", "oai_dc"), 0
        numbers = self.numbers(phase)
        page = numbers[offset : offset + PAGE_SIZE]
        response_date = RESPONSE_FIRST if phase == "full" else RESPONSE_SECOND
        if not page:
            return self.envelope(
                "ListRecords", '<error code="noRecordsMatch">No records</error>', response_date
            )
        records = "".join(self.record(phase, number, prefix) for number in page)
        following = offset + PAGE_SIZE
        token_xml = (
            f'<resumptionToken cursor="{offset}" completeListSize="{len(numbers)}">'
            f"{phase}:{prefix}:{following}</resumptionToken>"
            if following < len(numbers)
            else f'<resumptionToken cursor="{offset}" completeListSize="{len(numbers)}"/>'
        )
        return self.envelope(
            "ListRecords", f"<ListRecords>{records}{token_xml}</ListRecords>", response_date
        )

    def numbers(self, phase):
        count = self.spec["records"]
        if phase == "full":
            return list(range(count))
        every = self.spec["deleted_every"]
        return [n for n in range(count) if n % every == 0 or n % (every + 1) == 0]

    def record(self, phase, number, prefix):
        if phase == "full":
            return _record_xml(demo_record(self.spec, number), prefix, self.stamp(FIRST_STAMP))
        deleted = number % self.spec["deleted_every"] == 0 and number > 0
        record = demo_record(self.spec, number, revised=True)
        return _record_xml(record, prefix, self.stamp(SECOND_STAMP), deleted=deleted)


def demo_client(spec):
    from ..oai.client import OAIClient

    return OAIClient(
        spec["base_url"], attempts=1, backoff=0, transport=httpx.MockTransport(DemoRepository(spec))
    )


def _load_source(spec, organizations):
    from ..services.harvesting import harvest_source
    from ..services.sources import register_source

    if Source.objects.filter(slug=spec["slug"]).exists():
        return 0
    organization = organizations.get(spec["organization"])
    if organization is None:
        return 0
    client = demo_client(spec)
    try:
        source = register_source(
            organization, spec["base_url"], name=spec["name"], client=client,
            harvest_every_hours=0, harvest_now=False,
        )  # fmt: skip
        Source.objects.filter(pk=source.pk).update(slug=spec["slug"])
        harvest_source(source.pk, full=True, client=client)
        harvest_source(source.pk, client=client)  # updates and deletions
    finally:
        client.close()
    return Record.objects.filter(source=source).count()


def _load_manual(spec, organizations):
    from coalition.members.models import User

    from ..forms import RecordForm
    from ..services import submissions
    from ..services.sources import add_manual_source

    organization = organizations.get(spec["organization"])
    user = User.objects.filter(email=spec["account"]).first()
    secretariat = User.objects.filter(is_secretariat=True).order_by("pk").first()
    if organization is None or user is None or secretariat is None:
        return 0
    source = add_manual_source(organization)
    if RecordSubmission.objects.filter(source=source).exists():
        return 0
    fake = {"slug": f"{organization.slug}-manual", "base_url": "https://hub.demo.invalid/x",
            "languages": ["fr", "fr", "en"], "licences": ["CC BY 4.0", "CC BY-SA 4.0"],
            "publisher": str(organization)}  # fmt: skip
    made = []
    for number in range(spec["published"] + spec["pending"]):
        record = record_fields(fake, number)
        form = RecordForm(
            data={
                "title": record.title, "title_language": record.language,
                "description": record.description, "creators": "\n".join(record.creators),
                "publisher": record.publisher, "date_created": record.date,
                "languages": record.language,
                "urls": f"https://education.demo.invalid/ressources/{number}",
                "learning_resource_type": "lesson", "educational_level": "primary",
                "subjects": record.subject, "keywords": record.subject,
                "licence": "CC-BY-4.0" if number % 2 else "CC-BY-SA-4.0",
                "action_areas": [str(1 + number % 5)],
            }
        )  # fmt: skip
        assert form.is_valid(), form.errors
        made.append(form.record_data())
    created = submissions.submit_records(user=user, organization=organization, records=made)
    submissions.approve_submissions(created[: spec["published"]], by=secretariat)
    return len(created)


def load_demo_catalogue():
    """Create whatever part of the demo catalogue is missing; return counts."""
    from coalition.members import demo as members_demo
    from coalition.members.models import Organization

    members_demo.load_demo_data()
    organizations = {o.slug: o for o in Organization.objects.all()}
    counts = {}
    with translation.override("en"):
        for spec in dataset()["source"]:
            counts[spec["slug"]] = _load_source(spec, organizations)
        with transaction.atomic():
            counts["manual"] = _load_manual(dataset()["manual"], organizations)
    return counts


__all__ = ["LANGUAGES", "load_demo_catalogue"]
