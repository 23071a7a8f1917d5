from modeltranslation.translator import TranslationOptions, register

from .models import Item, UpdateIssue


@register(UpdateIssue)
class UpdateIssueTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Item)
class ItemTranslationOptions(TranslationOptions):
    fields = ("title", "body")
