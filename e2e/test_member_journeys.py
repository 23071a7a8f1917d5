"""Members' journeys in the browser, in English and Arabic, axe-core on every page.

1. An organization applies to join; the secretariat finds the application from My Hub and
   approves it; the organization is in the public directory and the applicant is told.
2. A person signs up, opens the confirmation link from the mail the Hub sent, confirms,
   signs in through the login form, forgets the password, resets it from the mailed link
   and signs in with the new one.

Mail is read back from the test server's outbox (the live server runs in this process)
and its links are followed in the browser, as a person clicking them would.
"""

import re

import pytest
from django.core import mail

from coalition.members.models import MembershipApplication, Organization
from e2e.helpers_events import DIRECTION, landed, squeeze
from tests.factories.members import SecretariatFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = list(DIRECTION)
ORGANIZATION = {"en": "Open Knowledge Lab Nairobi", "ar": "مختبر المعرفة المفتوحة في نيروبي"}
WORDS = {
    "en": {
        "thanks": "Thank you",
        "join": "Join the Coalition",
        "approved": "The application was approved",
        "check": "Confirm your e-mail address",
        "sign_in": "Sign in",
        "forgot": "Forgot your password?",
        "reset_sent": "Check your e-mail",
        "new_password": "Choose a new password",
        "changed": "Your password is changed",
        "my_hub": "My Hub",
        "sign_out": "Sign out",
        "create": "Create one",
    },
    "ar": {
        "thanks": "شكرًا لكم",
        "join": "الانضمام إلى الائتلاف",
        "approved": "",
        "check": "أكّد عنوان بريدك الإلكتروني",
        "sign_in": "تسجيل الدخول",
        "forgot": "هل نسيت كلمة المرور؟",
        "reset_sent": "تحقّق من بريدك الإلكتروني",
        "new_password": "اختر كلمة مرور جديدة",
        "changed": "تم تغيير كلمة المرور",
        "my_hub": "",
        "sign_out": "",
        "create": "أنشئ حساباً",
    },
}


def heading(hub):
    return squeeze(hub.page.locator("main h1").first.inner_text())


