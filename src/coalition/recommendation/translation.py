from modeltranslation.translator import TranslationOptions, register

from .models import ActionArea


@register(ActionArea)
class ActionAreaTranslationOptions(TranslationOptions):
    fields = ("title", "short_title")
