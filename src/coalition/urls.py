from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from coalition.catalogue.views.oai import oai_pmh
from coalition.site import views as site_views
from coalition.updates.views.subscribers import bounce_webhook

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("coalition.api")),
    # Mail providers post bounces here; outside the language prefix, as they follow no redirect.
    path("updates/bounces/", bounce_webhook, name="update-bounce-webhook"),
    # OAI-PMH harvesters follow no language redirect either.
    path("oai", oai_pmh, name="catalogue-oai"),
]

urlpatterns += i18n_patterns(
    path("", include("coalition.site.urls")),
    path("", include("coalition.members.urls")),
    path("", include("coalition.activities.urls")),
    path("", include("coalition.updates.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = site_views.page_not_found
handler500 = site_views.server_error
handler403 = site_views.permission_denied
