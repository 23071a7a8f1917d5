from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/apply/", views.apply, name="apply"),
    path("organizations/applications/", views.application_list, name="application-list"),
    path(
        "organizations/applications/<int:pk>/", views.application_detail, name="application-detail"
    ),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization-edit"),
    path("working-groups/", views.working_group_list, name="working-group-list"),
    path("working-groups/<slug:slug>/", views.working_group_detail, name="working-group-detail"),
    path("working-groups/<slug:slug>/join/", views.working_group_join, name="working-group-join"),
    path(
        "working-groups/<slug:slug>/requests/",
        views.working_group_requests,
        name="working-group-requests",
    ),
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("profile/", views.profile_edit, name="profile"),
]
