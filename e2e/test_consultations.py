"""Consultations in the browser: answering a survey by keyboard only, the results page and
the consultation page in English and Arabic, each with the accessibility check."""

import pytest

from coalition.consultations.models import Report, Response
from coalition.consultations.services import comments, reports
from coalition.consultations.services import surveys as services
from e2e.conftest import HubPage
from e2e.helpers_events import session_cookie
from tests.factories.consultations import (
    ConsultationFactory,
    answers,
    member_user,
    role_in,
    sample_survey,
)
from tests.factories.members import SecretariatFactory, working_group

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(transactional_db):
    survey = sample_survey(allow_anonymous=False)
    survey.title_ar = "الاستبيان الإلكتروني"
    survey.save()
    for code in ("Q1", "Q3"):
        q = survey.questions.get(code=code)
        q.text_ar = "سؤال " + code
        q.save()
    for value, country in (("yes", "TN"), ("no", "JP"), ("yes", "FR")):
        services.save_response(
            survey,
            values=answers(survey, Q1=value, Q2="سياسة وطنية", Q3=["policy"], Q4=4, Q5=country),
            user=member_user(),
            submit=True,
        )
    return survey


def _signed_in(hub, user):
    hub.page.context.add_cookies([session_cookie(user, hub.base_url)])


def test_survey_answered_by_keyboard_only(hub, survey):
    user = member_user()
    _signed_in(hub, user)
    hub.visit(f"/en/surveys/{survey.slug}/")
    hub.assert_accessible("survey-en")
    q1 = survey.questions.get(code="Q1").pk
    q2 = survey.questions.get(code="Q2").pk
    # Q2 only applies when Q1 is "Yes": hidden until then.
    assert not hub.page.locator("#question-Q2").is_visible()
    hub.tab_to(f"input[name=q_{q1}][value=yes]")
    hub.page.keyboard.press("Space")
    assert hub.page.locator("#question-Q2").is_visible()
    hub.tab_to(f"textarea[name=q_{q2}]")
    hub.page.keyboard.type("A national OER policy adopted in 2019")
    hub.tab_to("button[name=submit]")
    # The answer is posted by the browser: wait for that navigation, not the current page.
    with hub.page.expect_navigation():
        hub.page.keyboard.press("Enter")
    hub.assert_nothing_broken()
    assert "your answers are submitted" in hub.page.locator(".messages").inner_text()
    response = Response.objects.get(user=user)
    assert response.status == Response.Status.SUBMITTED
    assert response.answers.get(question_id=q2).text == "A national OER policy adopted in 2019"


