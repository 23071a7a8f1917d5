"""The secretariat edits questionnaires and cycles here, without code. Saving a
questionnaire, a section or a question renumbers the questions continuously."""

from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .models import CountryRole, Question, Questionnaire, Report, ReportingCycle, Section
from .services.questionnaires import renumber


class SectionInline(TranslationTabularInline):
    model = Section
    extra = 0
    fields = ("position", "key", "title", "action_area")


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    fields = ("position", "key", "kind", "required", "text", "help_text", "follows")
    fk_name = "section"


@admin.register(Questionnaire)
class QuestionnaireAdmin(TranslationAdmin):
    list_display = ("title", "version", "slug", "created_at")
    inlines = [SectionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        renumber(form.instance)


@admin.register(Section)
class SectionAdmin(TranslationAdmin):
    list_display = ("title", "questionnaire", "position", "action_area")
    list_filter = ("questionnaire",)
    inlines = [QuestionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        renumber(form.instance.questionnaire)


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ("number", "text", "kind", "required", "questionnaire")
    list_filter = ("questionnaire", "kind", "required")
    search_fields = ("text", "key")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        renumber(obj.questionnaire)


@admin.register(ReportingCycle)
class ReportingCycleAdmin(TranslationAdmin):
    list_display = ("title", "period_start", "period_end", "deadline", "status", "questionnaire")
    list_filter = ("status",)


@admin.register(CountryRole)
class CountryRoleAdmin(admin.ModelAdmin):
    list_display = ("country", "user", "role", "institution", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__email", "institution")
    raw_id_fields = ("user", "granted_by")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("country", "cycle", "status", "is_public", "updated_at")
    list_filter = ("cycle", "status", "region")
    readonly_fields = ("status", "submitted_at", "accepted_at", "started_from")
