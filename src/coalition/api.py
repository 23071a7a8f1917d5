"""The JSON API: one NinjaAPI whose routers live in each domain app's `api.py`."""

from django.urls import path

urlpatterns = []
