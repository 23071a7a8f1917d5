from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.svg", views.dashboard_chart, name="dashboard-chart"),
    path("my-hub/", views.my_hub, name="my-hub"),
    path("privacy/", views.privacy, name="privacy"),
]
