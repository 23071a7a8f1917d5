from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ActionArea


@admin.register(ActionArea)
class ActionAreaAdmin(TranslationAdmin):
    list_display = ("number", "short_title", "title")
