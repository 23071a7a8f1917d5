"""Accounts' mails carry the Hub's name and address in the reader's language."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client
from django.utils import translation

from coalition.members.models import User
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, language, email="new@example.org"):
    response = client.post(
        f"/{language}/accounts/signup/",
        {
            "email": email,
            "name": "Nouvelle Membre",
            "password1": "open-education-2019",
            "password2": "open-education-2019",
        },
    )
    assert response.status_code == 302
    return mail.outbox[-1]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_signup_mail_names_the_hub_in_the_readers_language(client, settings, language):
    settings.SITE_URL = "http://127.0.0.1:8114"
    message = sign_up(client, language)
    with translation.override(language):
        hub = translation.gettext("OER Coalition Hub")
    assert message.subject.startswith(f"[{hub}] ")
    assert "\n" not in message.subject
    assert "example.com" not in message.subject + message.body
    assert hub in message.body
    assert "127.0.0.1:8114" in message.body
    # Plain text: no HTML entities.
    assert "&#x27;" not in message.body and "&amp;" not in message.body


def test_the_site_row_names_the_hub_after_migrating():
    site = Site.objects.get_current()
    assert site.name == "OER Coalition Hub"
    assert site.domain != "example.com"


def sign_up_as(client, email, language="en"):
    return client.post(
        f"/{language}/accounts/signup/",
        {
            "email": email,
            "name": "Ada Lovelace",
            "password1": "open-education-2019",
            "password2": "open-education-2019",
        },
    )


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_signup_answers_an_address_with_an_account_as_a_new_one_and_mails_the_account(
    client, language
):
    """Nobody learns from sign-up who has an account: the same answer, and the account's
    owner is told by e-mail, in the language of the page, how to sign in or reset."""
    UserFactory(email="ada@example.org")
    mail.outbox.clear()

    fresh = sign_up_as(Client(), "someone.new@example.org", language)
    known = sign_up_as(client, "Ada@Example.org", language)

    assert known.status_code == fresh.status_code == 302
    assert known["Location"] == fresh["Location"]
    assert Client().get(fresh["Location"]).status_code == client.get(known["Location"]).status_code
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    told = [message for message in mail.outbox if message.to[0].lower() == "ada@example.org"]
    assert len(told) == 1
    with translation.override(language):
        subject = translation.gettext("You already have an account")
    assert subject in told[0].subject
    if language != "en":
        assert "already has an account" not in told[0].body
    assert "/accounts/login/" in told[0].body
    assert "/accounts/password/reset/" in told[0].body
    assert "{{" not in told[0].body


def test_account_mails_are_sent_by_the_background_worker(client, settings):
    """Rendered in the request, sent by a task: the page never waits for the mail server."""
    from coalition.site.tasks import send_account_mail

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mail.outbox.clear()

    sign_up_as(client, "someone.new@example.org")

    assert mail.outbox == []
    from django_tasks import default_task_backend

    queued = [result for result in default_task_backend.results if result.task == send_account_mail]
    assert len(queued) == 1
    assert queued[0].kwargs["to"] == ["someone.new@example.org"]
