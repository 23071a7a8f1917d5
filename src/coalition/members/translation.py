from modeltranslation.translator import TranslationOptions, register

from .models import Organization, WorkingGroup


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ()


@register(WorkingGroup)
class WorkingGroupTranslationOptions(TranslationOptions):
    fields = ("name", "description")
