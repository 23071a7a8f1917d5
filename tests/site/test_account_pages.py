"""Account pages (django-allauth) in the Hub's layout, words and languages."""

import re

import pytest
from django.core import mail

from coalition.members.models import User
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = ["login", "signup", "password/reset"]
HEADINGS = {
    "en": {
        "login": "Sign in",
        "signup": "Create your account",
        "password/reset": "Reset your password",
    },
    "fr": {
        "login": "Se connecter",
        "signup": "Créer votre compte",
        "password/reset": "Réinitialiser votre mot de passe",
    },
    "ar": {
        "login": "تسجيل الدخول",
        "signup": "أنشئ حسابك",
        "password/reset": "أعد تعيين كلمة المرور",
    },
}


def heading(html):
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.parametrize("language", sorted(HEADINGS))
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_account_page_is_in_the_hub_layout_and_language(client, language, page):
    response = client.get(f"/{language}/accounts/{page}/")
    html = response.text
    assert response.status_code == 200
    assert f'lang="{language}"' in html
    assert 'class="main-nav"' in html, "the Hub's navigation"
    assert heading(html) == HEADINGS[language][page]
    # Labels above their fields, no library wording or trailing colons.
    assert not re.search(r"<label[^>]*>[^<]*:\s*</label>", html)
    for library_words in ("Sign In", "Remember Me", "Sign Up", "Reset My Password"):
        assert library_words not in html


@pytest.mark.parametrize("language", ["es", "ru", "zh-hans"])
def test_login_page_has_no_english_in_other_languages(client, language):
    html = client.get(f"/{language}/accounts/login/").text
    main = html[html.index("<main") : html.index("</main>")]
    for english in (
        "E-mail address",
        "Keep me signed in",
        "Members of the Coalition",
        "No account",
    ):
        assert english not in main


def test_login_labels_every_field_and_links_the_reset(client):
    html = client.get("/en/accounts/login/").text
    for field_id, label in [
        ("id_login", "E-mail address"),
        ("id_password", "Password"),
        ("id_remember", "Keep me signed in on this device"),
    ]:
        assert re.search(rf'<label for="{field_id}">{label}', html), label
    assert 'href="/en/accounts/password/reset/"' in html
    assert 'href="/en/organizations/apply/"' in html


def test_wrong_password_reshows_the_form_with_a_message(client):
    UserFactory(email="amina@example.org")
    response = client.post(
        "/fr/accounts/login/", {"login": "amina@example.org", "password": "not-this-one"}
    )
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in response.text
    assert 'value="amina@example.org"' in response.text


def test_sign_up_confirm_sign_in_and_reset_the_password(client):
    response = client.post(
        "/ar/accounts/signup/",
        {
            "name": "Amina Hassan",
            "email": "amina@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert heading(client.get(response["Location"]).text) == "أكّد عنوان بريدك الإلكتروني"
    [confirmation] = mail.outbox
    user = User.objects.get(email="amina@example.org")
    assert user.person.name == "Amina Hassan"

    page = client.get(link_in(confirmation))
    assert "amina@example.org" in page.text
    assert 'dir="ltr"' in page.text
    client.post(link_in(confirmation))
    assert user.emailaddress_set.get().verified

    client.post("/ar/accounts/logout/")
    response = client.post(
        "/en/accounts/login/", {"login": "amina@example.org", "password": "a-long-passphrase-42"}
    )
    assert response.status_code == 302
    client.post("/en/accounts/logout/")

    mail.outbox.clear()
    response = client.post("/en/accounts/password/reset/", {"email": "amina@example.org"})
    assert heading(client.get(response["Location"]).text) == "Check your e-mail"
    [reset] = mail.outbox
    form_url = client.get(link_in(reset)).url  # the key moves into the session
    page = client.get(form_url).text
    assert heading(page) == "Choose a new password"
    response = client.post(
        form_url, {"password1": "another-passphrase-43", "password2": "another-passphrase-43"}
    )
    assert heading(client.get(response["Location"]).text) == "Your password is changed"
    user.refresh_from_db()
    assert user.check_password("another-passphrase-43")


def test_used_reset_link_says_so_and_offers_a_new_one(client):
    html = client.get("/en/accounts/password/reset/key/1-wrong/").text
    assert heading(html) == "This link no longer works"
    assert 'href="/en/accounts/password/reset/"' in html


def test_confirm_link_that_is_not_valid_says_so(client):
    html = client.get("/fr/accounts/confirm-email/not-a-key/").text
    assert "lien de confirmation a expiré" in html
