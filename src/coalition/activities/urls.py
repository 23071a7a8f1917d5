from django.urls import path

from . import views

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
    # --- materials and discussion ---
]
