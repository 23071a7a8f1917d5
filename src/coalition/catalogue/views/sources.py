"""Sources: the public list and page of each (with its record count and, for its
organization and the secretariat, its harvest reports); registering an OAI-PMH endpoint
(checked with Identify, then approved by the secretariat); editing and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import SourceForm
from ..models import Source
from ..services import sources as services
from .records import acting_organizations

PAGE_SIZE = 50


def _with_counts(queryset):
    return queryset.annotate(
        record_count=Count("records", filter=Q(records__deleted=False, records__status="published"))
    )


def source_list(request):
    approved = _with_counts(
        Source.objects.approved().select_related("organization").order_by("name", "pk")
    )
    page = Paginator(approved, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = []
    if request.user.is_authenticated:
        organizations = acting_organizations(request.user)
        if not request.user.has_perm("catalogue.moderate"):
            mine = list(
                Source.objects.filter(organization__in=organizations)
                .exclude(status=Source.Status.APPROVED)
                .select_related("organization")
            )
    return render(request, "catalogue/source_list.html", {"page": page, "mine": mine})


def source_detail(request, slug):
    source = get_object_or_404(
        _with_counts(Source.objects.select_related("organization")), slug=slug
    )
    if not request.user.has_perm("catalogue.view_source", source):
        raise PermissionDenied
    can_change = request.user.has_perm("catalogue.change_source", source)
    runs = selectors.latest_runs(source, limit=10) if can_change else []
    return render(
        request,
        "catalogue/source_detail.html",
        {
            "source": source,
            "can_change": can_change,
            "is_moderator": request.user.has_perm("catalogue.moderate"),
            "runs": runs,
        },
    )


@login_required
def source_register(request):
    organizations = acting_organizations(request.user)
    if not organizations.exists():
        messages.info(
            request,
            _("Only the focal point of a member organization can register a source."),
        )
        return redirect("catalogue:source-list")
    form = SourceForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.propose_source(
                request.user,
                data["organization"],
                data["base_url"],
                name=data["name"],
                set_spec=data["set_spec"].strip(),
                harvest_every_hours=data["harvest_every_hours"],
            )
        except ValidationError as error:
            form.add_error("base_url", error)
        else:
            if source.status == Source.Status.APPROVED:
                messages.success(
                    request, _("The source is registered; its first harvest is on its way.")
                )
            else:
                messages.success(
                    request,
                    _("The endpoint answered. The secretariat will review the source "
                      "before the first harvest."),
                )  # fmt: skip
            return redirect(source)
    return render(request, "catalogue/source_form.html", {"form": form})


@login_required
def source_edit(request, slug):
    source = get_object_or_404(Source.objects.select_related("organization"), slug=slug)
    if not request.user.has_perm("catalogue.change_source", source):
        raise PermissionDenied
    if source.status == Source.Status.WITHDRAWN:
        messages.info(request, _("A withdrawn source cannot be changed."))
        return redirect(source)
    initial = {
        "base_url": source.base_url,
        "name": source.name,
        "set_spec": source.set_spec,
        "harvest_every_hours": source.harvest_every_hours,
        "is_active": source.is_active,
    }
    form = SourceForm(
        request.POST or None,
        organizations=acting_organizations(request.user),
        editing=True,
        initial=initial,
    )
    if not source.is_oai:
        for name in ("base_url", "set_spec", "harvest_every_hours", "is_active"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        if "set_spec" in changes:
            changes["set_spec"] = changes["set_spec"].strip()
        was = source.status
        try:
            source = services.change_source(source, by=request.user, **changes)
        except ValidationError as error:
            form.add_error("base_url" if "base_url" in form.fields else None, error)
        else:
            if was == Source.Status.APPROVED and source.status == Source.Status.PENDING:
                messages.success(
                    request,
                    _("The new address answered. Harvesting pauses until the secretariat "
                      "approves it."),
                )  # fmt: skip
            else:
                messages.success(request, _("The source was saved."))
            return redirect(source)
    return render(request, "catalogue/source_form.html", {"form": form, "source": source})


@login_required
@require_POST
def source_withdraw(request, slug):
    source = get_object_or_404(Source, slug=slug)
    if not request.user.has_perm("catalogue.change_source", source):
        raise PermissionDenied
    services.withdraw_source(source, by=request.user)
    messages.success(
        request,
        _("The source was withdrawn: it is no longer harvested and its records left the "
          "catalogue."),
    )  # fmt: skip
    return redirect(source)
