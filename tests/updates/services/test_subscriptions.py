"""Subscribers of the Update: double opt-in, one-click unsubscribe, preferences and personal
data, members' one-click subscription, the secretariat's import and counts, bounces."""

import base64
import json
import re
import time
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from coalition.members.models import WorkingGroup
from coalition.recommendation.models import ActionArea
from coalition.updates import messages, tokens
from coalition.updates.models import Bounce, OutboxMessage, Subscriber
from coalition.updates.services import sending, subscriptions
from tests.factories.members import SecretariatFactory, UserFactory
from tests.factories.updates import (
    ImportedSubscriberFactory,
    PendingSubscriberFactory,
    SubscriberFactory,
    issue_with_editions,
)

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/en/updates/subscribe/"
CONFIRM_LINK = re.compile(r"https?://\S+/updates/subscribe/confirm/[^/\s]+/")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the code queued on commit (the e-mails), as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def subscribe_data(email="ada@example.org", **overrides):
    data = {"email": email, "language": "en", "consent": "on"}
    data.update(overrides)
    return data


def confirm_link(message):
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def path_of(url):
    return urlsplit(url).path


def post_subscribe(client, committed, data, url=SUBSCRIBE):
    with committed():
        return client.post(url, data)


# --- the subscribe form and double opt-in ---------------------------------------------------


class TestSubscribeForm:
    def test_form_defaults_to_the_page_language(self, client):
        response = client.get("/fr/updates/subscribe/")
        assert response.status_code == 200
        assert response.context["form"]["language"].value() == "fr"
        assert 'lang="fr"' in response.text

    def test_form_offers_the_working_groups_and_action_areas(self, client):
        response = client.get(SUBSCRIBE)
        form = response.context["form"]
        assert set(form.fields["working_groups"].queryset) == set(WorkingGroup.objects.all())
        assert form.fields["action_areas"].queryset.count() == 5
        assert escape(str(subscriptions.CONSENT_TEXT)) in response.text

    def test_subscribing_creates_a_pending_subscriber_with_consent_and_interests(
        self, client, committed
    ):
        group = WorkingGroup.objects.get(slug="supportive-policy")
        area = ActionArea.objects.get(number=3)
        before = timezone.now()
        response = post_subscribe(
            client,
            committed,
            subscribe_data(
                email="  Ada@Example.ORG ",
                language="ar",
                other_languages=["fr", "ar", "en"],
                working_groups=[group.pk],
                action_areas=[area.pk],
            ),
            url="/fr/updates/subscribe/",
        )
        assert response.status_code == 302
        subscriber = Subscriber.objects.get()
        assert subscriber.email == "ada@example.org"
        assert subscriber.status == Subscriber.Status.PENDING
        assert subscriber.source == "form"
        assert subscriber.language == "ar"
        assert subscriber.other_languages == ["en", "fr"]  # UN order, without the main language
        assert list(subscriber.working_groups.all()) == [group]
        assert list(subscriber.action_areas.all()) == [area]
        # The sentence as shown on the French page, when it was shown.
        with translation.override("fr"):
            assert subscriber.consent_text == str(subscriptions.CONSENT_TEXT)
        assert subscriber.consented_at >= before
        assert subscriber.confirmed_at is None

    def test_double_opt_in_end_to_end(self, client, committed):
        post_subscribe(client, committed, subscribe_data(language="fr"))
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["ada@example.org"]
        assert message.extra_headers["Content-Language"] == "fr"
        link = confirm_link(message)
        # The link leads to a page in the language chosen for the Update.
        assert path_of(link).startswith("/fr/updates/subscribe/confirm/")
        # It does not carry the address itself (links end up in logs).
        payload = path_of(link).split("/")[-2].split(":")[0]
        assert b"ada@" not in base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        subscriber = Subscriber.objects.get()

        page = client.get(path_of(link))
        assert page.status_code == 200
        assert 'lang="fr"' in page.text
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING  # opening the link is not enough

        done = client.post(path_of(link))
        assert done.status_code == 200
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.CONFIRMED
        assert subscriber.confirmed_at is not None
        assert f"/fr/updates/preferences/{subscriber.token}/" in done.text
        # Clicking again is harmless.
        again = client.get(path_of(link))
        assert again.status_code == 200
        assert len(mail.outbox) == 1

    def test_confirmation_mail_names_the_link_lifetime_and_nothing_else_is_sent(
        self, client, committed
    ):
        post_subscribe(client, committed, subscribe_data())
        message = mail.outbox[0]
        assert "7 days" in message.body
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        issue = issue_with_editions("en")
        assert sending.enqueue_outbox(issue) == 0

    def test_expired_link_shows_a_clear_page_and_changes_nothing(self, client):
        subscriber = PendingSubscriberFactory()
        eight_days_ago = time.time() - timedelta(days=8).total_seconds()
        with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
            signed = tokens.confirmation_token(subscriber)
        url = reverse("updates:subscribe-confirm", kwargs={"signed": signed})
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "This link has expired" in response.text
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING

    def test_link_expires_after_the_configured_age(self, client):
        subscriber = PendingSubscriberFactory()
        url = reverse(
            "updates:subscribe-confirm",
            kwargs={"signed": tokens.confirmation_token(subscriber)},
        )
        with mock.patch.object(tokens, "CONFIRM_MAX_AGE", timedelta(seconds=-1)):
            assert client.post(url).status_code == 400
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING

    @pytest.mark.parametrize("forge", ["tamper", "other-salt", "garbage"])
    def test_forged_link_is_refused_and_changes_nothing(self, client, forge):
        subscriber = PendingSubscriberFactory()
        genuine = tokens.confirmation_token(subscriber)
        signed = {
            "tamper": genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
            "other-salt": signing.TimestampSigner(salt="elsewhere").sign_object(
                {"id": subscriber.pk, "email": subscriber.email}
            ),
            "garbage": "not-a-token",
        }[forge]
        response = client.post(reverse("updates:subscribe-confirm", kwargs={"signed": signed}))
        assert response.status_code == 400
        assert "This link does not work" in response.text
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING

    def test_link_of_an_address_unsubscribed_since_does_not_resubscribe_it(self, client):
        subscriber = PendingSubscriberFactory()
        url = reverse(
            "updates:subscribe-confirm",
            kwargs={"signed": tokens.confirmation_token(subscriber)},
        )
        subscriptions.unsubscribe(subscriber.token)
        assert client.post(url).status_code == 400
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    def test_error_page_is_translated(self, client):
        response = client.get("/fr/updates/subscribe/confirm/forged/")
        assert response.status_code == 400
        assert 'lang="fr"' in response.text


