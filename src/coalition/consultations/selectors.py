"""Reads shared by the consultation pages, My Hub and the demo."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from coalition.members.models import WorkingGroup, WorkingGroupMembership

from .models import Comment, Consultation, Report, Response, Session, Survey


def published_consultations():
    return Consultation.objects.filter(is_published=True).annotate(
        session_count=Count("sessions", distinct=True)
    )


def consultation_page(slug, *, include_unpublished=False):
    qs = (
        Consultation.objects.all()
        if include_unpublished
        else Consultation.objects.filter(is_published=True)
    )
    return qs.prefetch_related(
        Prefetch(
            "sessions",
            queryset=Session.objects.select_related("event", "working_group"),
        ),
        Prefetch("surveys", queryset=Survey.objects.filter(is_published=True)),
        Prefetch(
            "reports",
            queryset=Report.objects.filter(state=Report.State.PUBLISHED).select_related(
                "working_group"
            ),
            to_attr="published_reports",
        ),
    ).get(slug=slug)


def groups_with_role(user, roles):
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(
        memberships__person__user=user,
        memberships__role__in=roles,
        memberships__status=WorkingGroupMembership.Status.ACTIVE,
    ).distinct()


def readable_groups(user):
    """The working groups whose comments `user` may read: all for the secretariat."""
    if user.has_perm("consultations.manage"):
        return WorkingGroup.objects.all()
    return groups_with_role(
        user, [WorkingGroupMembership.Role.CHAIR, WorkingGroupMembership.Role.RAPPORTEUR]
    )


def comments_for(consultation, groups):
    return (
        Comment.objects.filter(consultation=consultation, working_group__in=groups)
        .select_related("working_group", "organization")
        .annotate(quoted=Count("quotes"))
        .order_by("working_group__action_area", "created_at", "pk")
    )


def my_hub(user):
    now = timezone.now()
    open_surveys = list(
        Survey.objects.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)
    )
    mine = (
        {r.survey_id: r for r in Response.objects.filter(user=user, survey__in=open_surveys)}
        if user.is_authenticated
        else {}
    )
    rapporteur_of = list(groups_with_role(user, [WorkingGroupMembership.Role.RAPPORTEUR]))
    chair_of = list(groups_with_role(user, [WorkingGroupMembership.Role.CHAIR]))
    reports = Report.objects.none()
    groups = {g.pk for g in rapporteur_of + chair_of}
    if user.has_perm("consultations.manage"):
        reports = Report.objects.filter(state=Report.State.SHARED)
    elif groups:
        reports = Report.objects.filter(working_group__in=groups).exclude(
            state=Report.State.PUBLISHED
        )
    consultations = (
        Consultation.objects.filter(
            Q(comments_open_at__lte=now, comments_close_at__gt=now) | Q(reports__in=reports)
        ).distinct()
        if (groups or user.has_perm("consultations.manage"))
        else []
    )
    return {
        "open_surveys": [(s, mine.get(s.pk)) for s in open_surveys],
        "reports": list(reports.select_related("consultation", "working_group")),
        "curated": list(consultations),
        "can_manage": user.has_perm("consultations.manage"),
        "can_view_results": user.has_perm("consultations.view_results"),
    }
