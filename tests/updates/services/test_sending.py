"""Sending the Update through a real SMTP server, and reading what it received.

Each test delivers through Django's SMTP backend to an aiosmtpd server in this process
(`smtp_sink.SmtpSink`) and parses the messages back with the `email` package: what a mail
provider would see, headers and both parts included.
"""

import threading
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from coalition.updates import messages
from coalition.updates.models import Bounce, OutboxMessage, Subscriber, UpdateIssue
from coalition.updates.rendering import render_edition
from coalition.updates.services import sending
from tests.factories.members import SecretariatFactory, UserFactory
from tests.factories.updates import (
    SITE_URL,
    WEBINAR_TITLE,
    WSIS_TITLE_AR,
    PendingSubscriberFactory,
    SubscriberFactory,
    editorial_issue,
    march_2023,
)
from tests.support.smtp_sink import PERMANENT, TEMPORARY, SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a fresh sink; personal links on an https site."""
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = sink.host
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        settings.SITE_URL = SITE_URL
        settings.UPDATE_SEND_RATE = 0
        yield sink


@pytest.fixture
def issue():
    return march_2023()


def send(issue, worker="worker-1", **options):
    """What `send_update` does, in this process: queue, then one worker drains the outbox."""
    queued = sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    progress = sending.deliver(issue.pk, worker=worker, **options)
    return queued, progress


def only_message(sink, subscriber):
    (received,) = sink.to(subscriber.email)
    return received.message


def header(message, name):
    """A header's value with folding undone: a long List-Unsubscribe is folded before its
    URL, which RFC 2369 allows (whitespace in it is ignored)."""
    return " ".join(str(message[name]).split())


def part(message, subtype):
    return message.get_body(preferencelist=(subtype,)).get_content()


def later(monkeypatch, seconds):
    """Move the clock `seconds` ahead, for the retries' backoff and the workers' leases."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=seconds))


# --- what each message carries ---------------------------------------------------------


def test_message_has_one_click_unsubscribe_headers_for_its_subscriber(smtp, issue):
    reader = SubscriberFactory(language="en")

    send(issue)

    message = only_message(smtp, reader)
    unsubscribe = f"{SITE_URL}/en/updates/unsubscribe/{reader.token}/"
    assert header(message, "List-Unsubscribe") == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert urlsplit(unsubscribe).scheme == "https"
    assert resolve(urlsplit(unsubscribe).path).url_name == "unsubscribe"
    assert message["To"] == reader.email
    assert smtp.messages[0].mail_from == "hub@localhost"  # the envelope: an address only
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Content-Language"] == "en"
    assert header(message, "Subject") == render_edition(issue.editions.get(language="en")).subject


