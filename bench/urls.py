"""The Hub's URLs plus the benchmark's reference views, for the bench process only.

Selected with ROOT_URLCONF = "bench.urls" (bench/settings.py, or the smoke test's
settings fixture) so that nothing benchmark-related ships in the application.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from coalition import urls as hub_urls


def floor(request):
    """The cheapest answer Django gives through the Hub's full middleware stack."""
    return HttpResponse(b"ok", content_type="text/plain")


def base_page(request):
    """An empty page in the Hub's layout: what every page pays before its own content."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/base/", base_page, name="bench-base"),
    *hub_urls.urlpatterns,
]

handler404 = hub_urls.handler404
handler500 = hub_urls.handler500
handler403 = hub_urls.handler403
