from modeltranslation.translator import TranslationOptions, register

from .models import Question, Questionnaire, ReportingCycle, Section, Synthesis


@register(Questionnaire)
class QuestionnaireTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ()


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ()


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text")
    required_languages = ()


@register(ReportingCycle)
class ReportingCycleTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ()


@register(Synthesis)
class SynthesisTranslationOptions(TranslationOptions):
    fields = ("introduction",)
    required_languages = ()