def test_one_click_post_to_the_received_link_unsubscribes(smtp, issue, client):
    reader = SubscriberFactory(language="fr")
    send(issue)
    link = header(only_message(smtp, reader), "List-Unsubscribe").strip("<>")

    # What a mail provider does with RFC 8058: a POST with this body and no cookies.
    response = client.post(
        urlsplit(link).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED


def test_message_id_is_stable_per_edition_and_subscriber(smtp, issue):
    reader = SubscriberFactory(language="fr")

    send(issue)

    row = OutboxMessage.objects.get(subscriber=reader)
    expected = f"<update-{row.edition_id}-{reader.pk}@hub.example.org>"
    assert row.edition.language == "fr"
    assert only_message(smtp, reader)["Message-ID"] == expected
    assert row.message_id == expected == sending.message_id(row)


def test_message_has_text_and_html_parts_with_the_personal_links(smtp, issue):
    reader = SubscriberFactory(language="en")

    send(issue)

    message = only_message(smtp, reader)
    assert message.get_content_type() == "multipart/alternative"
    text, html = part(message, "plain"), part(message, "html")
    unsubscribe = f"{SITE_URL}/en/updates/unsubscribe/{reader.token}/"
    preferences = f"{SITE_URL}/en/updates/preferences/{reader.token}/"
    for body in (text, html):
        assert unsubscribe in body
        assert preferences in body
        assert "%%" not in body
    assert WEBINAR_TITLE in text
    assert f'href="{unsubscribe}"' in html
    assert "<table" in html and "<table" not in text


def test_two_subscribers_get_different_personal_links(smtp, issue):
    first, second = SubscriberFactory(language="en"), SubscriberFactory(language="en")

    send(issue)

    first_text = part(only_message(smtp, first), "plain")
    second_text = part(only_message(smtp, second), "plain")
    assert first.token in first_text and second.token not in first_text
    assert second.token in second_text and first.token not in second_text


def test_arabic_message_is_right_to_left(smtp, issue):
    reader = SubscriberFactory(language="ar")

    send(issue)

    message = only_message(smtp, reader)
    html = part(message, "html")
    assert message["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in html
    assert '<body dir="rtl"' in html
    assert WSIS_TITLE_AR in html
    assert header(message, "Subject") == render_edition(issue.editions.get(language="ar")).subject
    assert f"{SITE_URL}/ar/updates/unsubscribe/{reader.token}/" in header(
        message, "List-Unsubscribe"
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_untranslated_item_is_marked_in_the_message(smtp, issue, language):
    reader = SubscriberFactory(language=language)

    send(issue)

    message = only_message(smtp, reader)
    with override(language):
        note = _("[in %(language)s]") % {"language": _("English")}
    assert f"{WEBINAR_TITLE} {note}" in " ".join(part(message, "plain").split())
    html = part(message, "html")
    assert note in html
    assert 'lang="en" dir="ltr"' in html


def test_english_message_has_no_fallback_mark(smtp, issue):
    reader = SubscriberFactory(language="en")

    send(issue)

    assert "[in " not in part(only_message(smtp, reader), "plain")


# --- who receives what ------------------------------------------------------------------


def test_each_subscriber_gets_the_edition_in_a_language_they_read(smtp, issue):
    readers = {
        "en": SubscriberFactory(language="en"),
        "fr": SubscriberFactory(language="fr"),
        "ar": SubscriberFactory(language="ar"),
        # No Spanish edition: their second language, French.
        "fr (es reader)": SubscriberFactory(language="es", other_languages=["ru", "fr"]),
        # No edition in any of their languages: English.
        "en (ru reader)": SubscriberFactory(language="ru", other_languages=["zh-hans"]),
        "ar (zh reader)": SubscriberFactory(language="zh-hans", other_languages=["ar", "en"]),
    }

    queued, progress = send(issue)

    assert queued == progress.sent == len(readers) == smtp.count()
    for expected, reader in readers.items():
        language = expected.split()[0]
        assert only_message(smtp, reader)["Content-Language"] == language, expected
        assert OutboxMessage.objects.get(subscriber=reader).edition.language == language


def test_filling_the_outbox_again_adds_only_the_missing_rows(issue):
    SubscriberFactory.create_batch(3, language="fr")
    SubscriberFactory(language="es", other_languages=["ar"])

    assert sending.enqueue_outbox(issue) == 4
    assert sending.enqueue_outbox(issue) == 0
    newcomer = SubscriberFactory(language="ru")
    assert sending.enqueue_outbox(issue) == 1

    row = OutboxMessage.objects.get(subscriber=newcomer)
    assert (row.edition.language, row.status, row.attempts) == ("en", "pending", 0)
    assert row.next_attempt_at <= timezone.now()
    assert OutboxMessage.objects.count() == 5


def test_only_confirmed_subscribers_receive_the_update(smtp, issue):
    confirmed = SubscriberFactory()
    PendingSubscriberFactory(email="pending@example.org")
    SubscriberFactory(email="left@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    SubscriberFactory(email="bounced@example.org", status=Subscriber.Status.SUPPRESSED)

    queued, progress = send(issue)

    assert queued == progress.sent == 1
    assert [received.recipients for received in smtp.messages] == [(confirmed.email,)]
    assert OutboxMessage.objects.count() == 1


def test_subscriber_who_leaves_during_the_send_is_skipped(smtp, issue):
    staying, leaving = SubscriberFactory(), SubscriberFactory()
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    Subscriber.objects.filter(pk=leaving.pk).update(status=Subscriber.Status.UNSUBSCRIBED)

    progress = sending.deliver(issue.pk, worker="worker-1")

    assert (progress.sent, progress.skipped) == (1, 1)
    assert smtp.to(leaving.email) == []
    assert len(smtp.to(staying.email)) == 1
    assert OutboxMessage.objects.get(subscriber=leaving).status == OutboxMessage.Status.SKIPPED
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


# --- bad input: sending twice, nothing to send, no right to send ------------------------------


def test_sending_twice_is_refused_and_sends_no_second_copy(smtp, issue):
    reader = SubscriberFactory()
    send(issue)
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT
    assert issue.sent_at is not None
    assert set(issue.editions.values_list("sent_at", flat=True)) == {issue.sent_at}

    with pytest.raises(ValidationError) as refused, override("fr"):
        sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    again = sending.deliver(issue.pk, worker="worker-2")
    call_command("send_update", issue.slug, stdout=(out := StringIO()))

    assert refused.value.messages == [
        "Ce numéro est en cours d'envoi ou a déjà été envoyé\N{NO-BREAK SPACE}; "
        "il n'est pas envoyé deux fois."
    ]
    assert again.sent == 0
    assert "already sent" in out.getvalue()
    assert len(smtp.to(reader.email)) == 1
    assert OutboxMessage.objects.count() == 1


def test_sending_an_issue_being_sent_is_refused(smtp, issue):
    SubscriberFactory()
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)

    with pytest.raises(ValidationError, match="already being sent"):
        sending.start_sending(issue, by=SecretariatFactory(), workers=0)

    assert OutboxMessage.objects.count() == 1
    assert smtp.count() == 0


def test_issue_without_items_is_refused_with_a_clear_error(smtp):
    SubscriberFactory()
    issue = editorial_issue("empty", languages=("en", "fr"))
    issue.items.all().delete()

    with pytest.raises(ValidationError) as refused, override("fr"):
        sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    # The command sends no draft at all (a scheduled issue, after a confirmation).
    with pytest.raises(CommandError, match="is a draft, not sent"):
        call_command("send_update", issue.slug)

    assert refused.value.messages == [
        "Ce numéro ne contient aucun élément\N{NO-BREAK SPACE}; ajoutez-en avant de l'envoyer."
    ]
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.DRAFT
    assert not OutboxMessage.objects.exists()
    assert smtp.count() == 0


def test_only_the_secretariat_may_send(smtp, issue):
    SubscriberFactory()

    with pytest.raises(PermissionDenied):
        sending.start_sending(issue, by=UserFactory(), workers=0)

    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.DRAFT
    assert not OutboxMessage.objects.exists()


# --- temporary and permanent failures ----------------------------------------------------------


def test_temporary_refusal_is_retried_with_backoff_and_later_delivered(smtp, issue, monkeypatch):
    busy, other = SubscriberFactory(), SubscriberFactory()
    smtp.refuse(busy.email, TEMPORARY, times=2)

    _queued, first = send(issue)

    row = OutboxMessage.objects.get(subscriber=busy)
    assert (first.sent, first.retried) == (1, 1)
    assert row.status == OutboxMessage.Status.PENDING
    assert row.attempts == 1
    assert "451" in row.last_error
    assert timedelta(seconds=29) < row.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    assert len(smtp.to(other.email)) == 1
    assert smtp.to(busy.email) == []
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENDING  # not done while a retry is due

    # Not due yet: a worker passing by leaves it alone.
    assert sending.deliver(issue.pk, worker="worker-2").retried == 0

    later(monkeypatch, 31)
    second = sending.deliver(issue.pk, worker="worker-2")
    row.refresh_from_db()
    assert second.retried == 1
    assert row.attempts == 2
    # The wait doubles: 60 s after the second refusal.
    assert timedelta(seconds=59) < row.next_attempt_at - timezone.now() <= timedelta(seconds=60)

    later(monkeypatch, 31 + 61)
    third = sending.deliver(issue.pk, worker="worker-3")
    row.refresh_from_db()
    assert third.sent == 1
    assert row.status == OutboxMessage.Status.SENT
    assert row.attempts == 3
    assert len(smtp.to(busy.email)) == 1
    assert not Bounce.objects.exists()  # a temporary refusal is no bounce
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


def test_temporary_refusals_give_up_after_the_last_attempt(smtp, issue, monkeypatch):
    busy = SubscriberFactory()
    smtp.refuse(busy.email, TEMPORARY)
    send(issue)

    for attempt in range(2, sending.MAX_ATTEMPTS + 1):
        later(monkeypatch, 3600 * attempt)
        sending.deliver(issue.pk, worker=f"worker-{attempt}")

    row = OutboxMessage.objects.get(subscriber=busy)
    assert row.status == OutboxMessage.Status.FAILED
    assert row.attempts == sending.MAX_ATTEMPTS
    busy.refresh_from_db()
    assert busy.status == Subscriber.Status.CONFIRMED  # never a hard bounce
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


def test_permanent_refusal_fails_the_row_and_records_a_hard_bounce(smtp, issue):
    gone, other = SubscriberFactory(), SubscriberFactory()
    smtp.refuse(gone.email, PERMANENT)

    _queued, progress = send(issue)

    assert (progress.sent, progress.failed) == (1, 1)
    row = OutboxMessage.objects.get(subscriber=gone)
    assert row.status == OutboxMessage.Status.FAILED
    assert "550" in row.last_error
    (bounce,) = Bounce.objects.all()
    assert (bounce.subscriber, bounce.kind) == (gone, Bounce.Kind.HARD)
    gone.refresh_from_db()
    assert gone.hard_bounces == 1
    assert gone.status == Subscriber.Status.CONFIRMED  # one bounce is not enough
    assert len(smtp.to(other.email)) == 1
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT  # a failed row is final


def test_three_hard_bounces_suppress_the_address(smtp):
    gone, other = SubscriberFactory(), SubscriberFactory()
    smtp.refuse(gone.email, PERMANENT)

    for n in range(1, 4):
        send(editorial_issue(f"issue-{n}"))
    gone.refresh_from_db()
    assert gone.hard_bounces == 3
    assert gone.status == Subscriber.Status.SUPPRESSED

    fourth = editorial_issue("issue-4")
    queued, progress = send(fourth)

    assert queued == progress.sent == 1
    assert not OutboxMessage.objects.filter(edition__issue=fourth, subscriber=gone).exists()
    assert Bounce.objects.filter(subscriber=gone, kind=Bounce.Kind.HARD).count() == 3
    assert len(smtp.to(other.email)) == 4
    assert smtp.to(gone.email) == []


# --- several workers, leases, crashes ---------------------------------------------------------


def test_two_workers_taking_turns_share_the_work_without_duplicates(smtp):
    issue = editorial_issue("shared", languages=("en", "fr"))
    readers = SubscriberFactory.create_batch(40, language="fr")
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)

    sent_by = {"worker-a": 0, "worker-b": 0}
    while OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists():
        for worker in sent_by:
            sent_by[worker] += sending.deliver(
                issue.pk, worker=worker, batch_size=7, max_batches=1
            ).sent

    assert sent_by["worker-a"] > 0 and sent_by["worker-b"] > 0
    assert sum(sent_by.values()) == len(readers) == smtp.count()
    assert sorted(m.recipients[0] for m in smtp.messages) == sorted(r.email for r in readers)
    assert len({m.message_id for m in smtp.messages}) == len(readers)
    assert set(OutboxMessage.objects.values_list("claimed_by", flat=True)) == set(sent_by)


def test_rows_leased_by_a_live_worker_are_left_to_it(smtp, issue):
    SubscriberFactory.create_batch(12)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    held, _doubtful = sending.claim_batch(issue.pk, "worker-a", size=5)

    progress = sending.deliver(issue.pk, worker="worker-b")

    assert progress.sent == 7
    held_addresses = {row.subscriber.email for row in held}
    assert not held_addresses & {m.recipients[0] for m in smtp.messages}
    assert (
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.SENDING, claimed_by="worker-a"
        ).count()
        == 5
    )
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENDING


def test_rows_of_a_dead_worker_are_taken_over_when_its_lease_ends(smtp, issue, monkeypatch):
    readers = SubscriberFactory.create_batch(12)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    sending.claim_batch(issue.pk, "dead-worker", size=5)  # then it died, having sent none
    sending.deliver(issue.pk, worker="worker-b")

    later(monkeypatch, sending.lease_seconds() + 1)
    progress = sending.deliver(issue.pk, worker="worker-b")

    assert progress.sent == 5
    # The dead worker's first row could have been accepted just before it died.
    assert progress.resent_in_doubt == 1
    assert sorted(m.recipients[0] for m in smtp.messages) == sorted(r.email for r in readers)
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


def test_a_worker_that_waits_takes_over_an_expired_lease(smtp, issue, settings):
    settings.UPDATE_SEND_LEASE_SECONDS = 1
    readers = SubscriberFactory.create_batch(6)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    sending.claim_batch(issue.pk, "dead-worker", size=2)

    progress = sending.deliver(issue.pk, worker="worker-b", wait=True)

    assert progress.sent == 6
    assert sorted(m.recipients[0] for m in smtp.messages) == sorted(r.email for r in readers)
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_share_the_work_without_duplicates(smtp):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need a database two connections share (PostgreSQL)")
    issue = editorial_issue("concurrent", languages=("en", "fr", "ar"))
    readers = SubscriberFactory.create_batch(150)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    start = threading.Barrier(2)
    results = {}

    def work(name):
        try:
            start.wait()
            results[name] = sending.deliver(issue.pk, worker=name, batch_size=10)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert all(progress.sent > 0 for progress in results.values()), results
    assert sum(progress.sent for progress in results.values()) == len(readers)
    assert smtp.count() == len(readers)
    assert len({m.message_id for m in smtp.messages}) == len(readers)
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


# --- how the send starts and shows its progress --------------------------------------------


def test_start_sending_hands_delivery_to_background_tasks(
    smtp, issue, django_capture_on_commit_callbacks
):
    readers = SubscriberFactory.create_batch(5)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = sending.start_sending(issue, by=SecretariatFactory(), workers=2)

    assert queued == 5
    assert len(callbacks) == 2  # two workers, each a task
    assert sorted(m.recipients[0] for m in smtp.messages) == sorted(r.email for r in readers)
    issue.refresh_from_db()
    assert issue.status == UpdateIssue.Status.SENT


def test_start_sending_without_workers_queues_no_task(
    smtp, issue, django_capture_on_commit_callbacks
):
    SubscriberFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sending.start_sending(issue, by=SecretariatFactory(), workers=0)

    # The command line starts its own worker processes: no task may send behind its back.
    assert callbacks == []
    assert smtp.count() == 0


def test_progress_counts_messages_per_edition_and_status(smtp, issue):
    SubscriberFactory.create_batch(2, language="fr")
    SubscriberFactory(language="ar")
    gone = SubscriberFactory(language="ar")
    smtp.refuse(gone.email, PERMANENT)

    send(issue)

    assert sending.progress_of(issue) == {"fr": {"sent": 2}, "ar": {"sent": 1, "failed": 1}}


def test_send_update_worker_delivers_and_reports(smtp, issue):
    SubscriberFactory.create_batch(3)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)

    call_command("send_update", issue.slug, "--worker", stdout=(out := StringIO()))

    assert "worker done: sent 3, failed 0" in out.getvalue()
    assert smtp.count() == 3


