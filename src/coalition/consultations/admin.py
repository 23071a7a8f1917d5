"""The secretariat builds consultations and surveys here, without code: sections, questions
of every kind, choices, required answers and conditions, each text in every language."""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from coalition.activities.clocks import to_utc

from .models import (
    Choice,
    Comment,
    Consultation,
    Question,
    Report,
    ReportLogEntry,
    Section,
    Session,
    Survey,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    raw_id_fields = ["event"]


@admin.register(Consultation)
class ConsultationAdmin(TranslationAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    inlines = [SessionInline]


class SectionInline(TranslationTabularInline):
    model = Section
    extra = 0


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = [
        ("code", "order", "section"),
        ("kind", "required", "allow_other"),
        "text",
        "help_text",
        ("scale_low_label", "scale_high_label"),
        ("min_value", "max_value"),
        ("show_if_question", "show_if_value"),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        survey_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name in ("section", "show_if_question"):
            model = Section if db_field.name == "section" else Question
            kwargs["queryset"] = model.objects.filter(survey_id=survey_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


WINDOW_FIELDS = ("opens_at", "closes_at")


class SurveyAdminForm(forms.ModelForm):
    """The window is typed, and shown, as wall-clock times in the survey's own zone
    ("10 July 2020 00:00" in Europe/Paris), and stored in UTC."""

    class Meta:
        model = Survey
        # The admin passes its fieldsets' fields (the translated columns among them).
        fields = ["title", "introduction", "opens_at", "closes_at", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = ZoneInfo(self.instance.time_zone or "UTC")
        for name in WINDOW_FIELDS:
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone") or "UTC"
        for name in WINDOW_FIELDS:
            if data.get(name) is not None:
                data[name] = to_utc(data[name].replace(tzinfo=None), zone)
        return data


@admin.register(Survey)
class SurveyAdmin(TranslationAdmin):
    form = SurveyAdminForm
    list_display = ["title", "opens_at", "closes_at", "time_zone", "is_published"]
    list_filter = ["is_published", "allow_anonymous"]
    search_fields = ["title"]
    inlines = [SectionInline, QuestionInline]
    readonly_fields = ["copied_from"]
    fieldsets = [
        (None, {"fields": ["title", "consultation", "introduction", "is_published"]}),
        (
            _("Window"),
            {
                "fields": ["opens_at", "closes_at", "time_zone", "allow_anonymous", "copied_from"],
                "description": _(
                    "Opening and closing times are wall-clock times in the survey's time "
                    "zone; readers also see them in their own."
                ),
            },
        ),
    ]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 3


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["code", "text", "survey", "kind", "required"]
    list_filter = ["kind", "survey"]
    search_fields = ["text", "code"]
    inlines = [ChoiceInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["consultation", "working_group", "author_name", "created_at", "quote_consent"]
    list_filter = ["consultation", "working_group"]
    readonly_fields = ["author", "created_at"]


class LogInline(admin.TabularInline):
    model = ReportLogEntry
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_state", "to_state", "at"]


@admin.register(Report)
class ReportAdmin(TranslationAdmin):
    list_display = ["consultation", "working_group", "author_name", "state"]
    list_filter = ["state", "consultation"]
    readonly_fields = ["state", "published_at"]
    inlines = [LogInline]
