"""Routes of the subscriber pages, included by `updates/urls.py` (app_name "updates") before
its "updates/<slug>/" route, which would otherwise take "subscribe", "preferences" …"""

from django.urls import path

from . import views_subscribers as views

urlpatterns = [
    path("updates/subscribe/", views.subscribe, name="subscribe"),
    path("updates/subscribe/check-your-inbox/", views.subscribe_done, name="subscribe-done"),
    path("updates/subscribe/me/", views.subscribe_account, name="subscribe-account"),
    path(
        "updates/subscribe/confirm/<str:signed>/",
        views.subscribe_confirm,
        name="subscribe-confirm",
    ),
    path("updates/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("updates/preferences/<str:token>/", views.preferences, name="preferences"),
    path(
        "updates/preferences/<str:token>/export/",
        views.preferences_export,
        name="preferences-export",
    ),
    path(
        "updates/preferences/<str:token>/erase/",
        views.preferences_erase,
        name="preferences-erase",
    ),
    path("updates/subscribers/", views.subscriber_list, name="subscriber-list"),
    path("updates/subscribers/import/", views.subscriber_import, name="subscriber-import"),
    path(
        "updates/subscribers/request-confirmation/",
        views.subscriber_request_confirmation,
        name="subscriber-request-confirmation",
    ),
]