# --- messages built from the edition's template ---------------------------------------------


def comparable(message):
    """Headers with folding undone and parts, leaving out the Date (the moment of sending)
    and the multipart boundary (random in each message Django builds)."""
    headers = sorted((name, " ".join(value.split())) for name, value in message.items())
    return (
        [(name, value) for name, value in headers if name not in ("Date", "Content-Type")],
        message.get_content_type(),
        [
            (part.get_content_type(), part.get_content())
            for part in message.walk()
            if not part.is_multipart()
        ],
    )


def test_message_from_the_edition_template_is_the_one_django_builds(smtp, issue):
    SubscriberFactory(language="ar")
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    (row,) = sending.claim_batch(issue.pk, "worker-1")[0]
    rendered = sending.frozen(issue.editions.get(language="ar"))
    template = messages.MessageTemplate(rendered)

    from_template = template.message(row, connection=None).message().as_bytes()
    built = messages.build_message(row, rendered).message().as_bytes(linesep="\r\n")

    assert template.usable
    parse = SmtpSink.parse
    assert comparable(parse(from_template)) == comparable(parse(built))
    assert parse(from_template)["Date"]


def test_address_outside_ascii_is_built_by_django_and_delivered(smtp, issue):
    reader = SubscriberFactory(email="lecteur@exämple.org", language="fr")

    send(issue)

    (received,) = smtp.messages
    assert received.recipients == ("lecteur@xn--exmple-cua.org",)
    assert received.message["To"] == "lecteur@xn--exmple-cua.org"
    assert reader.token in header(received.message, "List-Unsubscribe")


