"""Record pages, and the hand-made records of member organizations: the form, CSV import,
edits (which wait for moderation), withdrawal, and one's own submissions."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.members.models import Organization

from .. import selectors
from ..forms import ImportForm, RecordForm, data_of_record, initial_from_data
from ..jsonld import as_script, learning_resource, licence_reading
from ..models import Record, RecordSubmission
from ..services import imports, submissions

PAGE_SIZE = 25


def acting_organizations(user):
    """Member organizations the user may add records and sources for."""
    members = Organization.objects.members()
    if user.has_perm("catalogue.moderate"):
        return members.order_by("name")
    return (
        members.filter(affiliations__person__user=user, affiliations__is_focal_point=True)
        .order_by("name")
        .distinct()
    )


def record_detail(request, hub_id):
    work = selectors.work_by_hub_id(hub_id)
    if work is None or work.deleted or not work.copies:
        raise Http404(_("This resource is not in the catalogue (any more)."))
    if work.hub_id != hub_id:
        return redirect(work, permanent=True)
    primary = next((c for c in work.copies if c.pk == work.primary_record_id), work.copies[0])
    work.primary_record = primary
    editable = [copy for copy in work.copies if request.user.has_perm("catalogue.change_record",
                                                                      copy)]  # fmt: skip
    pending = RecordSubmission.objects.filter(
        record__in=editable, status=RecordSubmission.Status.PENDING
    ).exists() if editable else False  # fmt: skip
    return render(
        request,
        "catalogue/record_detail.html",
        {
            "work": work,
            "record": primary,
            "title": primary.title_in(),
            "description": primary.description_in(),
            "reading": licence_reading(primary),
            "copies": work.copies,
            "editable": {copy.pk for copy in editable},
            "pending_edit": pending,
            "jsonld": as_script(learning_resource(work, request.build_absolute_uri)),
            "cited_by": selectors.citing_activities(work),
        },
    )


def _require_organizations(request):
    organizations = acting_organizations(request.user)
    if not organizations.exists():
        messages.info(
            request,
            _("Only the focal point of a member organization can add records to the catalogue."),
        )
        return None
    return organizations


@login_required
def record_add(request):
    organizations = _require_organizations(request)
    if organizations is None:
        return redirect("catalogue:search")
    form = RecordForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submissions.submit_record(
                user=request.user,
                organization=form.cleaned_data["organization"],
                data=form.record_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_submission(request, submission)
    return render(request, "catalogue/record_form.html", {"form": form})


def _after_submission(request, submission):
    submission.refresh_from_db()
    if submission.status == RecordSubmission.Status.APPROVED:
        messages.success(request, _("The record is published."))
        return redirect(submission.record.work)
    messages.success(request, _("Thank you. The secretariat will review the record."))
    return redirect(submission)


@login_required
def record_edit(request, pk):
    record = get_object_or_404(Record.objects.select_related("source__organization", "work"),
                               pk=pk, deleted=False)  # fmt: skip
    if not request.user.has_perm("catalogue.change_record", record):
        raise PermissionDenied
    pending = record.submissions.filter(status__in=submissions.OPEN_STATUSES).last()
    data = pending.data if pending else data_of_record(record)
    form = RecordForm(request.POST or None, initial=initial_from_data(data))
    if request.method == "POST" and form.is_valid():
        try:
            submission = submissions.propose_record_change(
                record, user=request.user, data=form.record_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            submission.refresh_from_db()
            if submission.status == RecordSubmission.Status.APPROVED:
                messages.success(request, _("The changes are published."))
            else:
                messages.success(
                    request,
                    _("Your changes wait for moderation; "
                      "the published version stays visible until then."),
                )  # fmt: skip
            return redirect(record.work)
    return render(
        request, "catalogue/record_form.html", {"form": form, "record": record, "pending": pending}
    )


@login_required
@require_POST
def record_withdraw(request, pk):
    record = get_object_or_404(Record.objects.select_related("source__organization", "work"),
                               pk=pk, deleted=False)  # fmt: skip
    if not request.user.has_perm("catalogue.change_record", record):
        raise PermissionDenied
    submissions.withdraw_record(record, by=request.user)
    messages.success(request, _("The record was withdrawn from the catalogue."))
    return redirect("catalogue:my-records")


@login_required
def record_import(request):
    organizations = _require_organizations(request)
    if organizations is None:
        return redirect("catalogue:search")
    form = ImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    errors = []
    if request.method == "POST" and form.is_valid():
        checked = imports.check_csv(form.cleaned_data["file"])
        errors = checked.errors
        if checked.ok:
            try:
                created = submissions.submit_records(
                    user=request.user,
                    organization=form.cleaned_data["organization"],
                    records=checked.records,
                    batch=uuid.uuid4().hex,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                count = len(created)
                messages.success(
                    request,
                    _("%(count)s records imported. They wait for the secretariat's review.")
                    % {"count": count}
                    if not request.user.has_perm("catalogue.moderate")
                    else _("%(count)s records imported and published.") % {"count": count},
                )
                return redirect("catalogue:my-records")
    return render(
        request,
        "catalogue/record_import.html",
        {"form": form, "errors": errors, "columns": imports.COLUMNS,
         "max_rows": imports.MAX_ROWS},
    )  # fmt: skip


def import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue-records-template.csv"'
    return response


@login_required
def my_records(request):
    """What I proposed, and the published hand-made records of my organizations."""
    mine = (
        RecordSubmission.objects.filter(submitted_by=request.user)
        .exclude(status=RecordSubmission.Status.SUPERSEDED)
        .select_related("source__organization", "record__work")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    organizations = acting_organizations(request.user)
    published = (
        Record.objects.filter(
            Q(source__organization__in=organizations), source__kind="manual", deleted=False
        )
        .select_related("source__organization", "work")
        .order_by("-updated_at", "-pk")[:100]
    )
    return render(request, "catalogue/my_records.html", {"page": page, "published": published})


@login_required
def submission_detail(request, pk):
    """A proposal: its submitter (or the organization's focal point) sees it and, while
    it is open, revises it; the secretariat decides it (views.moderation)."""
    submission = get_object_or_404(
        RecordSubmission.objects.select_related("source__organization", "record__work",
                                                "submitted_by", "decided_by"),
        pk=pk,
    )  # fmt: skip
    is_moderator = request.user.has_perm("catalogue.moderate")
    may_revise = submissions.can_revise(request.user, submission)
    if not (is_moderator or may_revise or submission.submitted_by_id == request.user.pk):
        raise PermissionDenied
    form = None
    if may_revise:
        form = RecordForm(request.POST or None, initial=initial_from_data(submission.data))
        if request.method == "POST" and form.is_valid():
            revised = submissions.revise_submission(
                submission, user=request.user, data=form.record_data()
            )
            return _after_submission(request, revised)
    return render(
        request,
        "catalogue/submission_detail.html",
        {
            "submission": submission,
            "form": form,
            "is_moderator": is_moderator,
            "decide_url": reverse("catalogue:moderation-record", kwargs={"pk": submission.pk}),
        },
    )
