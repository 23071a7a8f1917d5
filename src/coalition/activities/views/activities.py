"""Activities pages: the lists of activities and events (kept for anonymous visitors),
an activity's page, submitting and editing one, and a member's own submissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.catalogue import selectors as catalogue
from coalition.core import page_cache

from .. import selectors
from ..forms.activities import (
    ActivityFilterForm,
    ActivityForm,
    acting_organizations,
    initial_from_snapshot,
)
from ..models import Activity, ProgrammeRole, Submission
from ..services import moderation
from ..snapshot import snapshot_from_form, snapshot_of

PAGE_SIZE = 25


def _listing(request, template, queryset_for, *, events_only, extra=None):
    form = ActivityFilterForm(request.GET or None, events_only=events_only)
    activities = selectors.for_listing(queryset_for(form.filters()))
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, template, {"form": form, "page": page, "query": query.urlencode(), **(extra or {})}
    )


@page_cache.anonymous_page("activities")
def activity_list(request):
    def queryset(filters):
        return selectors.published_activities(**filters).order_by("-published_at", "-pk")

    return _listing(request, "activities/activity_list.html", queryset, events_only=False)


@page_cache.anonymous_page("activities")
def event_list(request):
    past = request.GET.get("when") == "past"

    def queryset(filters):
        return selectors.past_events(**filters) if past else selectors.upcoming_events(**filters)

    return _listing(
        request, "activities/event_list.html", queryset, events_only=True, extra={"past": past}
    )


@page_cache.anonymous_page("activities", "activity-pages", "members", "cited-records")
def activity_detail(request, slug):
    activity = get_object_or_404(
        Activity.objects.prefetch_related(
            "organizations",
            "action_areas",
            "working_groups",
            "languages",
            "coverage",
            "links",
            Prefetch("programme", queryset=ProgrammeRole.objects.select_related("person")),
            Prefetch(
                "cited_records",
                queryset=catalogue.citable_records().select_related("work").order_by("title"),
                to_attr="visible_cited_records",
            ),
        ),
        slug=slug,
    )
    if not request.user.has_perm("activities.view_activity", activity):
        raise PermissionDenied
    pending = None
    can_change = request.user.has_perm("activities.change_activity", activity)
    if can_change:
        pending = activity.submissions.filter(status=Submission.Status.PENDING).first()
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "can_change": can_change,
            "pending": pending,
            "programme": [role for role in activity.programme.all() if role.person.public_profile],
            "cited_records": activity.visible_cited_records,
        },
    )


@login_required
def activity_submit(request):
    if not acting_organizations(request.user).exists():
        messages.info(
            request, _("Only people affiliated with a member organization can share activities.")
        )
        return redirect("members:apply")
    form = ActivityForm(
        request.POST or None,
        user=request.user,
        language=get_language(),
        initial={"kind": request.GET.get("kind", "event"), "registration_open": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = moderation.submit_activity(
                user=request.user,
                organization=form.cleaned_data["on_behalf_of"],
                data=snapshot_from_form(form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The secretariat will review your activity."))
            return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
def activity_edit(request, slug):
    activity = get_object_or_404(Activity, slug=slug)
    if not request.user.has_perm("activities.change_activity", activity):
        raise PermissionDenied
    latest = (
        activity.submissions.exclude(status=Submission.Status.SUPERSEDED)
        .order_by("-submitted_at")
        .first()
    )
    data = (
        latest.data
        if latest and latest.status != Submission.Status.APPROVED
        else snapshot_of(activity)
    )
    initial = initial_from_snapshot(data, activity.time_zone)
    initial["on_behalf_of"] = latest.on_behalf_of_id if latest else None
    form = ActivityForm(
        request.POST or None, user=request.user, language=get_language(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            moderation.propose_change(
                activity,
                user=request.user,
                organization=form.cleaned_data["on_behalf_of"],
                data=snapshot_from_form(form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if activity.is_published:
                messages.success(
                    request,
                    _(
                        "Your changes wait for moderation; "
                        "the published version stays visible until then."
                    ),
                )
            else:
                messages.success(request, _("Your changes were sent to the secretariat."))
            return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
def my_activities(request):
    submissions = (
        Submission.objects.filter(submitted_by=request.user)
        .exclude(status=Submission.Status.SUPERSEDED)
        .select_related("activity", "on_behalf_of")
        .order_by("-submitted_at")
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/my_activities.html", {"page": page})
