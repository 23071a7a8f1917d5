from types import SimpleNamespace

import pytest
from django.core import mail

from coalition.core.mail import absolute_url, render_mail, send_templated

DECISION = "members/email/application_decision"


def _context(status):
    organization = SimpleNamespace(name="Université d'Antananarivo")
    application = SimpleNamespace(status=status, organization=organization, reason="")
    return {"application": application, "organization": organization, "site_url": ""}


def test_render_mail_writes_in_the_recipients_language_whatever_is_active():
    subject, _body = render_mail(DECISION, _context("declined"), "fr")
    assert subject.startswith("Votre candidature pour ")


def test_render_mail_puts_the_subject_on_one_line():
    subject, _body = render_mail(DECISION, _context("declined"), "en")
    assert "\n" not in subject
    assert subject == subject.strip()


def test_send_templated_sends_to_the_given_addresses(settings):
    send_templated(DECISION, _context("declined"), to=["focal@example.org"], language="en")
    [message] = mail.outbox
    assert message.to == ["focal@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_absolute_url_starts_with_the_site_url(settings):
    settings.SITE_URL = "https://hub.example.org"
    assert absolute_url("/en/events/") == "https://hub.example.org/en/events/"


def test_plain_text_mail_is_not_html_escaped():
    organization = SimpleNamespace(name="Université d'Antananarivo <Madagascar> & co")
    application = SimpleNamespace(status="declined", organization=organization, reason="")
    subject, body = render_mail(
        DECISION,
        {"application": application, "organization": organization, "site_url": ""},
        "fr",
    )
    assert "Université d'Antananarivo <Madagascar> & co" in subject
    assert "&#x27;" not in subject + body and "&lt;" not in subject + body
    assert "&amp;" not in subject + body


def test_subject_never_carries_a_line_break():
    organization = SimpleNamespace(name="Evil\r\nBcc: victim@example.org\u2028more")
    application = SimpleNamespace(status="declined", organization=organization, reason="")
    send_templated(
        DECISION,
        {"application": application, "organization": organization, "site_url": ""},
        to=["focal@example.org"],
        language="en",
    )
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "\u2028" not in message.subject
    # The would-be header stays inside the subject's text.
    assert message.message()["Bcc"] is None
    assert message.bcc == []


def test_urls_and_addresses_run_left_to_right_in_arabic_plain_text():
    from coalition.core.mail import isolate_addresses

    text = isolate_addresses(
        "الرابط: https://hub.example.org/ar/updates/ أو <mailto:a@b.org> a.b@c.org"
    )
    assert "\u2066https://hub.example.org/ar/updates/\u2069" in text
    assert "\u2066<mailto:a@b.org>\u2069" in text
    assert "\u2066a.b@c.org\u2069" in text


def test_arabic_mail_isolates_its_links_and_english_does_not():
    organization = SimpleNamespace(name="ALECSO", get_absolute_url=lambda: "/ar/organizations/x/")
    application = SimpleNamespace(status="approved", organization=organization, reason="")
    context = {
        "application": application,
        "organization": organization,
        "site_url": "https://h.org",
    }
    _subject, arabic = render_mail(DECISION, context, "ar")
    _subject, english = render_mail(DECISION, context, "en")
    assert "\u2066https://h.org/ar/organizations/x/\u2069" in arabic
    assert "\u2066" not in english


# Sent once per occasion ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mail_sent_once_is_not_sent_again_for_the_same_occasion():
    for _attempt in range(2):
        send_templated(
            DECISION, _context("declined"), to=["focal@example.org"], language="en", once="x:1"
        )
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"].startswith("<x-1.")


@pytest.mark.django_db
def test_each_occasion_and_each_recipient_gets_its_own_mail_and_message_id():
    for once, address in [
        ("x:1", "a@example.org"),
        ("x:1", "b@example.org"),
        ("x:2", "a@example.org"),
    ]:
        send_templated(DECISION, _context("declined"), to=[address], language="en", once=once)
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(ids) == len(set(ids)) == 3


@pytest.mark.django_db
def test_a_mail_in_flight_when_the_worker_died_goes_again_with_its_message_id(monkeypatch):
    # Sent, but the worker died before noting it: the re-run sends it again, under the
    # same Message-ID, by which mail systems drop the second copy.
    from coalition.core import models

    monkeypatch.setattr(models.SentMail.objects, "get_or_create", _die)
    with pytest.raises(SystemExit):
        send_templated(
            DECISION, _context("declined"), to=["a@example.org"], language="en", once="x:1"
        )
    monkeypatch.undo()
    send_templated(DECISION, _context("declined"), to=["a@example.org"], language="en", once="x:1")
    first, again = mail.outbox
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]


def _die(**_kwargs):
    raise SystemExit("worker killed")
