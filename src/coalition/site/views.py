from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from coalition.members.models import (
    MembershipApplication,
    Organization,
    WorkingGroup,
    WorkingGroupMembership,
)
from coalition.recommendation.models import ActionArea


def home(request):
    groups = WorkingGroup.objects.select_related("action_area").annotate(
        organization_count=Count("organizations", filter=Q(organizations__status="member"), distinct=True)
    )
    latest = Organization.objects.members().filter(joined_on__isnull=False).order_by("-joined_on", "-pk")[:6]
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


def dashboard(request):
    from .dashboard import coalition_figures

    return render(request, "site/dashboard.html", coalition_figures())


def privacy(request):
    return render(request, "site/privacy.html")


@login_required
def my_hub(request):
    person = getattr(request.user, "person", None)
    affiliations = person.affiliations.select_related("organization") if person else []
    memberships = (
        person.group_memberships.select_related("working_group") if person else []
    )
    chaired = WorkingGroup.objects.filter(
        memberships__person__user=request.user,
        memberships__role=WorkingGroupMembership.Role.CHAIR,
        memberships__status=WorkingGroupMembership.Status.ACTIVE,
    ).annotate(pending=Count("memberships", filter=Q(memberships__status="requested")))
    pending_applications = (
        MembershipApplication.objects.filter(status="pending").count()
        if request.user.has_perm("members.moderate_applications")
        else None
    )
    return render(
        request,
        "site/my_hub.html",
        {
            "person": person,
            "affiliations": affiliations,
            "memberships": memberships,
            "chaired": chaired,
            "pending_applications": pending_applications,
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
