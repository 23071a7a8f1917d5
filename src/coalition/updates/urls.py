from django.urls import path, register_converter

from . import feeds, urls_subscribers, views, views_sending


class EditionLanguageConverter:
    """One of the six UN languages, as the Hub writes them (zh-hans)."""

    regex = "ar|en|es|fr|ru|zh-hans"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EditionLanguageConverter, "edition_language")

app_name = "updates"

# The editing pages and the feed come before "<slug>/", which would otherwise catch them.
urlpatterns = [
    path("updates/", views.issue_list, name="issue-list"),
    path("updates/feed/", feeds.EditionFeed(), name="feed"),
    path("updates/manage/", views.manage_list, name="manage-list"),
    path("updates/manage/new/", views.issue_create, name="issue-create"),
    path("updates/manage/<int:pk>/", views.issue_edit, name="issue-edit"),
    path("updates/manage/<int:pk>/refresh/", views.issue_refresh, name="issue-refresh"),
    path("updates/manage/<int:pk>/items/add/", views.item_add_custom, name="item-add"),
    path(
        "updates/manage/<int:pk>/items/add-activity/",
        views.item_add_activity,
        name="item-add-activity",
    ),
    path("updates/manage/<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item-move"),
    path(
        "updates/manage/<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item-remove"
    ),
    path(
        "updates/manage/<int:pk>/translations/", views.translation_status, name="translation-status"
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/",
        views.edition_edit,
        name="edition-edit",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/",
        views.preview_email,
        name="preview-email",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/email.html",
        views.preview_email_raw,
        name="preview-email-raw",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/web/",
        views.preview_web,
        name="preview-web",
    ),
    # --- subscribers (subscribe, confirm, unsubscribe, preferences) ---
    *urls_subscribers.urlpatterns,
    # --- sending (schedule, progress) ---
    path("updates/manage/<int:pk>/send/", views_sending.issue_send, name="issue-send"),
    path("updates/manage/<int:pk>/send/now/", views_sending.issue_send_now, name="issue-send-now"),
    path(
        "updates/manage/<int:pk>/send/schedule/",
        views_sending.issue_schedule,
        name="issue-schedule",
    ),
    path(
        "updates/manage/<int:pk>/send/cancel/",
        views_sending.issue_cancel_schedule,
        name="issue-cancel-schedule",
    ),
    path("updates/manage/<int:pk>/progress/", views_sending.issue_progress, name="issue-progress"),
    path("updates/<slug:slug>/", views.issue_detail, name="issue-detail"),
    path(
        "updates/<slug:slug>/<edition_language:language>/",
        views.edition_detail,
        name="edition-detail",
    ),
]
