from django.urls import path, register_converter

from . import feeds
from .views import archive, composer, sending, subscribers


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
    path("updates/", archive.issue_list, name="issue-list"),
    path("updates/feed/", feeds.EditionFeed(), name="feed"),
    path("updates/manage/", composer.manage_list, name="manage-list"),
    path("updates/manage/new/", composer.issue_create, name="issue-create"),
    path("updates/manage/<int:pk>/", composer.issue_edit, name="issue-edit"),
    path("updates/manage/<int:pk>/refresh/", composer.issue_refresh, name="issue-refresh"),
    path("updates/manage/<int:pk>/items/add/", composer.item_add_custom, name="item-add"),
    path(
        "updates/manage/<int:pk>/items/add-synthesis/",
        composer.item_add_synthesis,
        name="item-add-synthesis",
    ),
    path(
        "updates/manage/<int:pk>/items/add-record/",
        composer.item_add_record,
        name="item-add-record",
    ),
    path(
        "updates/manage/<int:pk>/items/add-activity/",
        composer.item_add_activity,
        name="item-add-activity",
    ),
    path("updates/manage/<int:pk>/items/<int:item_pk>/move/", composer.item_move, name="item-move"),
    path(
        "updates/manage/<int:pk>/items/<int:item_pk>/remove/",
        composer.item_remove,
        name="item-remove",
    ),
    path(
        "updates/manage/<int:pk>/translations/",
        composer.translation_status,
        name="translation-status",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/",
        composer.edition_edit,
        name="edition-edit",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/",
        composer.preview_email,
        name="preview-email",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/email.html",
        composer.preview_email_raw,
        name="preview-email-raw",
    ),
    path(
        "updates/manage/<int:pk>/<edition_language:language>/preview/web/",
        composer.preview_web,
        name="preview-web",
    ),
    # --- subscribers (subscribe, confirm, unsubscribe, preferences) ---
    path("updates/subscribe/", subscribers.subscribe, name="subscribe"),
    path("updates/subscribe/check-your-inbox/", subscribers.subscribe_done, name="subscribe-done"),
    path("updates/subscribe/me/", subscribers.subscribe_account, name="subscribe-account"),
    path(
        "updates/subscribe/confirm/<str:signed>/",
        subscribers.subscribe_confirm,
        name="subscribe-confirm",
    ),
    path("updates/unsubscribe/<str:token>/", subscribers.unsubscribe, name="unsubscribe"),
    path("updates/preferences/<str:token>/", subscribers.preferences, name="preferences"),
    path(
        "updates/preferences/<str:token>/export/",
        subscribers.preferences_export,
        name="preferences-export",
    ),
    path(
        "updates/preferences/<str:token>/erase/",
        subscribers.preferences_erase,
        name="preferences-erase",
    ),
    path("updates/subscribers/", subscribers.subscriber_list, name="subscriber-list"),
    path("updates/subscribers/import/", subscribers.subscriber_import, name="subscriber-import"),
    path(
        "updates/subscribers/request-confirmation/",
        subscribers.subscriber_request_confirmation,
        name="subscriber-request-confirmation",
    ),
    # --- sending (schedule, progress) ---
    path("updates/manage/<int:pk>/send/", sending.issue_send, name="issue-send"),
    path("updates/manage/<int:pk>/send/now/", sending.issue_send_now, name="issue-send-now"),
    path(
        "updates/manage/<int:pk>/send/schedule/",
        sending.issue_schedule,
        name="issue-schedule",
    ),
    path(
        "updates/manage/<int:pk>/send/cancel/",
        sending.issue_cancel_schedule,
        name="issue-cancel-schedule",
    ),
    path("updates/manage/<int:pk>/progress/", sending.issue_progress, name="issue-progress"),
    path("updates/<slug:slug>/", archive.issue_detail, name="issue-detail"),
    path(
        "updates/<slug:slug>/<edition_language:language>/",
        archive.edition_detail,
        name="edition-detail",
    ),
]
