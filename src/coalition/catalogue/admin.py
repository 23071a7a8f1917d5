from django.contrib import admin

from .models import HarvestRun, Record, RecordSubmission, Source, Work


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organization",
        "kind",
        "status",
        "base_url",
        "next_harvest_at",
        "locked_by",
    ]
    list_filter = ["kind", "status", "is_active"]
    search_fields = ["name", "base_url"]
    raw_id_fields = ["organization", "registered_by", "decided_by"]


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "status", "started_at", "added", "updated", "deleted"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["source", "resumed_from"]


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "identifier", "licence_class", "deleted"]
    list_filter = ["licence_class", "deleted", "status"]
    search_fields = ["identifier", "title"]
    raw_id_fields = ["work", "source", "harvest_run", "created_by"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["hub_id", "datestamp", "deleted"]
    raw_id_fields = ["primary_record", "merged_into"]


@admin.register(RecordSubmission)
class RecordSubmissionAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the moderation pages (they publish and notify)."""

    list_display = ["__str__", "source", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["source", "record", "submitted_by", "decided_by"]
    readonly_fields = ["status", "decided_by", "decided_at"]