def test_template_is_not_used_when_encoding_would_split_a_link(smtp, issue, monkeypatch):
    reader = SubscriberFactory(language="en")
    # A line longer than SMTP allows makes Django encode the part as quoted-printable,
    # whose soft line breaks may cut a placeholder in two.
    long_line = "x" * 60 + messages.UNSUBSCRIBE + "y" * 1000
    rendered = render_edition(issue.editions.get(language="en"))
    rendered = type(rendered)(
        subject=rendered.subject,
        html=f"<p>{long_line}</p><p>{messages.PREFERENCES}</p>",
        text=rendered.text,
        language="en",
    )
    monkeypatch.setattr(sending, "frozen", lambda edition: rendered)

    send(issue)

    assert not messages.MessageTemplate(rendered).usable
    html = part(only_message(smtp, reader), "html")
    assert f"{SITE_URL}/en/updates/unsubscribe/{reader.token}/" in html
    assert "%%" not in html


# --- the lease fence --------------------------------------------------------------------------


class _Clock:
    """time.monotonic moved forward by `offset` seconds; everything else as in `time`."""

    def __init__(self):
        import time

        self._time = time
        self.offset = 0.0

    def monotonic(self):
        return self._time.monotonic() + self.offset

    def __getattr__(self, name):
        return getattr(self._time, name)