class TestNoEnumeration:
    @pytest.mark.parametrize("state", ["new", "pending", "confirmed", "unsubscribed", "suppressed"])
    def test_every_address_gets_the_same_answer(self, client, committed, state):
        email = "known@example.org"
        if state != "new":
            SubscriberFactory(email=email, status=state, language="es")
        response = post_subscribe(client, committed, subscribe_data(email=email, language="ru"))
        assert response.status_code == 302
        assert response["Location"] == reverse("updates:subscribe-done")
        page = client.get(response["Location"])
        assert "Check your inbox" in page.text

    def test_new_and_pending_addresses_get_a_confirmation_request(self, client, committed):
        PendingSubscriberFactory(email="pending@example.org")
        for email in ("new@example.org", "pending@example.org"):
            post_subscribe(client, committed, subscribe_data(email=email))
        assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "pending@example.org"]
        assert all(CONFIRM_LINK.search(m.body) for m in mail.outbox)

    def test_confirmed_address_is_unchanged_and_gets_only_a_note(self, client, committed):
        subscriber = SubscriberFactory(email="known@example.org", language="es")
        post_subscribe(client, committed, subscribe_data(email="known@example.org", language="ru"))
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.CONFIRMED
        assert subscriber.language == "es"  # a stranger cannot change someone's choices
        (note,) = mail.outbox
        assert not CONFIRM_LINK.search(note.body)
        assert subscriber.token in note.body  # their preferences link, to their own mailbox

    def test_resubscribing_after_unsubscribing_needs_a_new_confirmation(self, client, committed):
        subscriber = SubscriberFactory(email="back@example.org")
        subscriptions.unsubscribe(subscriber.token)
        post_subscribe(client, committed, subscribe_data(email="back@example.org", language="fr"))
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.PENDING
        assert subscriber.language == "fr"
        assert sending.enqueue_outbox(issue_with_editions("en")) == 0
        client.post(path_of(confirm_link(mail.outbox[0])))
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.CONFIRMED

    def test_suppressed_address_gets_nothing(self, client, committed):
        SubscriberFactory(email="bounced@example.org", status=Subscriber.Status.SUPPRESSED)
        post_subscribe(client, committed, subscribe_data(email="bounced@example.org"))
        assert mail.outbox == []
        assert Subscriber.objects.get().status == Subscriber.Status.SUPPRESSED


