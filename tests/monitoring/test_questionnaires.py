"""The first questionnaire follows UNESCO's reporting form; versions copy it."""

import pytest
from django.utils import translation

from coalition.monitoring.models import QuestionKind
from coalition.monitoring.services import questionnaires
from coalition.recommendation.content import content_in

pytestmark = pytest.mark.django_db


def test_first_questionnaire_follows_the_reporting_form():
    questionnaire = questionnaires.load_questionnaire()
    sections = list(questionnaire.sections.order_by("position"))
    assert [s.key for s in sections[:2]] == ["general-information", "general"]
    assert [s.action_area_id for s in sections[2:]] == [1, 2, 3, 4, 5]
    first = list(questionnaire.questions.order_by("number")[:5])
    assert [q.key for q in first] == [
        "country",
        "responsible-entities",
        "contact-person",
        "certifying-officials",
        "consultation-process",
    ]
    promoted = questionnaire.questions.get(key="promoted")
    details = questionnaire.questions.get(key="promoted-details")
    assert promoted.kind == QuestionKind.YES_NO and promoted.required
    assert details.follows == promoted and details.number == promoted.number + 1
    assert details.text_en == "If yes, please provide details (and hyperlinks)."
    for section in sections[2:]:
        kinds = set(section.questions.values_list("kind", flat=True))
        assert {QuestionKind.SCALE, QuestionKind.DETAILS, QuestionKind.EVIDENCE} <= kinds


def test_questions_are_numbered_continuously_across_sections():
    questionnaire = questionnaires.load_questionnaire()
    numbers = list(
        questionnaire.questions.order_by("section__position", "position").values_list(
            "number", flat=True
        )
    )
    assert numbers == list(range(1, len(numbers) + 1))


def test_loading_twice_creates_one_questionnaire():
    assert questionnaires.load_questionnaire() == questionnaires.load_questionnaire()


def test_question_text_falls_back_visibly_where_not_translated():
    questionnaire = questionnaires.load_questionnaire()
    question = questionnaire.questions.get(key="aa2-policy")
    with translation.override("fr"):
        assert content_in(question, "text").startswith("Une politique")
    shown = content_in(question, "text", "zh-hans")
    assert shown.is_fallback and shown.language == "en"


def test_copy_keeps_keys_order_and_details_links():
    original = questionnaires.load_questionnaire()
    copy = questionnaires.copy_questionnaire(original, slug="v2")
    assert copy.version == original.version + 1 and copy.based_on == original
    assert list(copy.questions.order_by("number").values_list("key", "number", "kind")) == list(
        original.questions.order_by("number").values_list("key", "number", "kind")
    )
    details = copy.questions.get(key="aa2-policy-details")
    assert details.follows.questionnaire == copy
    assert (
        copy.questions.get(key="aa2-policy").text_fr
        == original.questions.get(key="aa2-policy").text_fr
    )