def test_worker_that_stalled_past_its_lease_sends_none_of_the_rows_taken_over(
    smtp, issue, monkeypatch
):
    readers = SubscriberFactory.create_batch(6)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    clock = _Clock()
    monkeypatch.setattr(sending, "time", clock)
    taken_over = []

    def stall_after_the_first(progress):
        if progress.sent == 1:
            # Worker A stalls for longer than its lease; worker B takes its rows over.
            clock.offset += sending.lease_seconds() + 1
            later(monkeypatch, sending.lease_seconds() + 1)
            taken_over.extend(sending.claim_batch(issue.pk, "worker-b")[0])

    first = sending.deliver(issue.pk, worker="worker-a", on_progress=stall_after_the_first)
    second = sending.deliver(issue.pk, worker="worker-c")

    assert first.sent == 1  # A stopped at the fence instead of sending B's rows
    assert len(taken_over) == 5
    assert smtp.count() == 1
    # B died too; C takes its rows over once their lease ends.
    later(monkeypatch, 3 * (sending.lease_seconds() + 1))
    third = sending.deliver(issue.pk, worker="worker-c")
    assert second.sent + third.sent == 5
    assert sorted(m.recipients[0] for m in smtp.messages) == sorted(r.email for r in readers)
    assert len({m.message_id for m in smtp.messages}) == 6