class TestBadAddresses:
    @pytest.mark.parametrize(
        "email",
        [
            "someone@mailinator.com",
            "someone@sub.yopmail.com",
            "someone@guerrillamail.com",
            "someone@10minutemail.com",
            "someone@tempmail.plus",
        ],
    )
    def test_disposable_addresses_are_refused(self, client, committed, email):
        response = post_subscribe(client, committed, subscribe_data(email=email))
        assert response.status_code == 200
        assert "throwaway" in " ".join(response.context["form"].errors["email"])
        assert not Subscriber.objects.exists()
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "email",
        ["not-an-address", "a@b@example.org", "ada@localhost", "ada@[127.0.0.1]", "ada@10.0.0.1"],
    )
    def test_malformed_addresses_are_refused(self, client, committed, email):
        response = post_subscribe(client, committed, subscribe_data(email=email))
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
        assert 'class="error"' in response.text
        assert not Subscriber.objects.exists()
        assert mail.outbox == []

    def test_refused_form_keeps_what_was_typed_and_is_translated(self, client, committed):
        response = post_subscribe(
            client,
            committed,
            subscribe_data(email="x@mailinator.com", language="ar"),
            url="/fr/updates/subscribe/",
        )
        assert response.context["form"]["language"].value() == "ar"
        assert 'lang="fr"' in response.text

    def test_consent_is_required(self, client, committed):
        data = subscribe_data()
        del data["consent"]
        response = post_subscribe(client, committed, data)
        assert response.status_code == 200
        assert "consent" in response.context["form"].errors
        assert not Subscriber.objects.exists()
        assert mail.outbox == []

    def test_the_form_is_rate_limited_per_address(self, client, settings):
        settings.RATELIMIT_ENABLE = True
        statuses = [client.post(SUBSCRIBE, {}).status_code for _ in range(21)]
        assert statuses[0] == 200
        assert statuses[-1] == 429


# --- unsubscribe ---------------------------------------------------------------------------


