from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from coalition.catalogue.views.oai import oai_pmh
from coalition.core.uploads import serve_upload
from coalition.site import views as site_views
from coalition.updates.views.subscribers import bounce_webhook


def favicon():
    # At request time: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("site/favicon.svg"))


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("coalition.api")),
    # Mail providers post bounces here; outside the language prefix, as they follow no redirect.
    path("updates/bounces/", bounce_webhook, name="update-bounce-webhook"),
    # OAI-PMH harvesters follow no language redirect either.
    path("oai", oai_pmh, name="catalogue-oai"),
    # Browsers ask for /favicon.ico on their own, whatever the page links to.
    path("favicon.ico", lambda request: favicon(), name="favicon"),
    # Logos and activities' images, in production too (core.uploads); a proxy may serve
    # MEDIA_ROOT itself instead.
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", serve_upload, name="upload"),
]

urlpatterns += i18n_patterns(
    path("", include("coalition.site.urls")),
    path("", include("coalition.members.urls")),
    path("", include("coalition.activities.urls")),
    path("", include("coalition.updates.urls")),
    path("", include("coalition.consultations.urls")),
    path("", include("coalition.catalogue.urls")),
    path("", include("coalition.monitoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = site_views.page_not_found
handler500 = site_views.server_error
handler403 = site_views.permission_denied
