from modeltranslation.translator import TranslationOptions, register

from .models import Activity


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
