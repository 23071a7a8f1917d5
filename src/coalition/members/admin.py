from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from modeltranslation.admin import TranslationAdmin

from .models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    User,
    WorkingGroup,
    WorkingGroupMembership,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_secretariat", "is_staff", "is_active", "last_login"]
    list_filter = ["is_secretariat", "is_staff", "is_active"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "preferred_language"]}),
        (
            "Roles",
            {"fields": ["is_active", "is_secretariat", "is_staff", "is_superuser", "groups"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organization"]


@admin.register(Organization)
class OrganizationAdmin(TranslationAdmin):
    list_display = ["name", "acronym", "stakeholder_type", "country", "region", "status"]
    list_filter = ["status", "stakeholder_type", "region"]
    search_fields = ["name", "acronym"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "public_profile", "user"]
    list_filter = ["public_profile"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user"]
    inlines = [AffiliationInline]


class MembershipInline(admin.TabularInline):
    model = WorkingGroupMembership
    extra = 0
    autocomplete_fields = ["person"]
    exclude = ["decided_by"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TranslationAdmin):
    list_display = ["name", "action_area"]
    filter_horizontal = ["organizations"]
    inlines = [MembershipInline]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["organization", "applicant_name", "status", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["privacy_consent_at", "submitted_at", "decided_at", "decided_by"]
