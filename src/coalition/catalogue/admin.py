from django.contrib import admin

from .models import HarvestRun, Record, Source, Work


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "base_url", "next_harvest_at", "locked_by"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "base_url"]
    raw_id_fields = ["organization"]


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
