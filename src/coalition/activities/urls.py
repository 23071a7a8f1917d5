from django.urls import path

from . import feeds, views, views_events, views_materials

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("events/", views.event_list, name="event-list"),
    path("activities/share/", views.activity_submit, name="activity-submit"),
    path("activities/mine/", views.my_activities, name="my-activities"),
    path("activities/moderation/", views.moderation_queue, name="moderation-queue"),
    path("activities/moderation/<int:pk>/", views.moderation_detail, name="moderation-detail"),
    path("activities/<slug:slug>/", views.activity_detail, name="activity-detail"),
    path("activities/<slug:slug>/edit/", views.activity_edit, name="activity-edit"),
    # --- registration and feeds (events) ---
    path("activities/feed.atom", feeds.ActivityFeed(), name="activity-feed"),
    path("activities/<slug:slug>/register/", views_events.register, name="event-register"),
    path("activities/<slug:slug>/calendar.ics", views_events.event_calendar, name="event-calendar"),
    path("activities/<slug:slug>/cancel/", views_events.cancel_event, name="event-cancel"),
    path(
        "activities/<slug:slug>/participants/",
        views_events.participants,
        name="event-participants",
    ),
    path(
        "activities/<slug:slug>/participants.csv",
        views_events.participants_csv,
        name="event-participants-csv",
    ),
    path(
        "registrations/<str:signed>/cancel/",
        views_events.registration_cancel,
        name="registration-cancel",
    ),
    path("events/calendar.ics", views_events.calendar_all, name="calendar"),
    path(
        "events/calendar/working-groups/<slug:slug>.ics",
        views_events.calendar_working_group,
        name="calendar-working-group",
    ),
    path(
        "events/calendar/organizations/<slug:slug>.ics",
        views_events.calendar_organization,
        name="calendar-organization",
    ),
    path(
        "events/calendar/action-areas/<int:number>.ics",
        views_events.calendar_action_area,
        name="calendar-action-area",
    ),
    # --- materials and discussion ---
    path(
        "activities/<slug:slug>/materials/add/",
        views_materials.material_add,
        name="material-add",
    ),
    path(
        "activities/<slug:slug>/materials/<int:pk>/remove/",
        views_materials.material_remove,
        name="material-remove",
    ),
    path(
        "activities/<slug:slug>/materials/<int:pk>/download/",
        views_materials.material_download,
        name="material-download",
    ),
    path(
        "activities/<slug:slug>/discussion/post/",
        views_materials.post_create,
        name="post-create",
    ),
    path(
        "activities/<slug:slug>/discussion/<int:pk>/hide/",
        views_materials.post_hide,
        name="post-hide",
    ),
    path(
        "activities/<slug:slug>/discussion/<int:pk>/report/",
        views_materials.post_report,
        name="post-report",
    ),
]