def test_missing_required_answer_is_announced_and_focusable(hub, survey):
    _signed_in(hub, member_user())
    hub.visit(f"/en/surveys/{survey.slug}/")
    hub.tab_to("button[name=submit]")
    # The answer is posted by the browser: wait for that navigation, not the current page.
    with hub.page.expect_navigation():
        hub.page.keyboard.press("Enter")
    assert "This question requires an answer." in hub.page.locator("#question-Q1").inner_text()
    hub.assert_accessible("survey-errors-en")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_results_page_in_english_and_arabic(hub, survey, language):
    _signed_in(hub, SecretariatFactory())
    hub.visit(f"/{language}/surveys/{survey.slug}/results/?region=arab-states")
    assert hub.document_language() == {
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
    }
    assert hub.page.locator("#result-Q1 img").count() == 1
    assert hub.page.locator("#result-Q1 table tbody tr").count() == 2
    hub.assert_accessible(f"survey-results-{language}")
    hub.screenshot(f"survey-results-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_consultation_page_and_published_report(hub, transactional_db, language):
    consultation = ConsultationFactory(title_ar="المشاورات العامة")
    group = working_group("capacity-building")
    rapporteur = role_in(group, "rapporteur")
    comment = comments.post_comment(
        consultation,
        user=member_user(),
        working_group=group,
        body="Train librarians.",
        quote_consent="anonymous",
    )
    report = reports.start_report(consultation, group, user=rapporteur)
    reports.update_report(report, user=rapporteur, data={"priorities_en": "<p>Open licensing</p>"})
    reports.quote_comment(report, comment, user=rapporteur)
    report = reports.share_report(report, user=rapporteur)
    reports.publish_report(report, user=SecretariatFactory())
    hub.visit(f"/{language}/consultations/{consultation.slug}/")
    hub.assert_accessible(f"consultation-{language}")
    link = report.get_absolute_url().replace("/en/", f"/{language}/")
    with hub.page.expect_navigation():
        hub.page.locator(f"a[href='{link}']").first.click()
    hub.assert_nothing_broken()
    assert "Train librarians." in hub.page.content()
    hub.assert_accessible(f"consultation-report-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_comment_to_published_report_journey(browser, live_server, transactional_db, language):
    """A member comments for a group; its rapporteur tags, quotes and writes the report and
    shares it; a chair remarks; the secretariat publishes it: each in their own browser."""
    consultation = ConsultationFactory(title_ar="المشاورات العامة")
    group = working_group("supportive-policy")
    people = {
        "member": member_user(),
        "rapporteur": role_in(group, "rapporteur"),
        "chair": role_in(group, "chair"),
        "secretariat": SecretariatFactory(),
    }

    def tab(user):
        context = browser.new_context(locale="en-GB", bypass_csp=True)
        context.set_default_timeout(15_000)
        page = HubPage(context.new_page(), live_server.url)
        context.add_cookies([session_cookie(user, live_server.url)])
        return context, page

    base = f"/{language}/consultations/{consultation.slug}"
    context, hub = tab(people["member"])
    hub.visit(f"{base}/comment/")
    hub.assert_accessible(f"comment-form-{language}")
    hub.page.locator("textarea[name=body]").fill("Share model policies that ministries can adapt.")
    with hub.page.expect_navigation():  # no group chosen: refused, text kept
        hub.page.locator("button[type=submit]").last.click()
    assert hub.page.locator("textarea[name=body]").input_value().startswith("Share model")
    hub.page.locator("select[name=working_group]").select_option(str(group.pk))
    hub.page.locator("input[name=quote_consent][value=named]").check()
    with hub.page.expect_navigation():
        hub.page.locator("button[type=submit]").last.click()
    hub.assert_nothing_broken()
    context.close()

    context, hub = tab(people["rapporteur"])
    hub.visit(f"{base}/comments/")
    hub.assert_accessible(f"comment-list-{language}")
    hub.page.locator("input[name=tags]").fill("policy, models")
    with hub.page.expect_navigation():
        hub.page.locator("input[name=tags] ~ button").click()
    assert hub.page.locator("a.tag").count() == 2
    hub.visit(f"{base}/reports/{group.slug}/edit/")
    hub.page.locator("textarea[name=priorities]").fill("<p>Model policies</p>")
    with hub.page.expect_navigation():
        hub.page.locator("form:has(textarea[name=priorities]) button").click()
    with hub.page.expect_navigation():
        hub.page.locator("form:has(input[name=comment]) button").click()
    hub.assert_accessible(f"report-editor-{language}")
    hub.visit(f"{base}/reports/{group.slug}/")
    with hub.page.expect_navigation():
        hub.page.locator(f"form[action$='/reports/{group.slug}/share/'] button").click()
    context.close()

    context, hub = tab(people["chair"])
    hub.visit(f"{base}/reports/{group.slug}/")
    hub.page.locator("select[name=part]").select_option("priorities")
    hub.page.locator("textarea[name=body]").fill("Add funding models.")
    with hub.page.expect_navigation():
        hub.page.locator("form[action$='/notes/'] button").click()
    assert "Add funding models." in hub.page.content()
    hub.assert_accessible(f"report-shared-{language}")
    context.close()

    context, hub = tab(people["secretariat"])
    hub.visit(f"{base}/reports/{group.slug}/")
    with hub.page.expect_navigation():
        hub.page.locator("form[action$='/publish/'] button").click()
    hub.assert_nothing_broken()
    context.close()

    report = Report.objects.get(consultation=consultation, working_group=group)
    assert report.state == Report.State.PUBLISHED
    assert report.priorities_ar if language == "ar" else report.priorities_en
    assert report.quotes.get().attribution.startswith(people["member"].person.name)
    assert list(report.log.values_list("to_state", flat=True)) == ["draft", "shared", "published"]