class TestUnsubscribe:
    def test_get_shows_a_button_and_changes_nothing(self, client):
        subscriber = SubscriberFactory()
        response = client.get(reverse("updates:unsubscribe", kwargs={"token": subscriber.token}))
        assert response.status_code == 200
        assert '<form method="post">' in response.text
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.CONFIRMED

    def test_one_click_post_without_csrf_token_or_cookies_unsubscribes(self):
        subscriber = SubscriberFactory()
        provider = Client(enforce_csrf_checks=True)
        response = provider.post(
            reverse("updates:unsubscribe", kwargs={"token": subscriber.token}),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
        assert subscriber.unsubscribed_at is not None
        assert sending.enqueue_outbox(issue_with_editions("en")) == 0

    def test_the_link_built_by_the_sender_is_this_page(self):
        subscriber = SubscriberFactory(language="ar")
        unsubscribe, preferences = messages.personal_links(subscriber, "ar")
        assert path_of(unsubscribe) == f"/ar/updates/unsubscribe/{subscriber.token}/"
        assert path_of(preferences) == f"/ar/updates/preferences/{subscriber.token}/"
        Client(enforce_csrf_checks=True).post(path_of(unsubscribe))
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    def test_unknown_token_gets_the_same_answer(self):
        subscriber = SubscriberFactory()
        provider = Client(enforce_csrf_checks=True)
        known = provider.post(reverse("updates:unsubscribe", kwargs={"token": subscriber.token}))
        unknown = provider.post(reverse("updates:unsubscribe", kwargs={"token": "x" * 43}))
        assert unknown.status_code == known.status_code == 200
        assert unknown.content.replace(b"x" * 43, b"T") == known.content.replace(
            subscriber.token.encode(), b"T"
        )

    def test_suppressed_address_stays_suppressed(self):
        subscriber = SubscriberFactory(status=Subscriber.Status.SUPPRESSED)
        Client(enforce_csrf_checks=True).post(
            reverse("updates:unsubscribe", kwargs={"token": subscriber.token})
        )
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.SUPPRESSED

    def test_personal_pages_are_not_cached_or_indexed(self, client):
        subscriber = SubscriberFactory()
        response = client.get(reverse("updates:unsubscribe", kwargs={"token": subscriber.token}))
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"

    def test_personal_pages_keep_their_address_within_the_hub(self, client):
        subscriber = SubscriberFactory()
        for name in ("unsubscribe", "preferences"):
            response = client.get(reverse(f"updates:{name}", kwargs={"token": subscriber.token}))
            # Not "no-referrer": Chromium would then post the page's forms with Origin: null.
            assert response["Referrer-Policy"] == "same-origin"


class TestPersonalFormsUnderCsrf:
    """The personal pages' forms, posted as a browser posts them: with the CSRF cookie and
    token of the page and the Origin a same-origin Referrer-Policy lets it send."""

    @staticmethod
    def post_from_page(client, url, data):
        page = client.get(url)
        assert page["Referrer-Policy"] == "same-origin"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return client.post(
            url, {**data, "csrfmiddlewaretoken": token}, headers={"Origin": "http://testserver"}
        )

    def test_confirming_passes_the_csrf_check(self, committed):
        post_subscribe(Client(), committed, subscribe_data())
        client = Client(enforce_csrf_checks=True)
        url = path_of(confirm_link(mail.outbox[0]))
        response = self.post_from_page(client, url, {})
        assert response.status_code == 200
        assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    def test_saving_preferences_passes_the_csrf_check(self):
        client = Client(enforce_csrf_checks=True)
        subscriber = SubscriberFactory(language="en")
        url = reverse("updates:preferences", kwargs={"token": subscriber.token})
        response = self.post_from_page(client, url, {"language": "fr"})
        assert response.status_code == 302
        subscriber.refresh_from_db()
        assert subscriber.language == "fr"

    def test_a_post_from_null_origin_is_still_refused(self):
        client = Client(enforce_csrf_checks=True)
        subscriber = SubscriberFactory(language="en")
        url = reverse("updates:preferences", kwargs={"token": subscriber.token})
        page = client.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = client.post(
            url, {"language": "fr", "csrfmiddlewaretoken": token}, headers={"Origin": "null"}
        )
        assert response.status_code == 403
        subscriber.refresh_from_db()
        assert subscriber.language == "en"


# --- preferences and personal data ---------------------------------------------------------


class TestPreferences:
    def test_preferences_are_changed(self, client):
        subscriber = SubscriberFactory(language="en")
        group = WorkingGroup.objects.get(slug="capacity-building")
        url = reverse("updates:preferences", kwargs={"token": subscriber.token})
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["form"]["language"].value() == "en"
        response = client.post(
            url,
            {
                "language": "ar",
                "other_languages": ["fr", "en"],
                "working_groups": [group.pk],
                "action_areas": [1, 5],
            },
        )
        assert response.status_code == 302
        subscriber.refresh_from_db()
        assert subscriber.language == "ar"
        assert subscriber.other_languages == ["en", "fr"]
        assert list(subscriber.working_groups.all()) == [group]
        assert sorted(subscriber.action_areas.values_list("number", flat=True)) == [1, 5]

    def test_invalid_choice_reshows_the_form_and_saves_nothing(self, client):
        subscriber = SubscriberFactory(language="en")
        url = reverse("updates:preferences", kwargs={"token": subscriber.token})
        response = client.post(url, {"language": "xx", "other_languages": ["fr"]})
        assert response.status_code == 200
        assert "language" in response.context["form"].errors
        subscriber.refresh_from_db()
        assert subscriber.language == "en"
        assert subscriber.other_languages == []

    def test_unknown_token_is_not_found(self, client):
        url = reverse("updates:preferences", kwargs={"token": "nope"})
        assert client.get(url).status_code == 404

    def test_unsubscribed_address_cannot_change_preferences(self, client):
        subscriber = SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
        url = reverse("updates:preferences", kwargs={"token": subscriber.token})
        assert "Subscribe again" in client.get(url).text
        assert client.post(url, {"language": "fr"}).status_code == 409
        subscriber.refresh_from_db()
        assert subscriber.language == "en"


class TestPersonalData:
    def test_export_contains_the_subscribers_data_and_nothing_of_others(self, client):
        subscriber = SubscriberFactory(email="me@example.org", other_languages=["fr"])
        subscriber.working_groups.add(WorkingGroup.objects.get(slug="sustainability-models"))
        other = SubscriberFactory(email="someone-else@example.org")
        issue = issue_with_editions("en")
        sending.enqueue_outbox(issue)
        sending.record_bounce(subscriber, kind=Bounce.Kind.SOFT, detail="mailbox full")
        sending.record_bounce(other, kind=Bounce.Kind.HARD, detail="other's secret bounce")
        url = reverse("updates:preferences-export", kwargs={"token": subscriber.token})
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["email"] == "me@example.org"
        assert data["other_languages"] == ["fr"]
        assert data["working_groups"] == ["sustainability-models"]
        assert data["consent_text"] == subscriber.consent_text
        assert data["bounces"][0]["detail"] == "mailbox full"
        assert data["messages"] == [
            {"update": "march-2023", "language": "en", "status": "pending", "sent_at": None}
        ]
        text = response.content.decode()
        assert "someone-else" not in text and "other's secret" not in text
        assert subscriber.token not in text  # the key to the personal links is not data to carry

    def test_erase_asks_first_then_removes_everything(self, client):
        subscriber = SubscriberFactory()
        other = SubscriberFactory()
        sending.enqueue_outbox(issue_with_editions("en"))
        sending.record_bounce(subscriber, kind=Bounce.Kind.HARD)
        url = reverse("updates:preferences-erase", kwargs={"token": subscriber.token})
        assert client.get(url).status_code == 200
        assert Subscriber.objects.filter(pk=subscriber.pk).exists()
        response = client.post(url)
        assert response.status_code == 200
        assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
        assert not OutboxMessage.objects.filter(subscriber_id=subscriber.pk).exists()
        assert not Bounce.objects.filter(subscriber_id=subscriber.pk).exists()
        assert not Subscriber.objects.filter(email=subscriber.email).exists()
        assert OutboxMessage.objects.filter(subscriber=other).count() == 1
        # A second click finds nothing and says the same.
        assert client.post(url).status_code == 200


# --- members' accounts ---------------------------------------------------------------------


class TestAccountSubscription:
    URL = "/en/updates/subscribe/me/"

    def test_member_subscribes_with_one_click(self, client):
        user = UserFactory(preferred_language="fr")
        client.force_login(user)
        response = client.post(self.URL, {"next": "/en/my-hub/"})
        assert response.status_code == 302
        assert response["Location"] == "/en/my-hub/"
        subscriber = Subscriber.objects.get()
        assert subscriber.email == user.email
        assert subscriber.user == user
        assert subscriber.status == Subscriber.Status.CONFIRMED
        assert subscriber.source == "account"
        assert subscriber.language == "fr"
        assert subscriber.consent_text == str(subscriptions.CONSENT_TEXT)
        assert subscriber.confirmed_at is not None and subscriber.consented_at is not None
        assert mail.outbox == []

    def test_second_click_says_already_subscribed(self, client):
        client.force_login(UserFactory())
        client.post(self.URL)
        response = client.post(self.URL, follow=True)
        assert "already subscribed" in response.text
        assert Subscriber.objects.count() == 1

    def test_pending_or_unsubscribed_address_of_a_member_is_confirmed_by_the_click(self, client):
        user = UserFactory()
        pending = PendingSubscriberFactory(email=user.email)
        client.force_login(user)
        client.post(self.URL)
        pending.refresh_from_db()
        assert pending.status == Subscriber.Status.CONFIRMED
        assert pending.user == user

    def test_unverified_address_is_not_subscribed(self, client):
        from allauth.account.models import EmailAddress

        user = UserFactory()
        EmailAddress.objects.filter(user=user).update(verified=False)
        client.force_login(user)
        response = client.post(self.URL, follow=True)
        assert "not verified" in response.text
        assert not Subscriber.objects.exists()

    def test_foreign_next_is_ignored(self, client):
        client.force_login(UserFactory())
        response = client.post(self.URL, {"next": "https://evil.example/"})
        assert response["Location"] == self.URL

    def test_visitors_must_sign_in(self, client):
        response = client.post(self.URL)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not Subscriber.objects.exists()

    def test_panel_shows_the_button_then_the_subscription(self, client):
        user = UserFactory()
        client.force_login(user)
        page = client.get(self.URL)
        assert "Subscribe with one click" in page.text
        assert escape(str(subscriptions.CONSENT_TEXT)) in page.text
        client.post(self.URL)
        page = client.get(self.URL)
        assert "Subscribe with one click" not in page.text
        assert Subscriber.objects.get().token in page.text


# --- the secretariat -----------------------------------------------------------------------


CSV = (
    "email,language,other languages\n"
    "amina@example.org,ar,fr en\n"
    "not an address,en\n"
    "li@example.cn,zh,\n"
    "bad-language@example.org,xx\n"
    "throwaway@mailinator.com,fr\n"
    "AMINA@example.org,fr\n"
    "known@example.org,en\n"
    "\n"
    "pierre@example.fr,fr\n"
)


def upload(content, name="list.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


class TestImport:
    def test_import_reports_bad_lines_and_creates_the_rest_as_pending(self, client, committed):
        known = SubscriberFactory(email="known@example.org", language="es")
        client.force_login(SecretariatFactory())
        with committed():
            response = client.post(reverse("updates:subscriber-import"), {"file": upload(CSV)})
        assert response.status_code == 200
        report = response.context["report"]
        assert report.created == 3
        assert report.existing == 1
        assert [number for number, _line, _problem in report.errors] == [3, 5, 6, 7]
        assert "line 2" in report.errors[3][2]
        for number in ("3", "5", "6", "7"):
            assert f"<td>{number}</td>" in response.text
        imported = {s.email: s for s in Subscriber.objects.filter(source="import")}
        assert set(imported) == {"amina@example.org", "li@example.cn", "pierre@example.fr"}
        assert imported["amina@example.org"].language == "ar"
        assert imported["amina@example.org"].other_languages == ["en", "fr"]
        assert imported["li@example.cn"].language == "zh-hans"
        assert all(s.status == Subscriber.Status.PENDING for s in imported.values())
        assert all(s.consent_text == "" for s in imported.values())
        known.refresh_from_db()
        assert (known.status, known.language, known.source) == ("confirmed", "es", "form")
        assert mail.outbox == []  # nothing until the secretariat asks

    def test_imported_addresses_get_no_update(self):
        ImportedSubscriberFactory.create_batch(3)
        confirmed = SubscriberFactory()
        issue = issue_with_editions("en", "fr")
        assert sending.enqueue_outbox(issue) == 1
        assert list(OutboxMessage.objects.values_list("subscriber_id", flat=True)) == [confirmed.pk]

    def test_confirmation_request_goes_to_imported_pending_addresses_only(self, client, committed):
        client.force_login(SecretariatFactory())
        with committed():
            client.post(reverse("updates:subscriber-import"), {"file": upload(CSV)})
        page = client.get(reverse("updates:subscriber-list"))
        (batch,) = page.context["batches"]
        assert batch["pending"] == 4
        PendingSubscriberFactory(email="form-pending@example.org")
        with committed():
            response = client.post(
                reverse("updates:subscriber-request-confirmation"),
                {"batch": batch["created_at"].isoformat()},
            )
        assert response.status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == [
            "amina@example.org",
            "known@example.org",
            "li@example.cn",
            "pierre@example.fr",
        ]
        amina = next(m for m in mail.outbox if m.to == ["amina@example.org"])
        assert amina.extra_headers["Content-Language"] == "ar"
        link = path_of(confirm_link(amina))
        assert link.startswith("/ar/")
        # The owner confirms, and the consent shown on the page is recorded then.
        page = client.get(link)
        with translation.override("ar"):
            assert escape(str(subscriptions.CONSENT_TEXT)) in page.text
        client.post(link)
        subscriber = Subscriber.objects.get(email="amina@example.org")
        assert subscriber.status == Subscriber.Status.CONFIRMED
        with translation.override("ar"):
            assert subscriber.consent_text == str(subscriptions.CONSENT_TEXT)
        assert subscriber.consented_at is not None

    def test_file_that_is_not_utf8_is_refused(self, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(SecretariatFactory())
        latin1 = SimpleUploadedFile("list.csv", "josé@example.org,fr\n".encode("latin-1"))
        response = client.post(reverse("updates:subscriber-import"), {"file": latin1})
        assert response.status_code == 400
        assert "UTF-8" in response.text
        assert not Subscriber.objects.exists()

    def test_semicolon_separated_file_without_header(self):
        report = subscriptions.import_csv("a@example.org;fr;ar|en\nb@example.org;es\n")
        assert report.created == 2
        assert Subscriber.objects.get(email="a@example.org").other_languages == ["ar", "en"]

    def test_import_command(self, tmp_path, capsys):
        SubscriberFactory(email="known@example.org")
        path = tmp_path / "list.csv"
        path.write_text(CSV, encoding="utf-8")
        call_command("import_subscribers", str(path))
        out, err = capsys.readouterr()
        assert "Imported 3 address(es) as pending; 1 already on the list; 4 line(s) skipped." in out
        assert "line 3:" in err and "line 7:" in err
        assert Subscriber.objects.filter(source="import", status="pending").count() == 3
        assert mail.outbox == []

    def test_import_command_can_request_confirmation(self, tmp_path, committed):
        path = tmp_path / "list.csv"
        path.write_text("pierre@example.fr,fr\n", encoding="utf-8")
        with committed():
            call_command("import_subscribers", str(path), "--request-confirmation")
        assert [m.to for m in mail.outbox] == [["pierre@example.fr"]]

    def test_import_command_with_missing_file(self, tmp_path):
        with pytest.raises(CommandError):
            call_command("import_subscribers", str(tmp_path / "none.csv"))


class TestSecretariatPages:
    @pytest.mark.parametrize(
        ("method", "name"),
        [
            ("get", "updates:subscriber-list"),
            ("post", "updates:subscriber-import"),
            ("post", "updates:subscriber-request-confirmation"),
        ],
    )
    def test_role_matrix(self, client, method, name):
        url = reverse(name)
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        client.force_login(UserFactory())
        assert getattr(client, method)(url).status_code == 403
        client.force_login(SecretariatFactory())
        assert getattr(client, method)(url).status_code in (200, 302, 400)

    def test_secretariat_sees_counts_per_language_and_status(self, client):
        SubscriberFactory.create_batch(3, language="en")
        SubscriberFactory.create_batch(2, language="fr")
        SubscriberFactory(language="ar")
        PendingSubscriberFactory(language="ar")
        ImportedSubscriberFactory(language="fr")
        SubscriberFactory(language="fr", status=Subscriber.Status.UNSUBSCRIBED)
        SubscriberFactory(language="en", status=Subscriber.Status.SUPPRESSED)
        client.force_login(SecretariatFactory())
        response = client.get(reverse("updates:subscriber-list"))
        assert response.status_code == 200
        counts = response.context["counts"]
        statuses = [value for value, _label in counts["statuses"]]
        rows = {
            row["language"]: dict(zip(statuses, row["counts"], strict=True))
            for row in counts["rows"]
        }
        assert rows["en"] == {"pending": 0, "confirmed": 3, "unsubscribed": 0, "suppressed": 1}
        assert rows["fr"] == {"pending": 1, "confirmed": 2, "unsubscribed": 1, "suppressed": 0}
        assert rows["ar"] == {"pending": 1, "confirmed": 1, "unsubscribed": 0, "suppressed": 0}
        assert rows["zh-hans"] == dict.fromkeys(statuses, 0)
        assert counts["total"] == 10
        assert dict(zip(statuses, counts["totals"], strict=True))["confirmed"] == 6
        assert '<th scope="row">French</th>' in response.text

    def test_secretariat_finds_an_address(self, client):
        SubscriberFactory(email="amina@example.org")
        SubscriberFactory(email="pierre@example.fr")
        client.force_login(SecretariatFactory())
        response = client.get(reverse("updates:subscriber-list"), {"q": "amina"})
        assert [s.email for s in response.context["found"]] == ["amina@example.org"]

    def test_list_page_queries_do_not_grow_with_subscribers(
        self, client, django_assert_max_num_queries
    ):
        client.force_login(SecretariatFactory())
        ImportedSubscriberFactory.create_batch(30)
        SubscriberFactory.create_batch(30)
        with django_assert_max_num_queries(8):
            client.get(reverse("updates:subscriber-list"), {"q": "example"})


# --- bounces -------------------------------------------------------------------------------


class TestBounces:
    def test_command_records_bounces_and_three_hard_ones_suppress(self, capsys):
        subscriber = SubscriberFactory(email="gone@example.org")
        call_command("record_bounce", "gone@example.org", "--soft", "--detail", "mailbox full")
        subscriber.refresh_from_db()
        assert subscriber.hard_bounces == 0 and subscriber.status == Subscriber.Status.CONFIRMED
        for _n in range(3):
            call_command("record_bounce", "GONE@example.org", "--hard", "--detail", "550 unknown")
        subscriber.refresh_from_db()
        assert subscriber.hard_bounces == 3
        assert subscriber.status == Subscriber.Status.SUPPRESSED
        assert subscriber.bounces.count() == 4
        assert "status suppressed" in capsys.readouterr().out
        assert sending.enqueue_outbox(issue_with_editions("en")) == 0

    def test_command_with_unknown_address(self):
        with pytest.raises(CommandError):
            call_command("record_bounce", "nobody@example.org", "--hard")

    def test_command_needs_a_kind(self):
        with pytest.raises(CommandError):
            call_command("record_bounce", "nobody@example.org")


WEBHOOK = "/updates/bounces/"
SECRET = "a-long-shared-bounce-secret"


def hook(payload, token=SECRET):
    headers = {"X-Hub-Bounce-Token": token} if token is not None else {}
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return Client(enforce_csrf_checks=True).post(
        WEBHOOK, body, content_type="application/json", headers=headers
    )


class TestBounceWebhook:
    def test_disabled_without_the_setting(self, settings):
        settings.UPDATE_BOUNCE_TOKEN = None
        SubscriberFactory(email="gone@example.org")
        assert hook({"email": "gone@example.org", "kind": "hard"}).status_code == 503
        assert not Bounce.objects.exists()

    @pytest.mark.parametrize("token", [None, "", "wrong", SECRET + "x"])
    def test_bad_token_is_refused(self, settings, token):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        SubscriberFactory(email="gone@example.org")
        assert hook({"email": "gone@example.org", "kind": "hard"}, token=token).status_code == 403
        assert not Bounce.objects.exists()

    def test_three_hard_bounces_suppress_the_address(self, settings):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        subscriber = SubscriberFactory(email="gone@example.org")
        for _n in range(3):
            response = hook({"email": "Gone@example.org", "kind": "hard", "detail": "550 5.1.1"})
            assert response.status_code == 202
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.SUPPRESSED
        assert list(subscriber.bounces.values_list("detail", flat=True)) == ["550 5.1.1"] * 3

    def test_soft_bounce_is_recorded_without_suppression(self, settings):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        subscriber = SubscriberFactory(email="full@example.org")
        assert hook({"email": "full@example.org", "kind": "soft"}).status_code == 202
        subscriber.refresh_from_db()
        assert subscriber.hard_bounces == 0 and subscriber.bounces.get().kind == "soft"

    def test_unknown_address_gets_the_same_answer(self, settings):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        SubscriberFactory(email="known@example.org")
        known = hook({"email": "known@example.org", "kind": "soft"})
        unknown = hook({"email": "nobody@example.org", "kind": "soft"})
        assert unknown.status_code == known.status_code == 202
        assert unknown.content == known.content
        assert Bounce.objects.count() == 1

    @pytest.mark.parametrize(
        "payload", ["not json", "[]", {"kind": "hard"}, {"email": "a@example.org", "kind": "bad"}]
    )
    def test_malformed_requests_are_refused(self, settings, payload):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        assert hook(payload).status_code == 400

    def test_only_post_is_accepted(self, settings):
        settings.UPDATE_BOUNCE_TOKEN = SECRET
        assert Client().get(WEBHOOK, headers={"X-Hub-Bounce-Token": SECRET}).status_code == 405
