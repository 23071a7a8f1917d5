"""National reporting in the browser: a focal point fills the report by keyboard only
(the answers autosave as they are typed), and the synthesis page with its charts, in
English (left to right) and Arabic (right to left), each checked by axe-core."""

import pytest
from django.db import OperationalError

from coalition.monitoring.models import Answer
from coalition.monitoring.services import reports
from coalition.monitoring.services import synthesis as synthesis_services
from e2e.helpers_events import session_cookie
from tests.factories import monitoring as factories

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DIRECTION = {"en": "ltr", "ar": "rtl"}


@pytest.fixture
def draft(transactional_db):
    cycle = factories.open_cycle()
    focal = factories.focal_point("MG")
    report = reports.start_report(cycle, "MG", user=focal)
    return cycle, focal, report


def _wait_for_answer(hub, report, question, **expected):
    for _ in range(50):
        try:
            answer = Answer.objects.filter(report=report, question=question).first()
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the live server
            # writes to it (autosave): look again a moment later.
            answer = None
        if answer and all(getattr(answer, key) == value for key, value in expected.items()):
            return answer
        hub.page.wait_for_timeout(200)
    pytest.fail(f"the answer to question {question.number} was not saved: {expected}")


@pytest.mark.parametrize("language", list(DIRECTION))
def test_focal_point_fills_the_report_by_keyboard(hub, draft, language):
    cycle, focal, report = draft
    hub.page.context.add_cookies([session_cookie(focal, hub.base_url)])
    hub.visit(f"/{language}/reports/{report.pk}/edit/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    hub.screenshot(f"monitoring-report-edit-{language}")
    hub.assert_accessible(f"monitoring-report-edit-{language}")

    entities = factories.question(cycle, "responsible-entities")
    hub.tab_to(f"#answer-{entities.pk}-text", limit=120)
    hub.page.keyboard.type("Ministère de l'Éducation nationale")
    hub.page.keyboard.press("Tab")  # leaving the field saves it at once
    _wait_for_answer(hub, report, entities, text="Ministère de l'Éducation nationale")

    policy = factories.question(cycle, "aa2-policy")
    hub.page.locator(f"#answer-{policy.pk}-yes").focus()
    hub.page.keyboard.press("Space")
    _wait_for_answer(hub, report, policy, choice="yes")
    hub.page.keyboard.press("ArrowRight" if language == "en" else "ArrowLeft")
    _wait_for_answer(hub, report, policy, choice="partly")
    assert "Saved" in hub.page.locator("#autosave-status").inner_text() or language != "en"

    consultation = factories.question(cycle, "consultation-process")
    field = hub.page.locator(f"#answer-{consultation.pk}-text")
    field.focus()
    hub.page.keyboard.type("Two national workshops")
    # The "Save draft" button saves everything, script or not.
    hub.tab_to("#report-form .form-actions button[name=save]", limit=400)
    with hub.page.expect_navigation():
        hub.page.keyboard.press("Enter")
    hub.assert_nothing_broken()
    _wait_for_answer(hub, report, consultation, text="Two national workshops")
    assert hub.page.locator(".message.success").count() == 1


@pytest.mark.parametrize("language", list(DIRECTION))
def test_synthesis_page_with_charts_in_both_directions(hub, transactional_db, language):
    cycle = factories.open_cycle()
    for country, choice in (("MG", "yes"), ("KE", "partly"), ("SN", "no"), ("TN", "yes")):
        factories.accepted_report(cycle, country, answers={"aa2-policy": choice}, public=True)
    synthesis = synthesis_services.synthesis_for(cycle)
    synthesis_services.set_introduction(
        synthesis, {"en": "<p>The first synthesis.</p>", "ar": "<p>التقرير التجميعي الأول.</p>"}
    )
    synthesis_services.publish_synthesis(synthesis)

    hub.visit(f"/{language}/reporting/{cycle.slug}/synthesis/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    images = hub.page.locator("figure.synthesis-chart img")
    assert images.count() >= 3
    assert all(
        hub.page.evaluate("image => image.naturalWidth > 0", image.element_handle())
        for image in images.all()[:3]
    )
    intro = "The first synthesis." if language == "en" else "التقرير التجميعي الأول."
    assert hub.page.get_by_text(intro).count() == 1
    hub.page.locator("details.chart-data summary").first.click()
    assert hub.page.locator("details.chart-data table").first.is_visible()
    hub.screenshot(f"monitoring-synthesis-{language}")
    hub.assert_accessible(f"monitoring-synthesis-{language}")
