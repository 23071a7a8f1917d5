"""The search document of a work, built from its records (shared by every backend).

The work's primary record gives the text, licence class, type, level and languages;
every visible record of the work adds its source, its source's region and its action
areas, so a work harvested from two sources is found under both.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from ..models import Record, Work
from . import FACET_VALUE_CHARS, facet_token

SUBJECTS_INDEXED = 10

TEXT_FIELDS = (
    "id",
    "work_id",
    "title",
    "title_language",
    "title_translations",
    "description",
    "description_translations",
    "keywords",
    "creators",
    "languages",
    "licence_class",
    "learning_resource_type",
    "educational_level",
    "subjects",
    "year",
    "date_created",
    "datestamp",
    "created_at",
    "source_id",
    "source__organization__region",
)


@dataclass
class Document:
    work_id: int
    title: str
    language: str
    title_text: str
    body_text: str
    other_text: str
    sort_date: datetime | None
    facets: list


def build_documents(work_ids):
    """(documents of the visible works among `work_ids`, ids of the others)."""
    primaries = dict(
        Work.objects.filter(
            id__in=work_ids, deleted=False, primary_record__isnull=False
        ).values_list("id", "primary_record_id")
    )
    rows = list(
        Record.objects.filter(work_id__in=list(primaries))
        .visible()
        .values(*TEXT_FIELDS)
        .order_by("id")
    )
    through = Record.action_areas.through
    areas = {}
    for record_id, area in through.objects.filter(
        record_id__in=[row["id"] for row in rows]
    ).values_list("record_id", "actionarea_id"):
        areas.setdefault(record_id, []).append(area)
    by_work = {}
    for row in rows:
        by_work.setdefault(row["work_id"], []).append(row)
    documents = []
    for work_id, records in by_work.items():
        primary = next((r for r in records if r["id"] == primaries[work_id]), records[0])
        documents.append(_document(work_id, primary, records, areas))
    indexed = {d.work_id for d in documents}
    return documents, [work_id for work_id in work_ids if work_id not in indexed]


def _document(work_id, primary, records, areas):
    facets = [facet_token("licence", primary["licence_class"])]
    for language in dict.fromkeys(code.split("-")[0].lower() for code in primary["languages"]):
        facets.append(facet_token("language", language))
    if primary["learning_resource_type"]:
        facets.append(facet_token("type", primary["learning_resource_type"]))
    if primary["educational_level"]:
        facets.append(facet_token("level", primary["educational_level"]))
    # Harvested Dublin Core names subjects in dc:subject, which the mapper keeps as
    # keywords (oai.metadata); a record without `subjects` is faceted by those.
    subjects = primary["subjects"] or primary["keywords"] or []
    for subject in subjects[:SUBJECTS_INDEXED]:
        subject = " ".join(str(subject).split())[:FACET_VALUE_CHARS]
        if subject:
            facets.append(facet_token("subject", subject))
    if primary["year"]:
        facets.append(facet_token("year", primary["year"]))
    for record in records:
        facets.append(facet_token("source", record["source_id"]))
        if record["source__organization__region"]:
            facets.append(facet_token("region", record["source__organization__region"]))
        facets.extend(facet_token("area", area) for area in areas.get(record["id"], []))
    body = [primary["description"], " ".join(primary["keywords"] or [])]
    body.append(" ".join(person.get("name", "") for person in primary["creators"] or []))
    other = [*primary["title_translations"].values(), *primary["description_translations"].values()]
    created = primary["date_created"]
    sort_date = (
        datetime.combine(created, time(), tzinfo=UTC)
        if created
        else primary["datestamp"] or primary["created_at"]
    )
    return Document(
        work_id=work_id,
        title=primary["title"][:500],
        language=primary["title_language"] or (primary["languages"] or [""])[0],
        title_text=primary["title"],
        body_text="\n".join(part for part in body if part),
        other_text="\n".join(other),
        sort_date=sort_date,
        facets=list(dict.fromkeys(facets)),
    )


def document_from_record(work_id, record, region):
    row = {name: getattr(record, name) for name in TEXT_FIELDS if "__" not in name}
    row["source__organization__region"] = region
    return _document(work_id, row, [row], {})
