"""The Update in the admin: a look behind the editing pages, not a way around them.

Status and send times are read-only here: an issue moves from draft to sent only through
the sending service, which writes the outbox; changing them by hand would skip it.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Edition, Item, UpdateIssue


class EditionInline(admin.TabularInline):
    model = Edition
    extra = 0
    fields = ("language", "introduction", "sent_at")
    readonly_fields = ("sent_at",)


class ItemInline(TranslationTabularInline):
    model = Item
    extra = 0
    fields = ("section", "order", "activity", "title", "body")
    raw_id_fields = ("activity",)


@admin.register(UpdateIssue)
class UpdateIssueAdmin(TranslationAdmin):
    list_display = ("title", "period_start", "period_end", "status", "sent_at")
    list_filter = ("status",)
    search_fields = ("title", "slug")
    date_hierarchy = "period_end"
    readonly_fields = ("status", "send_at", "sent_at", "created_by", "created_at")
    inlines = [EditionInline, ItemInline]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("issue", "language", "sent_at")
    list_filter = ("language",)
    list_select_related = ("issue",)
    readonly_fields = ("sent_at",)
    search_fields = ("issue__title",)
