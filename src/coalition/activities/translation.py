from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Link, ProgrammeRole


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


# A link's label and a speaker's title read in the reader's language ("Programme",
# "Programa"; "Research Professor", "Enseignante chercheuse"), falling back like content.
@register(Link)
class LinkTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = ()


@register(ProgrammeRole)
class ProgrammeRoleTranslationOptions(TranslationOptions):
    fields = ("title_on_programme",)
    required_languages = ()
