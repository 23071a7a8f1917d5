"""Activities as JSON snapshots: what a Submission proposes, and applying it.

A snapshot holds plain values only (ids, codes, ISO 8601 datetimes in UTC), so a
proposal survives in the database unchanged until the secretariat decides on it.
"""

from datetime import datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime

from coalition.catalogue.models import Record
from coalition.core.translated import localized_column, localized_columns
from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.models import ActionArea, Language
from coalition.recommendation.regions import region_for_country

from .models import Activity, Coverage, Link

TRANSLATED = ("title", "summary")
SCALARS = (
    "kind",
    "event_format",
    "time_zone",
    "location",
    "is_online",
    "registration_required",
    "registration_open",
    "capacity",
    "access_url",
    "contact_name",
    "contact_email",
    "contact_is_public",
)
DATETIMES = ("starts_at", "ends_at", "deadline")
# Changing any of these on a published event is news for calendars (iCalendar SEQUENCE).
SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "location", "is_online", "title")


def translated_columns():
    return [column for field in TRANSLATED for column in localized_columns(field)]


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def snapshot_of(activity):
    """The current content of an activity as a snapshot (for editing a published one)."""
    data = {column: getattr(activity, column) or "" for column in translated_columns()}
    data.update({name: getattr(activity, name) for name in SCALARS})
    data.update({name: _iso(getattr(activity, name)) for name in DATETIMES})
    data["organizations"] = sorted(activity.organizations.values_list("pk", flat=True))
    data["action_areas"] = sorted(activity.action_areas.values_list("pk", flat=True))
    data["working_groups"] = sorted(activity.working_groups.values_list("pk", flat=True))
    data["languages"] = sorted(activity.languages.values_list("pk", flat=True))
    data["countries"] = sorted(
        str(c) for c in activity.coverage.exclude(country="").values_list("country", flat=True)
    )
    data["regions"] = sorted(
        activity.coverage.filter(country="").exclude(region="").values_list("region", flat=True)
    )
    data["links"] = [_link_snapshot(link) for link in activity.links.all()]
    # Only when it cites some: snapshots made before citations existed have no such key.
    cited = sorted(activity.cited_records.values_list("pk", flat=True))
    if cited:
        data["cited_records"] = cited
    return data


def _link_snapshot(link):
    """A link as {"label", "url"}; with "labels" ({language: label}) when it has a label in
    more than one language (a link written once keeps the plain shape)."""
    data = {"label": link.label, "url": link.url}
    labels = {
        language: text
        for language in settings.MODELTRANSLATION_LANGUAGES
        if (text := getattr(link, localized_column("label", language)))
    }
    if len(labels) > 1:
        data["labels"] = labels
    return data


def _link(activity, link):
    """A snapshot's link as a row: its label in each language given ("labels"), or the one
    label, written in the active language as any translated field is."""
    labels = link.get("labels")
    if not labels:
        return Link(activity=activity, label=link["label"], url=link["url"])
    row = Link(
        activity=activity,
        url=link["url"],
        **{localized_column("label", language): text for language, text in labels.items()},
    )
    # The untranslated column, written raw (as the title's): the descriptor would pick a
    # language column.
    row.__dict__["label"] = link["label"]
    return row


def snapshot_from_form(cleaned_data):
    """A snapshot from ActivityForm.cleaned_data."""
    data = {column: cleaned_data.get(column) or "" for column in translated_columns()}
    data.update({name: cleaned_data.get(name) for name in SCALARS})
    for name in (
        "event_format",
        "time_zone",
        "location",
        "access_url",
        "contact_name",
        "contact_email",
    ):
        data[name] = data[name] or ""
    data.update({name: _iso(cleaned_data.get(name)) for name in DATETIMES})
    data["organizations"] = sorted(o.pk for o in cleaned_data.get("organizations") or [])
    data["action_areas"] = sorted(a.pk for a in cleaned_data.get("action_areas") or [])
    data["working_groups"] = sorted(g.pk for g in cleaned_data.get("working_groups") or [])
    data["languages"] = sorted(lang.pk for lang in cleaned_data.get("languages") or [])
    data["countries"] = sorted(str(c) for c in cleaned_data.get("countries") or [])
    data["regions"] = sorted(cleaned_data.get("regions") or [])
    data["links"] = cleaned_data.get("links") or []
    data["cited_records"] = sorted(cleaned_data.get("cited_records") or [])
    return data


def schedule_changed(activity, data):
    before = snapshot_of(activity)
    columns = [c for c in translated_columns() if c.startswith("title_")]
    return any(before.get(name) != data.get(name) for name in (*SCHEDULE_FIELDS, *columns))


def apply_snapshot(activity: Activity, data):
    """Write a snapshot onto an activity (fields, relations, coverage and links)."""
    for column in translated_columns():
        setattr(activity, column, data.get(column) or "")
    # The untranslated column keeps a title for the admin and sorting. Written raw:
    # through modeltranslation's descriptor it would land in the active language's column.
    activity.__dict__["title"] = data.get(f"title_{settings.LANGUAGE_CODE}") or next(
        (data[c] for c in translated_columns() if c.startswith("title_") and data.get(c)), ""
    )
    for name in SCALARS:
        if name in data:
            setattr(activity, name, data[name])
    for name in DATETIMES:
        setattr(activity, name, parse_datetime(data[name]) if data.get(name) else None)
    activity.save()
    activity.organizations.set(Organization.objects.filter(pk__in=data.get("organizations", [])))
    activity.action_areas.set(ActionArea.objects.filter(pk__in=data.get("action_areas", [])))
    activity.working_groups.set(WorkingGroup.objects.filter(pk__in=data.get("working_groups", [])))
    activity.languages.set(Language.objects.filter(pk__in=data.get("languages", [])))
    activity.cited_records.set(Record.objects.filter(pk__in=data.get("cited_records", [])))
    activity.coverage.all().delete()
    Coverage.objects.bulk_create(
        [
            Coverage(activity=activity, country=c, region=region_for_country(c))
            for c in data.get("countries", [])
        ]
        + [Coverage(activity=activity, region=r) for r in data.get("regions", [])]
    )
    activity.links.all().delete()
    Link.objects.bulk_create(_link(activity, link) for link in data.get("links", []))
    return activity