def test_rows_of_a_dead_worker_are_taken_over_before_pending_rows(smtp, issue, monkeypatch):
    SubscriberFactory.create_batch(8)
    sending.start_sending(issue, by=SecretariatFactory(), workers=0)
    dead = sending.claim_batch(issue.pk, "dead-worker", size=8)[0][-3:]
    OutboxMessage.objects.exclude(pk__in=[row.pk for row in dead]).update(
        status=OutboxMessage.Status.PENDING, claimed_by="", claimed_until=None
    )

    later(monkeypatch, sending.lease_seconds() + 1)
    taken, doubtful = sending.claim_batch(issue.pk, "worker-b", size=3)

    assert [row.pk for row in taken] == [row.pk for row in dead]
    assert doubtful == {dead[0].pk}


@pytest.mark.django_db
def test_background_task_comes_back_for_rows_in_backoff(settings, monkeypatch):
    """A task that finds only rows waiting for a retry re-enqueues itself for later."""
    from coalition.updates import tasks
    from coalition.updates.services import sending

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(sending, "deliver", lambda issue_id, **kw: sending.Progress())
    monkeypatch.setattr(sending, "next_due_in", lambda issue_id: 30.0)
    from django_tasks import default_task_backend

    default_task_backend.clear()
    tasks.deliver_issue.call(12345)
    queued = default_task_backend.results
    assert len(queued) == 1
    assert queued[0].task.run_after is not None
