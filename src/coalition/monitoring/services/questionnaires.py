"""Questionnaires and cycles: loading a questionnaire from its data file, numbering its
questions, copying it for a new cycle, and moving a cycle through its states."""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.core.translated import localized_column
from coalition.recommendation.action_areas import ACTION_AREA_TITLES
from coalition.recommendation.languages import UN_LANGUAGES

from ..models import Question, QuestionKind, Questionnaire, ReportingCycle, Section

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIRST_QUESTIONNAIRE = DATA_DIR / "questionnaire-2019-v1.toml"


def _texts(field, texts):
    """{"en": …, "fr": …} → {"text_en": …, "text_fr": …, "text": <English>}."""
    values = {localized_column(field, lang): texts[lang] for lang in UN_LANGUAGES if lang in texts}
    values[field] = texts.get("en") or next(iter(texts.values()), "")
    return values


@transaction.atomic
def load_questionnaire(path=FIRST_QUESTIONNAIRE):
    """The questionnaire described by a TOML file, created once (by its slug)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(slug=data["slug"]).first()
    if existing:
        return existing
    questionnaire = Questionnaire.objects.create(
        slug=data["slug"], version=data.get("version", 1), **_texts("title", data["title"])
    )
    for position, section_data in enumerate(data["sections"], start=1):
        area = section_data.get("action_area")
        titles = section_data.get("title") or ACTION_AREA_TITLES[area]
        section = Section.objects.create(
            questionnaire=questionnaire,
            key=section_data["key"],
            position=position,
            action_area_id=area,
            **_texts("title", titles),
        )
        order = 0
        for question_data in section_data.get("questions", []):
            order += 1
            question = Question.objects.create(
                section=section,
                key=question_data["key"],
                position=order,
                kind=question_data["kind"],
                required=question_data.get("required", False),
                **_texts("text", question_data["text"]),
                **(_texts("help_text", question_data["help"]) if "help" in question_data else {}),
            )
            if question_data.get("details"):
                order += 1
                Question.objects.create(
                    section=section,
                    key=f"{question.key}-details",
                    position=order,
                    kind=QuestionKind.DETAILS,
                    follows=question,
                    **_texts("text", data["details_text"]),
                )
        if section_data.get("evidence"):
            Question.objects.create(
                section=section,
                key=f"{section.key}-evidence",
                position=order + 1,
                kind=QuestionKind.EVIDENCE,
                **_texts("text", data["evidence_text"]),
                **_texts("help_text", data.get("evidence_help", {"en": ""})),
            )
    renumber(questionnaire)
    return questionnaire


def renumber(questionnaire):
    """Number the questions 1, 2, 3… across sections, in the order of sections and positions."""
    questions = Question.objects.filter(questionnaire=questionnaire).order_by(
        "section__position", "section_id", "position", "pk"
    )
    changed = []
    for number, question in enumerate(questions, start=1):
        if question.number != number:
            question.number = number
            changed.append(question)
    Question.objects.bulk_update(changed, ["number"])


def _copy_fields(obj, names):
    columns = []
    for name in names:
        columns += [name, *[localized_column(name, lang) for lang in UN_LANGUAGES]]
    return {column: getattr(obj, column) for column in columns}


@transaction.atomic
def copy_questionnaire(source, *, slug):
    """A new version of `source` with the same sections and questions (keys kept), for a
    new cycle: the secretariat then edits the copy, never the version reports answered."""
    if Questionnaire.objects.filter(slug=slug).exists():
        raise ValidationError(_("A questionnaire with this short name already exists."))
    copy = Questionnaire.objects.create(
        slug=slug, version=source.version + 1, based_on=source, **_copy_fields(source, ["title"])
    )
    follows = {}
    new_by_old = {}
    for section in source.sections.order_by("position", "pk"):
        new_section = Section.objects.create(
            questionnaire=copy,
            key=section.key,
            position=section.position,
            action_area_id=section.action_area_id,
            **_copy_fields(section, ["title"]),
        )
        for question in section.questions.order_by("position", "pk"):
            new = Question.objects.create(
                section=new_section,
                key=question.key,
                position=question.position,
                kind=question.kind,
                required=question.required,
                **_copy_fields(question, ["text", "help_text"]),
            )
            new_by_old[question.pk] = new
            if question.follows_id:
                follows[new.pk] = question.follows_id
    for new_pk, old_follows in follows.items():
        Question.objects.filter(pk=new_pk).update(follows=new_by_old[old_follows])
    renumber(copy)
    return copy


@transaction.atomic
def create_cycle(
    *,
    slug,
    titles,
    period_start,
    period_end,
    opens_at,
    deadline,
    time_zone,
    questionnaire,
    previous=None,
    status=ReportingCycle.Status.PREPARING,
):
    if deadline <= opens_at:
        raise ValidationError(_("The deadline must come after the opening."))
    cycle, _created = ReportingCycle.objects.get_or_create(
        slug=slug,
        defaults={
            "period_start": period_start,
            "period_end": period_end,
            "opens_at": opens_at,
            "deadline": deadline,
            "time_zone": time_zone,
            "questionnaire": questionnaire,
            "previous": previous,
            "status": status,
            **_texts("title", titles),
        },
    )
    return cycle


CYCLE_STEPS = {
    ReportingCycle.Status.PREPARING: ReportingCycle.Status.OPEN,
    ReportingCycle.Status.OPEN: ReportingCycle.Status.CLOSED,
    ReportingCycle.Status.CLOSED: ReportingCycle.Status.SYNTHESIZED,
}


@transaction.atomic
def advance_cycle(cycle):
    """preparing → open → closed → synthesized, one step at a time."""
    cycle = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    following = CYCLE_STEPS.get(cycle.status)
    if following is None:
        raise ValidationError(_("This cycle has already been synthesized."), code="last_step")
    cycle.status = following
    cycle.save(update_fields=["status"])
    return cycle
