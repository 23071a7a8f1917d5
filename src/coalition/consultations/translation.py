from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Consultation, Question, Report, Section, Survey


@register(Consultation)
class ConsultationTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Survey)
class SurveyTranslationOptions(TranslationOptions):
    fields = ("title", "introduction")


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help_text", "scale_low_label", "scale_high_label")


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("label",)


@register(Report)
class ReportTranslationOptions(TranslationOptions):
    fields = ("priorities", "proposed_activities", "tool_issues")
