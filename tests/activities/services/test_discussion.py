"""The discussion of an event: posting in sanitized Markdown, hiding, reporting, rate limits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.activities.models import Post, PostReport, State
from coalition.activities.services import discussion
from tests.factories.activities import (
    ROLES,
    PostFactory,
    PresentationFactory,
    WebinarFactory,
    member,
    organizer_of,
    user_in_role,
)
from tests.factories.members import PersonFactory, SecretariatFactory, UserFactory
from tests.support.clients import signed_in

pytestmark = pytest.mark.django_db


def post_url(event):
    return reverse("activities:post-create", kwargs={"slug": event.slug})


def hide_url(post):
    return reverse("activities:post-hide", kwargs={"slug": post.activity.slug, "pk": post.pk})


def report_url(post):
    return reverse("activities:post-report", kwargs={"slug": post.activity.slug, "pk": post.pk})


# --- Markdown, sanitized -----------------------------------------------------------------


class TestMarkdown:
    def test_render_markdown_keeps_formatting_and_web_links(self):
        html = discussion.render_markdown(
            "Thanks for **the talk** on *open textbooks*:\n\n- one\n- two\n\n"
            "[OER Recommendation](https://www.unesco.org/en/legal-affairs/recommendation-open-educational-resources-oer)"
        )
        assert "<strong>the talk</strong>" in html
        assert "<em>open textbooks</em>" in html
        assert "<li>one</li>" in html
        assert 'href="https://www.unesco.org/en/legal-affairs/' in html
        assert 'rel="nofollow noopener noreferrer"' in html

    @pytest.mark.parametrize(
        ("markdown_text", "forbidden"),
        [
            ("<script>alert('x')</script> hello", ("<script", "alert(")),
            ("[click](javascript:alert(1))", ("javascript:",)),
            ('<a href="javascript:alert(1)">click</a>', ("javascript:",)),
            ('<img src="x" onerror="alert(1)">', ("<img", "onerror")),
            ('<p onclick="steal()">hi</p>', ("onclick", "steal")),
            ("<iframe src='https://evil.example'></iframe>", ("<iframe",)),
            ("![tracker](https://evil.example/pixel.gif)", ("<img", "evil.example")),
            ('<div style="background:url(javascript:x)">hi</div>', ("style=", "javascript:")),
        ],
    )
    def test_render_markdown_removes_raw_html_and_unsafe_links(self, markdown_text, forbidden):
        html = discussion.render_markdown(markdown_text).lower()
        for marker in forbidden:
            assert marker.lower() not in html

    def test_render_markdown_turns_headings_into_allowed_levels(self):
        html = discussion.render_markdown("# Questions\n\ntext")
        assert "<h3" in html and "Questions" in html
        assert "<h1" not in html

    def test_create_post_stores_markdown_and_sanitized_html(self):
        event = WebinarFactory()
        post = discussion.create_post(
            event, user=member(), body="**Great** session <script>alert(1)</script>"
        )
        post.refresh_from_db()
        assert post.body == "**Great** session <script>alert(1)</script>"
        assert "<strong>Great</strong>" in post.body_html
        assert "<script" not in post.body_html

    def test_create_post_refuses_a_message_with_nothing_safe_left(self):
        with pytest.raises(ValidationError) as refused:
            discussion.create_post(
                WebinarFactory(), user=member(), body="<script>alert(1)</script>"
            )
        assert "body" in refused.value.message_dict
        assert not Post.objects.exists()


# --- posting: the role matrix and bad input ---------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_post_role_matrix(client, role):
    event = WebinarFactory()
    response = signed_in(client, user_in_role(role, event)).post(
        post_url(event), {"body": "Will the slides be shared?"}
    )
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
        assert not Post.objects.exists()
    else:
        post = Post.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"#post-{post.pk}")
        assert post.activity == event and post.presentation is None


@pytest.mark.parametrize("role", ROLES[1:])
def test_post_on_unpublished_event_is_refused_to_everyone(client, role):
    event = WebinarFactory(state=State.SUBMITTED, published_at=None)
    response = signed_in(client, user_in_role(role, event)).post(post_url(event), {"body": "Hello"})
    assert response.status_code == 403
    assert not Post.objects.exists()


class TestPosting:
    def test_post_goes_to_the_presentation_thread(self, client):
        event = WebinarFactory()
        presentation = PresentationFactory(activity=event)
        client.force_login(member())
        client.post(post_url(event), {"body": "About this talk", "presentation": presentation.pk})
        assert Post.objects.get().presentation == presentation

    def test_post_to_presentation_of_another_event_is_refused(self, client):
        event = WebinarFactory()
        elsewhere = PresentationFactory()
        client.force_login(member())
        response = client.post(post_url(event), {"body": "x", "presentation": elsewhere.pk})
        assert response.status_code == 200
        assert not Post.objects.exists()

    def test_empty_post_reshows_form_with_message(self, client):
        event = WebinarFactory()
        client.force_login(member())
        response = client.post(post_url(event), {"body": "   "})
        assert response.status_code == 200
        assert "Write a message before sending it." in response.text
        assert not Post.objects.exists()

    def test_too_long_post_reshows_form_with_text_and_message(self, client):
        event = WebinarFactory()
        client.force_login(member())
        body = "a" * (discussion.MAX_POST_LENGTH + 1)
        response = client.post(post_url(event), {"body": body})
        assert response.status_code == 200
        assert "at most 10000 characters long; this one has 10001" in response.text
        assert body in response.text  # nothing the person wrote is lost
        assert not Post.objects.exists()

    def test_create_post_service_refuses_too_long_body(self):
        with pytest.raises(ValidationError):
            discussion.create_post(
                WebinarFactory(), user=member(), body="a" * (discussion.MAX_POST_LENGTH + 1)
            )
        assert not Post.objects.exists()

    def test_post_at_the_limit_is_accepted(self):
        post = discussion.create_post(
            WebinarFactory(), user=member(), body="a" * discussion.MAX_POST_LENGTH
        )
        assert len(post.body) == discussion.MAX_POST_LENGTH

    def test_posting_is_rate_limited_per_account(self, client, settings):
        settings.RATELIMIT_ENABLE = True
        event = WebinarFactory()
        client.force_login(member())
        for number in range(10):
            assert client.post(post_url(event), {"body": f"message {number}"}).status_code == 302
        response = client.post(post_url(event), {"body": "one too many"})
        assert response.status_code == 429
        assert Post.objects.count() == 10
        # Another account is not slowed down by the first one's messages.
        client.force_login(member())
        assert client.post(post_url(event), {"body": "my first"}).status_code == 302

    def test_posting_is_not_limited_when_ratelimit_is_disabled(self, client):
        event = WebinarFactory()
        client.force_login(member())
        for number in range(12):
            assert client.post(post_url(event), {"body": f"message {number}"}).status_code == 302


# --- hiding and reporting ---------------------------------------------------------------


HIDE_ALLOWED = {"organizer", "secretariat"}


@pytest.mark.parametrize("role", ROLES)
def test_hide_role_matrix(client, role):
    post = PostFactory()
    response = signed_in(client, user_in_role(role, post.activity)).post(hide_url(post))
    post.refresh_from_db()
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    elif role in HIDE_ALLOWED:
        assert response.status_code == 302
        assert response["Location"].endswith(f"#post-{post.pk}")
    else:
        assert response.status_code == 403
    assert post.is_hidden == (role in HIDE_ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_report_role_matrix(client, role):
    post = PostFactory()
    user = user_in_role(role, post.activity)
    response = signed_in(client, user).post(report_url(post), {"reason": "Off topic advertising"})
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
        assert not PostReport.objects.exists()
    else:
        assert response.status_code == 302
        report = PostReport.objects.get()
        assert report.reporter == user and report.reason == "Off topic advertising"


class TestHiding:
    def test_hide_needs_post_method(self, client):
        post = PostFactory()
        client.force_login(organizer_of(post.activity))
        assert client.get(hide_url(post)).status_code == 405

    def test_hide_records_the_moderator_and_show_again_restores(self, client):
        post = PostFactory()
        organizer = organizer_of(post.activity)
        client.force_login(organizer)
        client.post(hide_url(post))
        post.refresh_from_db()
        assert post.is_hidden and post.hidden_by == organizer
        client.post(hide_url(post), {"action": "show"})
        post.refresh_from_db()
        assert not post.is_hidden and post.hidden_by is None

    def test_hide_service_checks_permission(self):
        post = PostFactory()
        with pytest.raises(PermissionDenied):
            discussion.hide_post(post, user=member())

    def test_hidden_post_shows_only_a_notice_to_others_and_full_text_to_moderators(self, client):
        post = PostFactory(body="Buy cheap **pills** here")
        discussion.hide_post(post, user=SecretariatFactory())
        url = post.activity.get_absolute_url()

        public = client.get(url).text
        assert "Hidden by a moderator." in public
        assert "pills" not in public

        client.force_login(post.author)
        assert "pills" not in client.get(url).text  # not even its author

        client.force_login(organizer_of(post.activity))
        page = client.get(url).text
        assert "<strong>pills</strong>" in page
        assert "Only moderators can read it." in page
        assert "Show again" in page


class TestReporting:
    def test_report_needs_a_reason(self, client):
        post = PostFactory()
        client.force_login(member())
        response = client.post(report_url(post), {"reason": "  "})
        assert response.status_code == 200
        assert "Say briefly what is wrong with this message." in response.text
        assert not PostReport.objects.exists()

    def test_report_twice_keeps_one_report_and_says_so(self, client):
        post = PostFactory()
        client.force_login(member())
        client.post(report_url(post), {"reason": "Spam"})
        response = client.post(report_url(post), {"reason": "Spam again"}, follow=True)
        assert PostReport.objects.count() == 1
        assert "You have already reported this message." in response.text

    def test_report_service_refuses_a_second_report(self):
        post = PostFactory()
        reporter = member()
        discussion.report_post(post, user=reporter, reason="Spam")
        with pytest.raises(ValidationError) as refused:
            discussion.report_post(post, user=reporter, reason="Spam")
        assert refused.value.code == "duplicate"

    def test_report_form_quotes_the_post(self, client):
        post = PostFactory(body="A *questionable* claim")
        client.force_login(member())
        page = client.get(report_url(post)).text
        assert "<em>questionable</em>" in page

    def test_reports_are_listed_for_organizers_and_secretariat_only(self, client):
        post = PostFactory()
        discussion.report_post(post, user=member(), reason="Personal attack on a speaker")
        url = post.activity.get_absolute_url()
        for viewer in (organizer_of(post.activity), SecretariatFactory()):
            client.force_login(viewer)
            page = client.get(url).text
            assert "One reported message" in page
            assert "Personal attack on a speaker" in page
            assert f'href="#post-{post.pk}"' in page
        client.force_login(member())
        assert "Personal attack on a speaker" not in client.get(url).text
        client.logout()
        assert "Personal attack on a speaker" not in client.get(url).text

    def test_reporter_sees_that_they_reported(self, client):
        post = PostFactory()
        reporter = member()
        discussion.report_post(post, user=reporter, reason="Spam")
        client.force_login(reporter)
        assert "You reported this message." in client.get(post.activity.get_absolute_url()).text


# --- the panel on the event page --------------------------------------------------------


class TestPanel:
    def test_anonymous_visitors_read_the_thread_and_are_invited_to_sign_in(self, client):
        post = PostFactory(body="Welcome, everyone")
        page = client.get(post.activity.get_absolute_url()).text
        assert "Welcome, everyone" in page
        assert "Sign in to take part in the discussion" in page
        assert reverse("account_login") in page
        assert "<textarea" not in page

    def test_signed_in_members_get_a_form_per_thread(self, client):
        event = WebinarFactory()
        PresentationFactory(activity=event, title="Open textbooks in Morocco")
        client.force_login(member())
        page = client.get(event.get_absolute_url()).text
        assert page.count("<textarea") == 2
        assert "Open textbooks in Morocco" in page
        assert "Sign in to take part" not in page

    def test_posts_appear_in_their_thread(self, client):
        event = WebinarFactory()
        talk = PresentationFactory(activity=event, title="Open textbooks in Morocco")
        PostFactory(activity=event, body="About the whole webinar")
        PostFactory(activity=event, presentation=talk, body="About Morocco")
        page = client.get(event.get_absolute_url()).text
        assert page.index("About the whole event") < page.index("About the whole webinar")
        assert page.index("Open textbooks in Morocco") < page.index("About Morocco")

    def test_authors_show_public_names_only_never_emails(self, client):
        event = WebinarFactory()
        public = UserFactory(email="amina@example.org")
        PersonFactory(user=public, name="Amina Diallo", public_profile=True)
        private = UserFactory(email="secret.person@example.org")
        PersonFactory(user=private, name="Hidden Name", public_profile=False)
        no_person = UserFactory(email="no.profile@example.org")
        for author in (public, private, no_person):
            PostFactory(activity=event, author=author)
        client.force_login(organizer_of(event))
        page = client.get(event.get_absolute_url()).text
        assert "Amina Diallo" in page
        assert page.count("A member") >= 2
        for hidden in ("Hidden Name", "secret.person@", "no.profile@", "amina@"):
            assert hidden not in page

    def test_discussion_is_absent_on_unpublished_events(self, client):
        event = WebinarFactory(state=State.SUBMITTED, published_at=None)
        client.force_login(organizer_of(event))
        assert 'id="discussion"' not in client.get(event.get_absolute_url()).text

    def test_panel_query_count_does_not_grow_with_posts(self, client):
        event = WebinarFactory()
        organizer = organizer_of(event)
        talks = [PresentationFactory(activity=event) for _ in range(2)]

        def add_posts(count):
            for index in range(count):
                author = UserFactory()
                PersonFactory(user=author, public_profile=index % 2 == 0)
                post = PostFactory(activity=event, author=author, presentation=talks[index % 2])
                discussion.report_post(post, user=member(), reason="Please check")

        def count_queries(viewer):
            client.force_login(viewer)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(event.get_absolute_url()).status_code == 200
            return len(queries)

        reader = member()
        add_posts(2)
        few = {"organizer": count_queries(organizer), "reader": count_queries(reader)}
        add_posts(15)
        assert count_queries(organizer) == few["organizer"]
        assert count_queries(reader) == few["reader"]


class TestForms:
    def test_panel_forms_carry_a_working_csrf_token(self):
        from django.test import Client

        event = WebinarFactory()
        post = PostFactory(activity=event)
        client = Client(enforce_csrf_checks=True)
        client.force_login(organizer_of(event))
        page = client.get(event.get_absolute_url()).text
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert client.post(hide_url(post)).status_code == 403  # no token, no change
        assert client.post(hide_url(post), {"csrfmiddlewaretoken": token}).status_code == 302
        response = client.post(post_url(event), {"body": "Hello", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.is_hidden and Post.objects.count() == 2

    def test_post_form_page_shows_the_thread(self, client):
        event = WebinarFactory()
        talk = PresentationFactory(activity=event, title="Open textbooks in Morocco")
        client.force_login(member())
        page = client.get(post_url(event), {"presentation": talk.pk}).text
        assert "Thread: Open textbooks in Morocco." in page
