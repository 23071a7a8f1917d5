"""Accounts' mails carry the Hub's name and address in the reader's language."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.utils import translation

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
