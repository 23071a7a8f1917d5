import gzip
import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from coalition.core import page_cache
from coalition.members.models import Organization
from coalition.members.selectors import member_hub, working_groups_with_counts
from coalition.recommendation.models import ActionArea


@page_cache.anonymous_page("members", "activities")
def home(request):
    groups = working_groups_with_counts()
    latest = (
        Organization.objects.members()
        .filter(joined_on__isnull=False)
        .order_by("-joined_on", "-pk")[:6]
    )
    return render(
        request,
        "site/home.html",
        {
            "action_areas": ActionArea.objects.all(),
            "groups": groups,
            "latest_members": latest,
            "member_count": Organization.objects.members().count(),
            "country_count": Organization.objects.members().values("country").distinct().count(),
        },
    )


@page_cache.anonymous_page("members")
def dashboard(request):
    """The Coalition in figures: geographic distribution and gender balance."""
    # Imported on first use: importing pygal_maps_world reads its 1 MB world map.
    from .charts import dashboard_charts
    from .dashboard import GENDER_CATEGORIES, catalogue_figures, coalition_figures, gender_labels

    figures = coalition_figures()
    catalogue = catalogue_figures()
    charts = dashboard_charts(figures, catalogue)
    labels = gender_labels()
    return render(
        request,
        "site/dashboard.html",
        {
            "figures": figures,
            "catalogue": catalogue,
            # Templates cannot read keys with dashes.
            "charts": {name.replace("-", "_"): chart for name, chart in charts.items()},
            "gender_columns": [labels[category] for category in GENDER_CATEGORIES],
        },
    )


def privacy(request):
    return render(request, "site/privacy.html")


@login_required
def my_hub(request):
    pending_submissions = None
    if request.user.has_perm("activities.moderate"):
        from coalition.activities.models import Submission

        pending_submissions = Submission.objects.filter(status=Submission.Status.PENDING).count()
    return render(
        request,
        "site/my_hub.html",
        {
            "member_hub": member_hub(request.user),
            "pending_submissions": pending_submissions,
        },
    )


def rate_limited(request, exception=None):
    return render(
        request,
        "site/error.html",
        {"title": _("Too many attempts"), "message": _("Please wait a few minutes and try again.")},
        status=429,
    )


def page_not_found(request, exception=None):
    return render(
        request,
        "site/error.html",
        {"title": _("Page not found"), "message": _("We could not find the page you asked for.")},
        status=404,
    )


def permission_denied(request, exception=None):
    return render(
        request,
        "site/error.html",
        {"title": _("Not allowed"), "message": _("You do not have permission to see or do this.")},
        status=403,
    )


@requires_csrf_token
def server_error(request):
    # Kept minimal: the database or a context processor may be what failed.
    template = loader.get_template("site/500.html")
    return HttpResponse(template.render({}, request=None), status=500)


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@require_safe
def dashboard_chart(request, chart):
    """One of the dashboard's charts as an SVG image, gzipped to browsers that accept it.

    The page links each chart with its digest (`?v=`), so that address may be cached for
    a day: new figures give a new address. Other requests get a short lifetime.
    """
    from .charts import dashboard_charts
    from .dashboard import catalogue_figures, coalition_figures

    image = dashboard_charts(coalition_figures(), catalogue_figures()).get(chart)
    if image is None:
        raise Http404(chart)
    etag = f'W/"{image.digest}"'
    max_age = 24 * 3600 if request.GET.get("v") == image.digest else 300
    response = get_conditional_response(request, etag=etag)
    if response is None:
        body = image.gzipped_svg()
        if _ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
            response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(
                gzip.decompress(body), content_type="image/svg+xml; charset=utf-8"
            )
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=max_age)
    # Opened on its own an SVG is a document: it may style itself and do nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
