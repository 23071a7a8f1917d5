"""Reads of the catalogue shared by pages, the API, exports and the dashboard.

Every function returns plain querysets or lists in a fixed, small number of queries
(the search itself is `catalogue.search.search`; these load what it found).
"""

from django.db.models import Count, F, Prefetch, Q

from .models import HarvestRun, Record, Source, Work


def works_for_page(work_ids):
    """The works of a search page in the given order, each with `primary_record`
    (and its source and organization) and `copies` (every visible record: provenance).
    Three queries whatever the page size."""
    copies = Prefetch(
        "records",
        queryset=Record.objects.visible().select_related("source__organization").order_by("id"),
        to_attr="copies",
    )
    works = (
        Work.objects.filter(pk__in=list(work_ids))
        .select_related("primary_record__source__organization")
        .prefetch_related(copies)
    )
    by_id = {work.pk: work for work in works}
    return [by_id[pk] for pk in work_ids if pk in by_id]


EXPORT_FIELDS = (
    "title", "title_language", "creators", "publisher", "year", "languages",
    "learning_resource_type", "educational_level", "subjects", "keywords", "urls",
    "licence_spdx", "licence_class", "rights_statement",
)  # fmt: skip


def export_rows(work_ids):
    """({work id: hub_id and the primary record's EXPORT_FIELDS}, {work id: [source
    names of its visible copies]}) for a chunk of an export, as plain values: two queries."""
    rows = {
        row["pk"]: row
        for row in Work.objects.filter(pk__in=list(work_ids), primary_record__isnull=False)
        .values("pk", "hub_id", *(f"primary_record__{name}" for name in EXPORT_FIELDS))
        .iterator(chunk_size=len(work_ids) or 1)
    }
    for row in rows.values():
        for name in EXPORT_FIELDS:
            row[name] = row.pop(f"primary_record__{name}")
    sources = {}
    copies = (
        Record.objects.visible()
        .filter(work_id__in=list(work_ids))
        .order_by("id")
        .values_list("work_id", "source__name")
    )
    for work_id, name in copies:
        sources.setdefault(work_id, []).append(name)
    return rows, sources


def work_by_hub_id(hub_id):
    """A work with its copies and their action areas, or None. A merged work answers with
    the work it was merged into (its Hub id keeps resolving)."""
    work = (
        Work.objects.filter(hub_id=hub_id)
        .select_related("primary_record__source__organization", "merged_into")
        .first()
    )
    if work is None:
        return None
    if work.merged_into_id:
        return work_by_hub_id(work.merged_into.hub_id)
    work.copies = list(
        work.records.visible()
        .select_related("source__organization", "harvest_run")
        .prefetch_related("action_areas")
        .order_by("id")
    )
    return work


def record_history(record):
    return list(record.changes.select_related("run").order_by("at", "id"))


def records_added_between(start, end, *, limit=None):
    """Visible primary records of works first seen in [start, end) (the Update's
    "Publications and resources"), newest first."""
    records = (
        Record.objects.visible()
        .filter(created_at__gte=start, created_at__lt=end, work__deleted=False)
        .filter(work__primary_record=F("pk"))  # one line per OER, not per copy
        .select_related("source__organization", "work")
        .order_by("-created_at", "-id")
    )
    return records[:limit] if limit else records


def sources_of_organization(organization):
    """An organization's sources with their visible record counts (its page)."""
    return (
        Source.objects.filter(organization=organization)
        .annotate(record_count=Count("records", filter=Q(records__deleted=False)))
        .order_by("name")
    )


def latest_runs(source, limit=20):
    return list(HarvestRun.objects.filter(source=source).order_by("-started_at", "-pk")[:limit])


def dashboard_counts():
    """Visible works by licence class, language and region of their sources (the
    dashboard's figures), read from the search index's facet counts."""
    from . import search

    result = search.search(search.Query(per_page=1))
    counts = {name: result.facets.get(name, []) for name in ("licence", "language", "region")}
    counts["total"] = result.total
    return counts


# Citations: activities cite records (activities.Activity.cited_records) -----------------


def citable_records():
    """Records an activity may cite: visible copies of works still in the catalogue."""
    return Record.objects.visible().filter(work__deleted=False)


def records_to_cite(text, *, limit=10):
    """Records whose title matches `text` (the catalogue's own search, one OER per line,
    its primary record), or the record of a Hub id or record page address given as is."""
    import re

    from . import search

    text = (text or "").strip()
    if not text:
        return []
    hub_id = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text, re.I)
    if hub_id:
        return list(
            citable_records()
            .filter(work__hub_id=hub_id.group(0).lower(), work__primary_record=F("pk"))
            .select_related("work")
        )
    found = search.search(search.Query(text=text[:200], per_page=limit, with_facets=False))
    records = {
        record.work_id: record
        for record in citable_records()
        .filter(work_id__in=found.work_ids, work__primary_record=F("pk"))
        .select_related("work")
    }
    return [records[work_id] for work_id in found.work_ids if work_id in records]


def cited_records_of(record_ids):
    """{id: record} of these records if they may be shown (visible), with their work."""
    return {
        record.pk: record
        for record in citable_records().filter(pk__in=list(record_ids)).select_related("work")
    }


def citing_activities(work):
    """Published activities citing any copy of `work`, newest first (its "Cited by")."""
    # The Activity model, reached through its relation: the catalogue imports no activities
    # module (activities cite the catalogue, not the other way round).
    activity_model = Record.citing_activities.field.model
    return list(
        activity_model.objects.published()
        .filter(cited_records__work=work)
        .distinct()
        .order_by("-published_at", "-pk")
    )
