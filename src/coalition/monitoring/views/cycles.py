"""Reporting cycles, the countries' teams and the secretariat's review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from coalition.recommendation.regions import Region

from ..forms import CoEditorForm, FocalPointForm
from ..models import CountryRole, Report, ReportingCycle
from ..selectors.reports import countries_of, cycles_for_list, reports_of_cycle, review_queue
from ..services import reports as services


def cycle_list(request):
    cycles = cycles_for_list()
    if not request.user.has_perm("monitoring.manage"):
        cycles = cycles.exclude(status=ReportingCycle.Status.PREPARING)
    return render(
        request,
        "monitoring/cycle_list.html",
        {
            "cycles": list(cycles.select_related("synthesis")),
            "my_countries": countries_of(request.user),
        },
    )


def cycle_detail(request, slug):
    cycle = get_object_or_404(ReportingCycle.objects.select_related("questionnaire"), slug=slug)
    manage = request.user.has_perm("monitoring.manage")
    if cycle.status == ReportingCycle.Status.PREPARING and not manage:
        raise PermissionDenied
    mine = countries_of(request.user)
    my_reports = {
        r.country.code: r for r in Report.objects.filter(cycle=cycle, country__in=list(mine))
    }
    my_countries = [
        {"code": code, "name": countries.name(code), "role": role, "report": my_reports.get(code)}
        for code, role in mine.items()
    ]
    context = {
        "cycle": cycle,
        "manage": manage,
        "my_countries": my_countries,
        "accepts_edits": cycle.accepts_edits(),
        "synthesis": getattr(cycle, "synthesis", None),
    }
    if manage:
        status = request.GET.get("status") or None
        region = request.GET.get("region") or None
        reports = reports_of_cycle(cycle, status=status, region=region)
        page = Paginator(reports, 50).get_page(request.GET.get("page"))
        context.update(
            page=page,
            statuses=Report.Status.choices,
            regions=Region.choices,
            status=status,
            region=region,
        )
    else:
        context["published"] = Report.objects.filter(
            cycle=cycle, is_public=True, status=Report.Status.ACCEPTED
        ).order_by("country")
    return render(request, "monitoring/cycle_detail.html", context)


@login_required
@require_POST
def report_start(request, slug):
    cycle = get_object_or_404(ReportingCycle, slug=slug)
    country = request.POST.get("country", "")
    if not request.user.has_perm("monitoring.start_report", country):
        raise PermissionDenied
    try:
        report = services.start_report(
            cycle,
            country,
            user=request.user,
            from_previous=request.POST.get("from_previous") == "1",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(cycle)
    return redirect(reverse("monitoring:report-edit", kwargs={"pk": report.pk}))


@login_required
def roles(request):
    """The secretariat gives each Member State its national focal point."""
    if not request.user.has_perm("monitoring.manage"):
        raise PermissionDenied
    form = FocalPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.give_focal_point(
            form.cleaned_data["country"],
            form.cleaned_data["account"],
            by=request.user,
            institution=form.cleaned_data["institution"],
        )
        messages.success(request, _("The focal point can now prepare the country's reports."))
        return redirect("monitoring:roles")
    page = Paginator(CountryRole.objects.select_related("user").order_by("country", "role"), 50)
    return render(
        request,
        "monitoring/roles.html",
        {"form": form, "page": page.get_page(request.GET.get("page"))},
        status=400 if form.errors else 200,
    )


@login_required
def team(request, country):
    """A country's reporting team: the focal point invites and removes co-editors."""
    country = country.upper()
    if country not in countries or not request.user.has_perm(
        "monitoring.invite_co_editor", country
    ):
        raise PermissionDenied
    form = CoEditorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_co_editor(country, form.cleaned_data["account"], by=request.user)
        except ValidationError as error:
            form.add_error("account", error.messages[0])
        else:
            messages.success(request, _("The co-editor can now work on the country's reports."))
            return redirect("monitoring:team", country=country)
    return render(
        request,
        "monitoring/team.html",
        {
            "country": country,
            "country_name": countries.name(country),
            "form": form,
            "members": CountryRole.objects.filter(country=country).select_related("user"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def team_remove(request, country, role_pk):
    country = country.upper()
    role = get_object_or_404(CountryRole, pk=role_pk, country=country)
    if not request.user.has_perm("monitoring.invite_co_editor", country):
        raise PermissionDenied
    if role.role == CountryRole.Role.FOCAL_POINT and not request.user.has_perm("monitoring.manage"):
        raise PermissionDenied
    services.remove_role(role)
    messages.success(request, _("Removed from the country's reporting team."))
    return redirect("monitoring:team", country=country)


@login_required
def reviews(request):
    if not request.user.has_perm("monitoring.manage"):
        raise PermissionDenied
    page = Paginator(review_queue(), 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/review_queue.html", {"page": page})
