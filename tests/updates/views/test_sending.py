"""Sending the Update from the web: who will receive it, send now, schedule in a time zone,
cancel, the scheduled task, the progress page, and `send_update`'s questions."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from coalition.updates import selectors, tasks
from coalition.updates.models import OutboxMessage, UpdateIssue
from coalition.updates.services import sending
from tests.factories.members import (
    OrganizationFactory,
    SecretariatFactory,
    focal_point_of,
)
from tests.factories.updates import SubscriberFactory, editorial_issue, march_2023

NOW = "coalition.updates.services.sending.timezone.now"

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def sender(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def issue(secretariat):
    return march_2023(by=secretariat)


@pytest.fixture
def readers():
    """Three English, two French and one Arabic reader; a Spanish reader who also reads
    French; a Russian reader with no other language (gets English); one unsubscribed."""
    made = [SubscriberFactory(language=code) for code in ("en", "en", "en", "fr", "fr", "ar")]
    made.append(SubscriberFactory(language="es", other_languages=["fr"]))
    made.append(SubscriberFactory(language="ru"))
    SubscriberFactory(language="en", status="unsubscribed")
    return made


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(name, issue):
    return reverse(f"updates:{name}", kwargs={"pk": issue.pk})


def in_paris(*args):
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Paris"))


class TestRoles:
    PAGES = ("issue-send", "issue-progress")
    ACTIONS = ("issue-send-now", "issue-schedule", "issue-cancel-schedule")

    def test_focal_point_is_refused_everywhere(self, client, issue, readers):
        client.force_login(focal_point_of(OrganizationFactory()))
        for name in self.PAGES:
            assert client.get(url(name, issue)).status_code == 403, name
        for name in self.ACTIONS:
            assert client.post(url(name, issue)).status_code == 403, name
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.DRAFT
        assert not OutboxMessage.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client, issue):
        for name in self.PAGES + self.ACTIONS:
            response = client.post(url(name, issue)) if name in self.ACTIONS else None
            response = response or client.get(url(name, issue))
            assert response.status_code == 302
            assert reverse("account_login") in response["Location"]

    def test_the_issue_page_links_to_sending(self, sender, issue):
        page = sender.get(url("issue-edit", issue)).text
        assert f'href="{url("issue-send", issue)}"' in page


class TestAudience:
    def test_counts_each_edition_by_the_outboxs_rule(self, issue, readers):
        audience = selectors.audience(issue)
        counts = {row.language: row.subscribers for row in audience.editions}
        # The Spanish reader reads French; the Russian one gets English.
        assert counts == {"ar": 1, "en": 4, "fr": 3}
        assert {row.language: row.by_other_language for row in audience.editions} == {
            "ar": 0,
            "en": 1,
            "fr": 1,
        }
        assert audience.total == 8

    def test_matches_what_the_outbox_then_holds(self, issue, readers):
        expected = {row.language: row.subscribers for row in selectors.audience(issue).editions}
        sending.start_sending(issue, by=None, workers=0)
        held = {row.language: row.pending for row in selectors.progress(issue)}
        assert held == expected

    def test_send_page_says_how_many_in_which_language(self, sender, issue, readers):
        response = sender.get(url("issue-send", issue))
        assert response.status_code == 200
        page = response.text
        assert "This Update will be sent to 8 subscribers:" in page
        assert "Send now to 8 subscribers" in page
        for language, name, count in (
            ("en", "English", 4),
            ("fr", "French", 3),
            ("ar", "Arabic", 1),
        ):
            row = page.split(f'data-language="{language}"', 1)[1].split("</tr>", 1)[0]
            assert f">{name}</th>" in row and f"<td>{count}" in row

    def test_send_page_is_translated(self, sender, issue, readers):
        response = sender.get(url("issue-send", issue).replace("/en/", "/fr/", 1))
        with translation.override("fr"):
            assert translation.gettext("Who will receive it") in response.text


class TestSendNow:
    def test_sends_every_edition_and_shows_the_finished_progress(
        self, sender, issue, readers, committed
    ):
        with committed():
            response = sender.post(url("issue-send-now", issue))
        assert response.status_code == 302
        assert response["Location"] == url("issue-progress", issue)
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.SENT
        assert len(mail.outbox) == 8
        assert {tuple(m.to) for m in mail.outbox} == {(r.email,) for r in readers}

        page = sender.get(response["Location"])
        assert page.status_code == 200
        assert "Refresh" not in page  # done: nothing left to follow
        assert "Done: every message has been sent or has failed" in page.text
        rows = {row.language: row for row in page.context["rows"]}
        assert (rows["en"].sent, rows["fr"].sent, rows["ar"].sent) == (4, 3, 1)
        assert all(row.done and row.percent == 100 for row in rows.values())
        # The archive's editions are one click away.
        assert issue.editions.get(language="fr").get_absolute_url() in page.text

    def test_send_page_of_a_sent_issue_leads_to_its_progress(self, sender, issue):
        sending.start_sending(issue, by=None, workers=0)
        response = sender.get(url("issue-send", issue))
        assert response.status_code == 302
        assert response["Location"] == url("issue-progress", issue)

    def test_sending_twice_is_refused_with_a_message(self, sender, issue, readers, committed):
        with committed():
            sender.post(url("issue-send-now", issue))
        response = sender.post(url("issue-send-now", issue), follow=True)
        assert "is not sent twice" in response.text
        assert len(mail.outbox) == 8

    def test_an_empty_issue_cannot_be_sent(self, sender, readers):
        empty = editorial_issue("empty")
        empty.items.all().delete()
        page = sender.get(url("issue-send", empty))
        assert "This Update has no items" in page.text
        assert url("issue-send-now", empty) not in page.text
        sender.post(url("issue-send-now", empty))
        empty.refresh_from_db()
        assert empty.status == UpdateIssue.Status.DRAFT


class TestSchedule:
    def schedule(self, sender, issue, when="2099-03-02T09:00", zone="Asia/Tokyo"):
        return sender.post(url("issue-schedule", issue), {"send_at": when, "time_zone": zone})

    def test_schedules_in_the_chosen_zone_and_freezes_the_issue(
        self, sender, issue, committed, readers
    ):
        with committed():
            response = self.schedule(sender, issue)
        assert response.status_code == 302
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.SCHEDULED
        # 09:00 in Tokyo is midnight UTC.
        assert issue.send_at == datetime(2099, 3, 2, 0, 0, tzinfo=UTC)
        assert issue.send_time_zone == "Asia/Tokyo"
        page = sender.get(url("issue-send", issue)).text
        assert "09:00 JST" in page
        assert "Cancel the scheduled send" in page
        # Nothing went yet (the task waits for its time), and editing is refused.
        assert not mail.outbox and not OutboxMessage.objects.exists()
        edit = sender.get(url("issue-edit", issue)).text
        assert "This issue is scheduled to be sent, so it cannot be changed." in edit

    def test_a_time_in_the_past_is_refused_on_the_form(self, sender, issue):
        response = self.schedule(sender, issue, when="2001-01-01T09:00", zone="Europe/Paris")
        assert response.status_code == 400
        assert "Choose a time in the future" in response.text
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.DRAFT

    def test_a_missing_time_reshows_the_form(self, sender, issue):
        response = self.schedule(sender, issue, when="", zone="Nowhere/City")
        assert response.status_code == 400
        assert set(response.context["schedule_form"].errors) == {"send_at", "time_zone"}

    def test_cancelling_makes_it_a_draft_again(self, sender, issue):
        self.schedule(sender, issue)
        response = sender.post(url("issue-cancel-schedule", issue), follow=True)
        assert "The scheduled send is cancelled" in response.text
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.DRAFT
        assert issue.send_at is None and issue.send_time_zone == ""

    def test_cancelling_what_is_not_scheduled_says_so(self, sender, issue):
        response = sender.post(url("issue-cancel-schedule", issue), follow=True)
        assert "there is nothing to cancel" in response.text


class TestScheduledTask:
    def scheduled(self, issue, at):
        with mock.patch(NOW, return_value=at - timedelta(1)):
            return sending.schedule_sending(issue, by=None, send_at=at, time_zone="Europe/Paris")

    def test_sends_when_its_time_has_come(self, issue, readers, committed):
        at = in_paris(2030, 3, 2, 9, 0)
        issue = self.scheduled(issue, at)
        with (
            mock.patch(NOW, return_value=at),
            committed(),
        ):
            tasks.send_scheduled_issue.call(issue.pk, at.isoformat())
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.SENT
        assert len(mail.outbox) == len(readers)

    def test_does_nothing_before_its_time_after_a_change_or_a_cancel(self, issue, readers):
        at = in_paris(2030, 3, 2, 9, 0)
        issue = self.scheduled(issue, at)
        early = sending.send_if_due(issue.pk, at.isoformat())  # now is 2026: too early
        later = at + timedelta(hours=2)
        issue = self.scheduled(issue, later)
        with mock.patch(NOW, return_value=at):
            moved = sending.send_if_due(issue.pk, at.isoformat())  # the old time's task
        sending.cancel_schedule(issue, by=None)
        with mock.patch(NOW, return_value=later):
            cancelled = sending.send_if_due(issue.pk, later.isoformat())
        assert (early, moved, cancelled) == (None, None, None)
        assert not mail.outbox and not OutboxMessage.objects.exists()

    def test_only_the_secretariat_schedules(self, issue):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            sending.schedule_sending(
                issue,
                by=focal_point_of(OrganizationFactory()),
                send_at=timezone.now() + timedelta(days=1),
                time_zone="UTC",
            )

    def test_an_issue_emptied_since_goes_back_to_draft(self, issue, readers):
        at = in_paris(2030, 3, 2, 9, 0)
        issue = self.scheduled(issue, at)
        issue.items.all().delete()
        with mock.patch(NOW, return_value=at):
            assert sending.send_if_due(issue.pk, at.isoformat()) is None
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.DRAFT
        assert not mail.outbox


class TestProgressPage:
    def test_counts_each_state_per_edition_and_reloads_itself_while_sending(
        self, sender, issue, readers
    ):
        sending.start_sending(issue, by=None, workers=0)
        rows = OutboxMessage.objects.filter(edition__language="en").order_by("pk")
        ids = list(rows.values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk=ids[0]).update(status="sent")
        OutboxMessage.objects.filter(pk=ids[1]).update(status="sent", resent_in_doubt=True)
        OutboxMessage.objects.filter(pk=ids[2]).update(status="pending", attempts=2)
        OutboxMessage.objects.filter(pk=ids[3]).update(status="failed", attempts=6)
        fr = OutboxMessage.objects.filter(edition__language="fr").values_list("pk", flat=True)
        OutboxMessage.objects.filter(pk=fr[0]).update(status="sending")

        response = sender.get(url("issue-progress", issue))
        assert response.status_code == 200
        assert response["Refresh"] == "3"
        assert response["Cache-Control"] == "no-store"
        rows = {row.language: row for row in response.context["rows"]}
        en = rows["en"]
        assert (en.sent, en.pending, en.retrying, en.failed, en.resent_in_doubt) == (2, 0, 1, 1, 1)
        assert not en.done and en.percent == 75
        assert (rows["fr"].pending, rows["ar"].pending) == (3, 1)
        assert "Stop updating" in response.text

        still = sender.get(url("issue-progress", issue) + "?auto=off")
        assert "Refresh" not in still
        assert "Update automatically" in still.text

    def test_queries_do_not_grow_with_messages(self, sender, issue, django_assert_max_num_queries):
        for _n in range(3):
            SubscriberFactory(language="fr")
        sending.start_sending(issue, by=None, workers=0)
        with django_assert_max_num_queries(10) as few:
            first = sender.get(url("issue-progress", issue))
        for _n in range(30):
            OutboxMessage.objects.create(
                edition=issue.editions.get(language="ar"), subscriber=SubscriberFactory()
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            second = sender.get(url("issue-progress", issue))
        assert first.status_code == second.status_code == 200
        assert [row.total for row in second.context["rows"]] == [30, 0, 3]

    def test_a_draft_has_no_progress_yet(self, sender, issue):
        response = sender.get(url("issue-progress", issue))
        assert response.status_code == 302
        assert response["Location"] == url("issue-send", issue)


class TestCommand:
    def test_refuses_a_draft(self, issue, readers):
        with pytest.raises(CommandError, match="is a draft, not sent"):
            call_command("send_update", issue.slug)
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.DRAFT
        assert not OutboxMessage.objects.exists()

    def scheduled(self, issue):
        return sending.schedule_sending(
            issue, by=None, send_at=timezone.now() + timedelta(days=1), time_zone="Europe/Paris"
        )

    def test_asks_before_sending_a_scheduled_issue_and_no_stops_it(self, issue, readers):
        self.scheduled(issue)
        out = StringIO()
        with (
            mock.patch("builtins.input", return_value="n") as asked,
            pytest.raises(CommandError, match="Not sent"),
        ):
            call_command("send_update", issue.slug, stdout=out)
        question = asked.call_args.args[0]
        assert "Send it now?" in question
        assert "goes to 8 subscribers: 1 in Arabic, 4 in English, 3 in French" in out.getvalue()
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.SCHEDULED

    def test_without_a_terminal_it_does_not_send(self, issue):
        self.scheduled(issue)
        with (
            mock.patch("builtins.input", side_effect=EOFError),
            pytest.raises(CommandError, match="--yes sends without asking"),
        ):
            call_command("send_update", issue.slug, stdout=StringIO())

    def test_yes_sends_without_asking(self, issue, readers):
        self.scheduled(issue)
        with (
            mock.patch("builtins.input", side_effect=AssertionError("asked")),
            mock.patch("subprocess.Popen") as workers,
        ):
            workers.return_value.poll.return_value = 0
            workers.return_value.returncode = 0
            call_command("send_update", issue.slug, "--yes", "--no-progress", stdout=StringIO())
        issue.refresh_from_db()
        assert issue.status == UpdateIssue.Status.SENDING
        assert OutboxMessage.objects.count() == 8


def test_schedule_service_refuses_a_sent_issue(issue):
    sending.start_sending(issue, by=None, workers=0)
    with pytest.raises(ValidationError, match="not sent twice"):
        sending.schedule_sending(
            issue, by=None, send_at=timezone.now() + timedelta(days=1), time_zone="UTC"
        )
