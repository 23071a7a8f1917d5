"""Catalogue records made through the one write path (services.records.store_items)."""

from datetime import UTC, datetime

from coalition.catalogue.models import Record, Source
from coalition.catalogue.oai.metadata import RECORD_FIELDS
from coalition.catalogue.services.records import Incoming, store_items
from coalition.members.models import Organization

DEFAULTS = dict.fromkeys(RECORD_FIELDS, "")
DEFAULTS.update(
    title_translations={}, description_translations={}, creators=[], contributors=[],
    languages=["en"], subjects=[], keywords=[], urls=[], date_created=None,
    date_modified=None, year=None, licence_class="unknown",
)  # fmt: skip


def make_source(name="Repository", country="FR", **kwargs):
    organization = Organization.objects.create(
        name=f"{name} organization", slug=f"{name.lower().replace(' ', '-')}-org",
        stakeholder_type="library", country=country, status=Organization.Status.MEMBER,
    )  # fmt: skip
    return Source.objects.create(
        organization=organization, name=name, slug=name.lower().replace(" ", "-"),
        kind=Source.Kind.MANUAL, harvest_every_hours=0, **kwargs,
    )  # fmt: skip


def make_record(source, identifier, **fields):
    data = {**DEFAULTS, **fields}
    if data["title_language"] == "" and data["languages"]:
        data["title_language"] = data["languages"][0]
    incoming = Incoming(identifier, datetime(2024, 1, 1, tzinfo=UTC), False, [], data)
    store_items(source, [incoming])
    return Record.objects.get(source=source, identifier=identifier)
