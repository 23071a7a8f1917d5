"""Catalogue factories: sources, records (through `store_items`, the one write path) and
hand-made record data (as the record form produces it)."""

from datetime import UTC, datetime

from coalition.catalogue.models import Record, Source
from coalition.catalogue.oai.metadata import RECORD_FIELDS
from coalition.catalogue.services.records import Incoming, store_items
from coalition.members.models import Organization

DEFAULTS = dict.fromkeys(RECORD_FIELDS, "")
DEFAULTS.update(
    title_translations={}, description_translations={}, creators=[], contributors=[],
    languages=["en"], subjects=[], keywords=[], coverage=[], urls=[], date_created=None,
    date_modified=None, year=None, licence_class="unknown",
)  # fmt: skip


def make_source(name="Repository", country="FR", organization=None, **kwargs):
    if organization is None:
        organization = Organization.objects.create(
            name=f"{name} organization", slug=f"{name.lower().replace(' ', '-')}-org",
            stakeholder_type="library", country=country, status=Organization.Status.MEMBER,
        )  # fmt: skip
    kwargs.setdefault("kind", Source.Kind.MANUAL)
    return Source.objects.create(
        organization=organization, name=name, slug=name.lower().replace(" ", "-"),
        harvest_every_hours=0, **kwargs,
    )  # fmt: skip


def make_record(source, identifier, **fields):
    data = {**DEFAULTS, **fields}
    if data["title_language"] == "" and data["languages"]:
        data["title_language"] = data["languages"][0]
    incoming = Incoming(identifier, datetime(2024, 1, 1, tzinfo=UTC), False, [], data)
    store_items(source, [incoming])
    return Record.objects.get(source=source, identifier=identifier)


def record_form_data(**overrides):
    """POST data of the record form (and of a CSV row, once lists are joined)."""
    data = {
        "title": "Introduction to open licensing",
        "title_language": "en",
        "description": "A short course on choosing an open licence.",
        "creators": "Amina Hassan | 0000-0002-1825-0097",
        "publisher": "Open Learning Institute",
        "date_created": "2024-03-01",
        "languages": "en; fr",
        "urls": "https://example.org/oer/open-licensing",
        "learning_resource_type": "course",
        "educational_level": "higher",
        "subjects": "Copyright; Open education",
        "keywords": "licences",
        "audience": "Teachers",
        "media_format": "HTML",
        "licence": "CC-BY-4.0",
        "rights_statement": "",
        "doi": "",
        "accessibility": "",
        "action_areas": ["1"],
    }
    data.update(overrides)
    return data


def record_data(**overrides):
    """What a submission keeps (the record form's `record_data()`)."""
    from coalition.catalogue.forms import RecordForm

    form = RecordForm(data=record_form_data(**overrides))
    assert form.is_valid(), form.errors
    return form.record_data()
