"""The secretariat's editing pages: who may edit, composing an issue, translations, previews."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from coalition.activities.models import Activity
from coalition.updates.models import Edition, Item, SectionKind, UpdateIssue
from coalition.updates.views.composer import EXAMPLE_LINKS
from tests.factories.members import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    focal_point_of,
    working_group,
)
from tests.factories.updates import (
    CALL_TITLE,
    PUBLICATION_TITLE,
    WEBINAR_TITLE,
    WSIS_TITLE_EN,
    call_for_submissions,
    march_2023,
    mark_sent,
    publication,
    webinar,
)
from tests.support.queries import assert_list_queries_flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def issue(secretariat):
    return march_2023(by=secretariat)


@pytest.fixture
def editor(client, secretariat):
    client.force_login(secretariat)
    return client


def section_titles(issue, section):
    items = issue.items.filter(section=section).select_related("activity").order_by("order", "pk")
    return [item.activity.title_en if item.activity_id else item.title_en for item in items]


def member():
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user))
    return user


ROLES = {
    "focal point": lambda: focal_point_of(OrganizationFactory()),
    "chair": lambda: chair_of(working_group()),
    "member": member,
}


def editing_urls(issue):
    return [
        reverse("updates:manage-list"),
        reverse("updates:issue-create"),
        reverse("updates:issue-edit", kwargs={"pk": issue.pk}),
        reverse("updates:translation-status", kwargs={"pk": issue.pk}),
        reverse("updates:edition-edit", kwargs={"pk": issue.pk, "language": "fr"}),
        reverse("updates:preview-email", kwargs={"pk": issue.pk, "language": "ar"}),
        reverse("updates:preview-email-raw", kwargs={"pk": issue.pk, "language": "ar"}),
        reverse("updates:preview-web", kwargs={"pk": issue.pk, "language": "ar"}),
    ]


class TestRoles:
    def test_secretariat_opens_every_editing_page(self, editor, issue):
        for url in editing_urls(issue):
            assert editor.get(url).status_code == 200, url

    @pytest.mark.parametrize("role", ROLES)
    def test_other_roles_are_refused(self, client, issue, role):
        client.force_login(ROLES[role]())
        for url in editing_urls(issue):
            assert client.get(url).status_code == 403, url
        item = issue.items.first()
        response = client.post(
            reverse("updates:item-remove", kwargs={"pk": issue.pk, "item_pk": item.pk})
        )
        assert response.status_code == 403
        assert Item.objects.filter(pk=item.pk).exists()

    def test_anonymous_is_sent_to_sign_in(self, client, issue):
        for url in editing_urls(issue):
            response = client.get(url)
            assert response.status_code == 302, url
            assert reverse("account_login") in response["Location"]
        response = client.post(reverse("updates:issue-refresh", kwargs={"pk": issue.pk}))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_issue_list_query_count_does_not_grow_with_issues(editor):
    march_2023()

    def grow():
        for month in range(4, 10):
            march_2023(title=f"Issue {month}")
        return 6

    response = assert_list_queries_flat(editor, reverse("updates:manage-list"), grow=grow, most=12)
    assert len(response.context["page"]) == 7
    assert "Draft" in response.text


class TestNewDraft:
    def data(self, **overrides):
        data = {
            "title": "March 2023",
            "period_start": "2023-03-01",
            "period_end": "2023-03-31",
            "next_deadline": "2023-03-20T23:59",
            "time_zone": "Europe/Paris",
            "languages": ["en", "fr", "ar"],
        }
        data.update(overrides)
        return data

    def test_form_preselects_english_french_and_arabic(self, editor):
        form = editor.get(reverse("updates:issue-create")).context["form"]
        assert form["languages"].initial == ["en", "fr", "ar"]
        assert form["time_zone"].initial == "Europe/Paris"

    def test_draft_is_assembled_with_the_deadline_in_its_zone(self, editor):
        webinar()
        call_for_submissions()
        response = editor.post(
            reverse("updates:issue-create"), self.data(languages=["en", "fr", "ar", "zh-hans"])
        )
        issue = UpdateIssue.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("updates:issue-edit", kwargs={"pk": issue.pk})
        assert issue.status == UpdateIssue.Status.DRAFT
        # 23:59 in Paris on 20 March 2023 (CET, UTC+1) is 22:59 UTC.
        assert issue.next_deadline.isoformat() == "2023-03-20T22:59:00+00:00"
        assert sorted(issue.editions.values_list("language", flat=True)) == [
            "ar",
            "en",
            "fr",
            "zh-hans",
        ]
        assert section_titles(issue, SectionKind.UPCOMING_EVENTS) == [WEBINAR_TITLE]
        assert section_titles(issue, SectionKind.CALLS) == [CALL_TITLE]
        assert issue.items.filter(section=SectionKind.SHARE_ACTIVITIES).count() == 1

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"period_end": "2023-02-01"}, "period_end"),
            ({"languages": []}, "languages"),
            ({"languages": ["xx"]}, "languages"),
            ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
            ({"title": ""}, "title"),
            ({"period_start": "the first"}, "period_start"),
        ],
    )
    def test_bad_input_reshows_the_form_with_the_field_error(self, editor, overrides, field):
        response = editor.post(reverse("updates:issue-create"), self.data(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert f'id="id_{field}_error"' in response.text or f"id_{field}" in response.text
        assert not UpdateIssue.objects.exists()


class TestComposing:
    def test_issue_page_lists_sections_and_items(self, editor, issue):
        response = editor.get(reverse("updates:issue-edit", kwargs={"pk": issue.pk}))
        text = response.text
        for heading in (
            "Upcoming events",
            "Calls for submissions",
            "National reports",
            "News from recent events",
        ):
            assert heading in text
        assert WEBINAR_TITLE in text
        assert (
            text.index("Upcoming events")
            < text.index(WEBINAR_TITLE)
            < text.index("Calls for submissions")
        )

    def test_move_down_and_up(self, editor, issue):
        first = issue.items.filter(section=SectionKind.UPCOMING_EVENTS).order_by("order").first()
        url = reverse("updates:item-move", kwargs={"pk": issue.pk, "item_pk": first.pk})
        response = editor.post(url, {"direction": "down"})
        assert response.status_code == 302
        assert section_titles(issue, SectionKind.UPCOMING_EVENTS) == [WSIS_TITLE_EN, WEBINAR_TITLE]
        editor.post(url, {"direction": "up"})
        assert section_titles(issue, SectionKind.UPCOMING_EVENTS) == [WEBINAR_TITLE, WSIS_TITLE_EN]

    def test_move_without_a_direction_changes_nothing(self, editor, issue):
        first = issue.items.filter(section=SectionKind.UPCOMING_EVENTS).order_by("order").first()
        url = reverse("updates:item-move", kwargs={"pk": issue.pk, "item_pk": first.pk})
        response = editor.post(url, {"direction": "sideways"}, follow=True)
        assert "Choose whether to move the item up or down." in response.text
        assert section_titles(issue, SectionKind.UPCOMING_EVENTS) == [WEBINAR_TITLE, WSIS_TITLE_EN]

    def test_remove(self, editor, issue):
        item = issue.items.get(activity__title_en=CALL_TITLE)
        response = editor.post(
            reverse("updates:item-remove", kwargs={"pk": issue.pk, "item_pk": item.pk})
        )
        assert response.status_code == 302
        assert section_titles(issue, SectionKind.CALLS) == []

    def test_item_of_another_issue_is_not_found(self, editor, issue):
        other = march_2023(title="April 2023")
        item = other.items.first()
        response = editor.post(
            reverse("updates:item-remove", kwargs={"pk": issue.pk, "item_pk": item.pk})
        )
        assert response.status_code == 404

    def test_moving_and_removing_only_accept_post(self, editor, issue):
        item = issue.items.first()
        for name in ("updates:item-move", "updates:item-remove"):
            response = editor.get(reverse(name, kwargs={"pk": issue.pk, "item_pk": item.pk}))
            assert response.status_code == 405

    def test_search_and_add_an_approved_activity(self, editor, issue):
        item = issue.items.get(activity__title_en=CALL_TITLE)
        editor.post(reverse("updates:item-remove", kwargs={"pk": issue.pk, "item_pk": item.pk}))
        response = editor.get(
            reverse("updates:issue-edit", kwargs={"pk": issue.pk}), {"q": "information integrity"}
        )
        results = response.context["results"]
        assert [result["activity"].title_en for result in results] == [CALL_TITLE]
        assert results[0]["section"] == SectionKind.CALLS
        activity = results[0]["activity"]
        response = editor.post(
            reverse("updates:item-add-activity", kwargs={"pk": issue.pk}),
            {"activity": activity.pk, "section": SectionKind.CALLS},
        )
        assert response.status_code == 302
        assert section_titles(issue, SectionKind.CALLS) == [CALL_TITLE]

    def test_search_leaves_out_activities_already_in_the_issue(self, editor, issue):
        response = editor.get(
            reverse("updates:issue-edit", kwargs={"pk": issue.pk}), {"q": "webinar"}
        )
        assert response.context["results"] == []
        assert "No published activity outside this issue" in response.text

    def test_adding_an_activity_twice_is_refused_with_a_message(self, editor, issue):
        activity = Activity.objects.get(title_en=WEBINAR_TITLE)
        response = editor.post(
            reverse("updates:item-add-activity", kwargs={"pk": issue.pk}),
            {"activity": activity.pk, "section": SectionKind.NEWS},
        )
        assert response.status_code == 200
        assert "This activity is already in the issue." in response.text
        assert issue.items.filter(activity=activity).count() == 1

    def test_adding_an_unpublished_activity_is_refused(self, editor, issue):
        activity = Activity.objects.get(title_en=PUBLICATION_TITLE)
        Item.objects.filter(activity=activity).delete()
        Activity.objects.filter(pk=activity.pk).update(published_at=None)
        response = editor.post(
            reverse("updates:item-add-activity", kwargs={"pk": issue.pk}),
            {"activity": activity.pk, "section": SectionKind.PUBLICATIONS},
        )
        assert response.status_code == 200
        assert "Only published activities can be in the Update." in response.text
        assert not issue.items.filter(activity=activity).exists()

    def test_add_a_text_written_by_the_editors(self, editor, issue):
        response = editor.post(
            reverse("updates:item-add", kwargs={"pk": issue.pk}),
            {
                "section": SectionKind.NATIONAL_REPORTS,
                "title_en": "National reports on the implementation of the OER Recommendation",
                "body_en": "<p>Many of you have sent your national reports.</p><script>x</script>",
                "title_fr": "Rapports nationaux sur la mise en œuvre de la Recommandation REL",
            },
        )
        assert response.status_code == 302
        item = issue.items.get(section=SectionKind.NATIONAL_REPORTS)
        assert item.title_fr.startswith("Rapports nationaux")
        assert item.body_en == "<p>Many of you have sent your national reports.</p>"
        assert not item.body_ar

    def test_text_without_any_title_reshows_the_form(self, editor, issue):
        response = editor.post(
            reverse("updates:item-add", kwargs={"pk": issue.pk}),
            {
                "section": SectionKind.NEWS,
                "body_en": "<p>No title.</p>",
            },
        )
        assert response.status_code == 200
        form = response.context["custom_form"]
        assert "title_ar" in form.errors  # the first of the issue's languages
        assert "Give a title in at least one language." in response.text
        assert not issue.items.filter(section=SectionKind.NEWS).exists()

    def test_refresh_adds_activities_approved_since(self, editor, issue):
        publication(
            title_en="Guidelines on OER policy", published_on=datetime(2023, 3, 15, tzinfo=UTC)
        )
        response = editor.post(
            reverse("updates:issue-refresh", kwargs={"pk": issue.pk}), follow=True
        )
        assert "1 new item added from the approved activities." in response.text
        assert "Guidelines on OER policy" in section_titles(issue, SectionKind.PUBLICATIONS)
        response = editor.post(
            reverse("updates:issue-refresh", kwargs={"pk": issue.pk}), follow=True
        )
        assert "No new approved activity for this issue." in response.text


class TestEditions:
    def test_introduction_and_title_per_language(self, editor, issue):
        url = reverse("updates:edition-edit", kwargs={"pk": issue.pk, "language": "fr"})
        response = editor.post(
            url,
            {
                "title": "Mars 2023",
                "introduction": "<p>Chers collègues, bienvenue dans notre bulletin de mars 2023 !"
                "</p>"
                "<img src=x onerror=alert(1)>",
            },
        )
        assert response.status_code == 302
        edition = issue.editions.get(language="fr")
        issue.refresh_from_db()
        assert (
            edition.introduction
            == "<p>Chers collègues, bienvenue dans notre bulletin de mars 2023 !</p>"
        )
        assert issue.title_fr == "Mars 2023"
        assert issue.title_en == "March 2023"

    def test_edition_form_writes_in_the_editions_direction(self, editor, issue):
        response = editor.get(
            reverse("updates:edition-edit", kwargs={"pk": issue.pk, "language": "ar"})
        )
        assert '<div lang="ar" dir="rtl"><textarea' in response.text

    def test_unknown_edition_is_not_found(self, editor, issue):
        response = editor.get(
            reverse("updates:edition-edit", kwargs={"pk": issue.pk, "language": "ru"})
        )
        assert response.status_code == 404

    def test_translation_status_lists_what_falls_back(self, editor, issue):
        response = editor.get(reverse("updates:translation-status", kwargs={"pk": issue.pk}))
        report = {row["edition"].language: row for row in response.context["report"]}
        missing_fr = [row["label"].value for row in report["fr"]["rows"]]
        assert WEBINAR_TITLE in missing_fr
        assert WSIS_TITLE_EN not in [
            row["label"].value for row in report["ar"]["rows"]
        ]  # translated
        assert report["en"]["rows"] == []
        assert report["fr"]["intro_missing"] and report["fr"]["title_missing"]
        assert not report["en"]["title_missing"]
        # The "share your activities" text is written in every language.
        assert all(
            row["item"].section != SectionKind.SHARE_ACTIVITIES for row in report["ar"]["rows"]
        )
        assert report["ar"]["total"] == 5
        assert "The introduction is missing" in response.text

    def test_translation_status_forgets_a_written_introduction(self, editor, issue):
        Edition.objects.filter(issue=issue, language="fr").update(introduction="<p>Bonjour</p>")
        response = editor.get(reverse("updates:translation-status", kwargs={"pk": issue.pk}))
        report = {row["edition"].language: row for row in response.context["report"]}
        assert not report["fr"]["intro_missing"]


class TestPreview:
    def test_email_preview_page_embeds_the_raw_email_in_a_sandbox(self, editor, issue):
        response = editor.get(
            reverse("updates:preview-email", kwargs={"pk": issue.pk, "language": "ar"})
        )
        raw = reverse("updates:preview-email-raw", kwargs={"pk": issue.pk, "language": "ar"})
        assert '<iframe class="preview-frame" sandbox title=' in response.text
        assert f'src="{raw}"' in response.text
        assert "%%" not in response.text
        assert EXAMPLE_LINKS["%%UNSUBSCRIBE_URL%%"] in response.context["text"]
        assert "16:00–17:00 CET" in response.context["text"]

    def test_raw_email_is_served_with_a_strict_policy_and_example_links(self, editor, issue):
        response = editor.get(
            reverse("updates:preview-email-raw", kwargs={"pk": issue.pk, "language": "ar"})
        )
        assert response["Content-Type"] == "text/html; charset=utf-8"
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy  # falls back to 'none'
        assert "frame-ancestors 'self'" in policy
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        body = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in body
        assert "%%" not in body
        for example in EXAMPLE_LINKS.values():
            assert f'href="{example}"' in body

    def test_web_preview_of_a_draft(self, editor, issue):
        response = editor.get(
            reverse("updates:preview-web", kwargs={"pk": issue.pk, "language": "ar"})
        )
        assert response.status_code == 200
        assert '<article class="update-edition" lang="ar" dir="rtl">' in response.text
        assert '<meta name="robots" content="noindex">' in response.text
        assert (
            reverse("updates:preview-web", kwargs={"pk": issue.pk, "language": "fr"})
            in response.text
        )


class TestNotADraft:
    @pytest.fixture
    def sent(self, issue):
        return mark_sent(issue)

    def test_issue_page_says_it_cannot_change_and_offers_no_forms(self, editor, sent):
        response = editor.get(reverse("updates:issue-edit", kwargs={"pk": sent.pk}))
        assert "This issue has been sent, so it can no longer be changed." in response.text
        assert "item-remove" not in response.text and "/remove/" not in response.text

    def test_moving_removing_adding_and_refreshing_are_refused(self, editor, sent):
        before = list(sent.items.order_by("pk").values_list("pk", "section", "order"))
        item = sent.items.filter(section=SectionKind.UPCOMING_EVENTS).order_by("order").first()
        posts = [
            (
                reverse("updates:item-move", kwargs={"pk": sent.pk, "item_pk": item.pk}),
                {"direction": "down"},
            ),
            (reverse("updates:item-remove", kwargs={"pk": sent.pk, "item_pk": item.pk}), {}),
            (reverse("updates:issue-refresh", kwargs={"pk": sent.pk}), {}),
        ]
        for url, data in posts:
            response = editor.post(url, data, follow=True)
            assert "Only a draft can be changed; this issue is Sent." in response.text, url
        response = editor.post(
            reverse("updates:item-add", kwargs={"pk": sent.pk}),
            {
                "section": SectionKind.NEWS,
                "title_en": "Late news",
            },
            follow=True,
        )
        assert "Only a draft can be changed; this issue is Sent." in response.text
        late = publication(
            title_en="Guidelines on OER policy", published_on=datetime(2023, 5, 2, tzinfo=UTC)
        )
        response = editor.post(
            reverse("updates:item-add-activity", kwargs={"pk": sent.pk}),
            {
                "activity": late.pk,
                "section": SectionKind.PUBLICATIONS,
            },
            follow=True,
        )
        assert "Only a draft can be changed; this issue is Sent." in response.text
        assert list(sent.items.order_by("pk").values_list("pk", "section", "order")) == before

    def test_introduction_of_a_sent_edition_is_refused(self, editor, sent):
        url = reverse("updates:edition-edit", kwargs={"pk": sent.pk, "language": "fr"})
        response = editor.post(url, {"title": "Mars", "introduction": "<p>Trop tard</p>"})
        assert response.status_code == 200
        assert "Only a draft can be changed; this issue is Sent." in response.text
        assert not sent.editions.get(language="fr").introduction


@pytest.mark.django_db
def test_refresh_does_not_bring_back_a_removed_activity():
    from coalition.updates.services import composing
    from tests.factories.members import SecretariatFactory
    from tests.factories.updates import march_2023

    editor = SecretariatFactory()
    issue = march_2023(by=editor)
    item = issue.items.exclude(activity=None).first()
    composing.remove_item(item, by=editor)
    composing.refresh_items(issue, by=editor)
    assert not issue.items.filter(activity=item.activity).exists()
    composing.add_item(issue, by=editor, section=item.section, activity=item.activity)
    assert issue.items.filter(activity=item.activity).exists()