def path_of_link(message, contains):
    """The path of the first link in a mail's text that contains `contains`."""
    for url in re.findall(r"https?://\S+", message.body):
        if contains in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {contains!r} in:\n{message.body}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_organization_applies_and_secretariat_approves(tabs, transactional_db, language):
    name = ORGANIZATION[language]
    secretariat = SecretariatFactory(email="secretariat@example.org")
    mail.outbox.clear()

    # The applicant finds the form from the navigation of the home page.
    applicant = tabs.open()
    applicant.visit(f"/{language}/")
    assert applicant.document_language() == {"lang": language, "dir": DIRECTION[language]}
    applicant.page.locator("nav.main-nav").get_by_role("link", name=WORDS[language]["join"]).click()
    landed(applicant, f"apply-{language}")
    form = applicant.page.locator("main form")
    form.locator("[name=organization_name]").fill(name)
    form.locator("[name=stakeholder_type]").select_option("university")
    form.locator("[name=country]").select_option("KE")
    form.locator("[name=website]").fill("https://okl.example.org")
    form.locator("[name=description]").fill("Open textbooks for Kenyan universities.")
    form.locator("[name=applicant_name]").fill("Wanjiru Kamau")
    form.locator("[name=applicant_email]").fill("wanjiru@okl.example.org")
    form.locator("[name=applicant_role_title]").fill("Librarian")
    form.locator("[name=privacy_consent]").check()
    form.locator("button[type=submit]").click()
    applicant.page.wait_for_url(lambda url: "/apply/" in url)
    landed(applicant, f"apply-done-{language}")
    assert heading(applicant) == WORDS[language]["thanks"]
    assert "wanjiru@okl.example.org" in applicant.page.locator("main").inner_text()
    assert any("wanjiru@okl.example.org" in m.to for m in mail.outbox), "applicant's receipt"

    # The secretariat counts it on My Hub, opens it and approves it.
    office = tabs.open(user=secretariat)
    office.visit(f"/{language}/my-hub/")
    landed(office, f"my-hub-secretariat-{language}")
    office.page.locator("a[href$='/applications/']").first.click()
    landed(office, f"applications-{language}")
    office.page.get_by_role("link", name=name).click()
    landed(office, f"application-{language}")
    assert name in heading(office)
    mail.outbox.clear()
    office.page.locator("form:has(input[name=decision][value=approve]) button").click()
    office.page.wait_for_url(lambda url: url.endswith("/applications/"))
    landed(office, f"applications-after-{language}")
    assert office.page.locator(".messages .message.success").count() == 1
    if WORDS[language]["approved"]:
        assert WORDS[language]["approved"] in office.page.locator(".messages").inner_text()

    application = MembershipApplication.objects.get(organization__name=name)
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.organization.status == Organization.Status.MEMBER
    assert [m.to for m in mail.outbox] == [["wanjiru@okl.example.org"]]

    # The public finds the new member in the directory.
    applicant.visit(
        f"/{language}/organizations/?q=Nairobi"
        if language == "en"
        else f"/{language}/organizations/"
    )
    applicant.page.get_by_role("link", name=name).first.click()
    landed(applicant, f"new-member-{language}")
    assert heading(applicant) == name


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_up_verify_sign_in_and_reset_the_password(tabs, transactional_db, language):
    words = WORDS[language]
    email = f"lina.{language}@example.org"
    mail.outbox.clear()
    person = tabs.open()

    # From "Sign in" in the navigation to "Create one".
    person.visit(f"/{language}/")
    person.page.locator("nav.main-nav").get_by_role("link", name=words["sign_in"]).click()
    landed(person, f"login-{language}")
    person.page.locator("main").get_by_role("link", name=words["create"]).click()
    landed(person, f"signup-{language}")
    form = person.page.locator("main form")
    form.locator("[name=name]").fill("Lina Haddad")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password1]").fill("open-education-2019")
    form.locator("[name=password2]").fill("open-education-2019")
    form.locator("button[type=submit]").click()
    person.page.wait_for_url(lambda url: "/confirm-email/" in url)
    landed(person, f"verification-sent-{language}")
    assert heading(person) == words["check"]

    # The confirmation mail's link, opened and confirmed.
    [confirmation] = [m for m in mail.outbox if email in m.to]
    person.visit(path_of_link(confirmation, "/confirm-email/"))
    landed(person, f"confirm-email-{language}")
    assert email in person.page.locator("main").inner_text()
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_load_state("load")
    person.assert_nothing_broken()

    # Signed out, then in again through the login form.
    person.page.context.clear_cookies()
    person.visit(f"/{language}/accounts/login/")
    person.page.locator("[name=login]").fill(email)
    person.page.locator("[name=password]").fill("open-education-2019")
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_url(lambda url: url.endswith("/my-hub/"))
    landed(person, f"my-hub-{language}")
    assert email in person.page.locator("main").inner_text()

    # Forgotten password: the link under the password field, the mail, the new password.
    person.page.context.clear_cookies()
    person.visit(f"/{language}/accounts/login/")
    person.page.get_by_role("link", name=words["forgot"]).click()
    landed(person, f"password-reset-{language}")
    mail.outbox.clear()
    person.page.locator("main form [name=email]").fill(email)
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_url(lambda url: url.endswith("/password/reset/done/"))
    landed(person, f"password-reset-done-{language}")
    assert heading(person) == words["reset_sent"]
    [reset] = mail.outbox
    person.visit(path_of_link(reset, "/password/reset/key/"))
    landed(person, f"password-new-{language}")
    assert heading(person) == words["new_password"]
    person.page.locator("[name=password1]").fill("recommendation-2019-oer")
    person.page.locator("[name=password2]").fill("recommendation-2019-oer")
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_url(lambda url: "/done/" in url)
    landed(person, f"password-changed-{language}")
    assert heading(person) == words["changed"]

    person.page.locator("main a.button").click()
    person.page.locator("[name=login]").fill(email)
    person.page.locator("[name=password]").fill("recommendation-2019-oer")
    person.page.locator("main form button[type=submit]").click()
    person.page.wait_for_url(lambda url: url.endswith("/my-hub/"))
    person.assert_nothing_broken()
