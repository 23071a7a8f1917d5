from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from coalition.core import page_cache
from coalition.core.translated import localized_columns

from . import selectors, services
from .forms import (
    ApplicationForm,
    DeclineForm,
    DirectoryFilterForm,
    GroupJoinForm,
    OrganizationForm,
    PeopleFilterForm,
    ProfileForm,
)
from .models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    WorkingGroup,
    WorkingGroupMembership,
)

PAGE_SIZE = 30


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _public_affiliations():
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.select_related("organization").filter(
            organization__status=Organization.Status.MEMBER
        ),
    )


@page_cache.anonymous_page("members")
def organization_list(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = (
        selectors.directory_organizations(
            q=filters.get("q", ""),
            stakeholder_type=filters.get("stakeholder_type", ""),
            region=filters.get("region", ""),
            country=filters.get("country", ""),
            working_group=filters.get("working_group"),
        )
        # The cards show neither descriptions (six rich-text columns) nor the groups' own.
        .only(
            "slug", "acronym", "stakeholder_type", "country", "region", *localized_columns("name")
        )
        .prefetch_related(
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.only(
                    "slug", "action_area", *localized_columns("name")
                ),
                to_attr="listed_groups",
            )
        )
    )
    page = _page(request, organizations)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/organization_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@page_cache.anonymous_page("members", "activities")
def organization_detail(request, slug):
    organization = get_object_or_404(
        Organization.objects.prefetch_related("working_groups"), slug=slug
    )
    can_edit = request.user.has_perm("members.change_organization", organization)
    if not organization.is_member and not can_edit:
        raise PermissionDenied
    affiliations = (
        Affiliation.objects.filter(organization=organization, person__public_profile=True)
        .select_related("person")
        .order_by("person__name")
    )
    return render(
        request,
        "members/organization_detail.html",
        {"organization": organization, "affiliations": affiliations, "can_edit": can_edit},
    )


@login_required
def organization_edit(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    if not request.user.has_perm("members.change_organization", organization):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organization's profile was saved."))
        return redirect(organization)
    return render(
        request, "members/organization_form.html", {"form": form, "organization": organization}
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def apply(request):
    initial = {}
    if request.user.is_authenticated:
        person = getattr(request.user, "person", None)
        initial = {
            "applicant_email": request.user.email,
            "applicant_name": person.name if person else "",
        }
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = get_language()
        try:
            application = services.apply_to_join(
                **form.application(language), applicant=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "members/apply_done.html", {"application": application})
    return render(request, "members/apply.html", {"form": form})


@login_required
def application_list(request):
    if not request.user.has_perm("members.moderate_applications"):
        raise PermissionDenied
    status = request.GET.get("status", MembershipApplication.Status.PENDING)
    if status not in MembershipApplication.Status.values:
        status = MembershipApplication.Status.PENDING
    applications = MembershipApplication.objects.filter(status=status).select_related(
        "organization"
    )
    counts = dict(
        MembershipApplication.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "members/application_list.html",
        {
            "page": _page(request, applications),
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in MembershipApplication.Status.choices
            ],
        },
    )


@login_required
def application_detail(request, pk):
    if not request.user.has_perm("members.moderate_applications"):
        raise PermissionDenied
    application = get_object_or_404(
        MembershipApplication.objects.select_related("organization"), pk=pk
    )
    decline_form = DeclineForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                services.approve_application(application, by=request.user)
                messages.success(request, _("The application was approved and the applicant told."))
                return redirect("members:application-list")
            if request.POST.get("decision") == "decline" and decline_form.is_valid():
                services.decline_application(
                    application, by=request.user, reason=decline_form.cleaned_data["reason"]
                )
                messages.success(request, _("The application was declined and the applicant told."))
                return redirect("members:application-list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(application)
    return render(
        request,
        "members/application_detail.html",
        {"application": application, "decline_form": decline_form},
    )


@page_cache.anonymous_page("members")
def working_group_list(request):
    groups = selectors.working_groups_with_counts()
    return render(request, "members/working_group_list.html", {"groups": groups})


def working_group_detail(request, slug):
    group = get_object_or_404(WorkingGroup.objects.select_related("action_area"), slug=slug)
    memberships = (
        group.memberships.filter(status=WorkingGroupMembership.Status.ACTIVE)
        .select_related("person")
        .order_by("role", "person__name")
    )
    officers = [m for m in memberships if m.role != WorkingGroupMembership.Role.MEMBER]
    members = [
        m
        for m in memberships
        if m.role == WorkingGroupMembership.Role.MEMBER and m.person.public_profile
    ]
    hidden_count = sum(
        1
        for m in memberships
        if m.role == WorkingGroupMembership.Role.MEMBER and not m.person.public_profile
    )
    organizations = group.organizations.members().order_by("name_en")
    own_membership = None
    if request.user.is_authenticated and hasattr(request.user, "person"):
        own_membership = group.memberships.filter(person=request.user.person).first()
    return render(
        request,
        "members/working_group_detail.html",
        {
            "group": group,
            "officers": officers,
            "members": members,
            "hidden_count": hidden_count,
            "organizations": organizations,
            "own_membership": own_membership,
            "join_form": GroupJoinForm(),
            "can_manage": request.user.has_perm("members.manage_working_group", group),
        },
    )


@login_required
@require_POST
def working_group_join(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    services.person_for_user(request.user)
    request.user.refresh_from_db()
    form = GroupJoinForm(request.POST)
    if form.is_valid():
        try:
            services.request_group_membership(
                group, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request was sent to the working group's chairs."))
    else:
        messages.error(request, _("Your message could not be sent: it is too long."))
    return redirect(group)


@login_required
def working_group_requests(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("members.manage_working_group", group):
        raise PermissionDenied
    if request.method == "POST":
        membership = get_object_or_404(group.memberships, pk=request.POST.get("membership"))
        try:
            if request.POST.get("decision") == "accept":
                services.accept_group_membership(membership, by=request.user)
                messages.success(
                    request,
                    _("%(name)s is now a member of the group.") % {"name": membership.person.name},
                )
            else:
                services.decline_group_membership(membership, by=request.user)
                messages.success(
                    request,
                    _("The request of %(name)s was declined.") % {"name": membership.person.name},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("members:working-group-requests", slug=group.slug)
    pending = group.memberships.filter(
        status=WorkingGroupMembership.Status.REQUESTED
    ).select_related("person")
    return render(
        request, "members/working_group_requests.html", {"group": group, "pending": pending}
    )


@page_cache.anonymous_page("members")
def person_list(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory_people(
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        working_group=filters.get("working_group"),
    ).prefetch_related(_public_affiliations())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/person_list.html",
        {"form": form, "page": _page(request, people), "query": query.urlencode()},
    )


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    if not person.public_profile and not request.user.has_perm(
        "members.view_private_person", person
    ):
        raise PermissionDenied
    memberships = person.group_memberships.filter(
        status=WorkingGroupMembership.Status.ACTIVE
    ).select_related("working_group")
    affiliations = person.affiliations.select_related("organization").filter(
        organization__status=Organization.Status.MEMBER
    )
    return render(
        request,
        "members/person_detail.html",
        {"person": person, "memberships": memberships, "affiliations": affiliations},
    )


@login_required
def profile_edit(request):
    person = services.person_for_user(request.user)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("members:profile")
    return render(request, "members/profile_form.html", {"form": form, "person": person})
