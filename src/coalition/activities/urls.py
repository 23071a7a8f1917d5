from django.urls import path

from . import feeds
from .views import activities, events, materials, moderation

app_name = "activities"

urlpatterns = [
    path("activities/", activities.activity_list, name="activity-list"),
    path("events/", activities.event_list, name="event-list"),
    path("activities/share/", activities.activity_submit, name="activity-submit"),
    path("activities/mine/", activities.my_activities, name="my-activities"),
    path("activities/moderation/", moderation.moderation_queue, name="moderation-queue"),
    path("activities/moderation/<int:pk>/", moderation.moderation_detail, name="moderation-detail"),
    path("activities/<slug:slug>/", activities.activity_detail, name="activity-detail"),
    path("activities/<slug:slug>/edit/", activities.activity_edit, name="activity-edit"),
    # --- registration and feeds (events) ---
    path("activities/feed.atom", feeds.ActivityFeed(), name="activity-feed"),
    path("activities/<slug:slug>/register/", events.register, name="event-register"),
    path("activities/<slug:slug>/calendar.ics", events.event_calendar, name="event-calendar"),
    path("activities/<slug:slug>/cancel/", events.cancel_event, name="event-cancel"),
    path(
        "activities/<slug:slug>/participants/",
        events.participants,
        name="event-participants",
    ),
    path("activities/<slug:slug>/organizers/", events.organizers, name="event-organizers"),
    path(
        "activities/<slug:slug>/participants.csv",
        events.participants_csv,
        name="event-participants-csv",
    ),
    path(
        "registrations/<str:signed>/cancel/",
        events.registration_cancel,
        name="registration-cancel",
    ),
    path("events/calendar.ics", events.calendar_all, name="calendar"),
    path(
        "events/calendar/working-groups/<slug:slug>.ics",
        events.calendar_working_group,
        name="calendar-working-group",
    ),
    path(
        "events/calendar/organizations/<slug:slug>.ics",
        events.calendar_organization,
        name="calendar-organization",
    ),
    path(
        "events/calendar/action-areas/<int:number>.ics",
        events.calendar_action_area,
        name="calendar-action-area",
    ),
    # --- materials and discussion ---
    path(
        "activities/<slug:slug>/materials/add/",
        materials.material_add,
        name="material-add",
    ),
    path(
        "activities/<slug:slug>/materials/<int:pk>/remove/",
        materials.material_remove,
        name="material-remove",
    ),
    path(
        "activities/<slug:slug>/materials/<int:pk>/download/",
        materials.material_download,
        name="material-download",
    ),
    path(
        "activities/<slug:slug>/discussion/post/",
        materials.post_create,
        name="post-create",
    ),
    path(
        "activities/<slug:slug>/discussion/<int:pk>/hide/",
        materials.post_hide,
        name="post-hide",
    ),
    path(
        "activities/<slug:slug>/discussion/<int:pk>/report/",
        materials.post_report,
        name="post-report",
    ),
]
