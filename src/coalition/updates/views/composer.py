"""The secretariat's pages for composing an Update: issues, items, language editions,
translation status and previews (the web preview is the archive's page, unpublished)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from coalition.activities.clocks import span_in_zone
from coalition.activities.models import Activity
from coalition.catalogue.models import Record
from coalition.core.permissions import permission_required
from coalition.core.translated import localized_column
from coalition.monitoring.models import Synthesis
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES, is_rtl

from .. import rendering
from ..forms.composer import (
    AddActivityForm,
    CustomItemForm,
    EditionForm,
    NewIssueForm,
    default_section,
)
from ..models import Edition, Item, SectionKind, UpdateIssue
from ..services import composing
from .archive import edition_page

PAGE_SIZE = 20
SEARCH_LIMIT = 20
# Catalogue records of the period offered at once (the newest; the page says how many).
RECORD_LIMIT = 30
LANGUAGE_NAMES = dict(UN_LANGUAGE_CHOICES)
# Personal links of the e-mail, replaced in previews by addresses that lead nowhere
# (the .invalid domain is reserved and never resolves).
EXAMPLE_LINKS = {
    rendering.UNSUBSCRIBE_URL: "https://example.invalid/updates/unsubscribe/example-token/",
    rendering.PREFERENCES_URL: "https://example.invalid/updates/preferences/example-token/",
}
# The raw e-mail preview is the HTML that goes out, shown inside the Hub: it may style
# itself, and nothing else (no scripts, no requests, no forms, no framing by other sites).
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)


# --- editing (secretariat) ---------------------------------------------------------------


editor_required = permission_required("updates.edit_issue")


@editor_required
def manage_list(request):
    issues = UpdateIssue.objects.annotate(item_count=Count("items")).prefetch_related(
        Prefetch("editions", queryset=Edition.objects.order_by("language"))
    )
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "updates/manage/issue_list.html", {"page": page})


@editor_required
def issue_create(request):
    form = NewIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = composing.create_draft(
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                next_deadline=data["next_deadline"],
                time_zone=data["time_zone"],
                languages=data["languages"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = issue.items.count()
            messages.success(
                request,
                ngettext(
                    "Draft created with %(count)d item from the approved activities.",
                    "Draft created with %(count)d items from the approved activities.",
                    count,
                )
                % {"count": count},
            )
            return redirect("updates:issue-edit", pk=issue.pk)
    return render(request, "updates/manage/issue_form.html", {"form": form})


def _item_label(item, language):
    if item.record_id:
        return item.record.title_in(language)
    if item.synthesis_id:
        return content_in(item.synthesis.cycle, "title", language)
    source = item.activity if item.activity_id else item
    return content_in(source, "title", language)


def _item_row(item, language, editions):
    activity = item.activity
    when = ""
    if activity is not None and activity.starts_at:
        when = span_in_zone(activity.starts_at, activity.ends_at, activity.time_zone)
    elif activity is not None and activity.deadline:
        when = _("Deadline: %(date)s") % {
            "date": span_in_zone(activity.deadline, None, activity.time_zone)
        }
    source = activity if activity is not None else item
    if item.synthesis_id:
        source = item.synthesis.cycle
    if item.record_id:
        kind = _("Catalogue record")
    elif item.synthesis_id:
        kind = _("Synthesis of national reports")
    elif activity is not None:
        kind = activity.get_kind_display()
    else:
        kind = _("Text by the editors")
    return {
        "item": item,
        "label": _item_label(item, language),
        "kind": kind,
        "when": when,
        "withdrawn": (activity is not None and not activity.is_published)
        or (item.record_id is not None and (item.record.deleted or item.record.work.deleted))
        or (item.synthesis_id is not None and not item.synthesis.is_published),
        "translated": [
            edition.language
            for edition in editions
            if (getattr(source, localized_column("title", edition.language), "") or "").strip()
        ],
    }


def _issue_page(request, issue, *, add_activity_form=None, custom_form=None, status=200):
    language = get_language()
    editions = list(issue.editions.order_by("language"))
    items = sorted(
        issue.items.select_related("activity", "record__work", "synthesis__cycle"),
        key=lambda item: (rendering.SECTION_ORDER.get(item.section, 99), item.order, item.pk),
    )
    sections = [
        {
            "kind": kind,
            "heading": label,
            "rows": [_item_row(item, language, editions) for item in items if item.section == kind],
        }
        for kind, label in SectionKind.choices
    ]
    query = request.GET.get("q", "").strip()
    results = []
    if query and issue.status == UpdateIssue.Status.DRAFT:
        matches = Q()
        for code in settings.MODELTRANSLATION_LANGUAGES:
            matches |= Q(**{localized_column("title", code) + "__icontains": query})
        found = (
            Activity.objects.published()
            .filter(matches)
            .exclude(update_items__issue=issue)
            .order_by("-published_at")[:SEARCH_LIMIT]
        )
        results = [
            {
                "activity": activity,
                "label": content_in(activity, "title", language),
                "section": default_section(activity, issue),
            }
            for activity in found
        ]
    records = []
    record_count = 0
    if issue.status == UpdateIssue.Status.DRAFT:
        candidates = composing.candidate_records(issue)
        record_count = candidates.count()
        records = [
            {"record": record, "label": record.title_in(language)}
            for record in candidates[:RECORD_LIMIT]
        ]
    syntheses = []
    if issue.status == UpdateIssue.Status.DRAFT:
        syntheses = [
            {"synthesis": synthesis, "label": content_in(synthesis.cycle, "title", language)}
            for synthesis in composing.candidate_syntheses(issue)
        ]
    return render(
        request,
        "updates/manage/issue_detail.html",
        {
            "issue": issue,
            "syntheses": syntheses,
            "records": records,
            "record_count": record_count,
            "editable": issue.status == UpdateIssue.Status.DRAFT,
            "editions": [
                {"edition": edition, "name": LANGUAGE_NAMES.get(edition.language, edition.language)}
                for edition in editions
            ],
            "sections": sections,
            "query": query,
            "results": results,
            "section_choices": SectionKind.choices,
            "add_activity_form": add_activity_form,
            "custom_form": custom_form or CustomItemForm(languages=[e.language for e in editions]),
            "deadline": (
                span_in_zone(issue.next_deadline, None, issue.time_zone)
                if issue.next_deadline
                else ""
            ),
        },
        status=status,
    )


def _issue(pk):
    return get_object_or_404(UpdateIssue, pk=pk)


@editor_required
def issue_edit(request, pk):
    return _issue_page(request, _issue(pk))


def _refuse(request, error):
    messages.error(request, " ".join(error.messages))


def _refused(request, issue, error):
    """A change to an issue that is no longer a draft: say so on the issue's page."""
    _refuse(request, error)
    return redirect("updates:issue-edit", pk=issue.pk)


@editor_required
@require_POST
def issue_refresh(request, pk):
    issue = _issue(pk)
    try:
        added = composing.refresh_items(issue, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        count = len(added)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d new item added from the approved activities.",
                    "%(count)d new items added from the approved activities.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No new approved activity for this issue."))
    return redirect("updates:issue-edit", pk=issue.pk)


@editor_required
@require_POST
def item_add_activity(request, pk):
    issue = _issue(pk)
    form = AddActivityForm(request.POST, issue=issue)
    if form.is_valid():
        try:
            composing.add_item(
                issue,
                by=request.user,
                section=form.cleaned_data["section"],
                activity=form.cleaned_data["activity"],
            )
        except ValidationError as error:
            if issue.status != UpdateIssue.Status.DRAFT:
                return _refused(request, issue, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity added to the issue."))
            return redirect("updates:issue-edit", pk=issue.pk)
    return _issue_page(request, issue, add_activity_form=form)


@editor_required
@require_POST
def item_add_synthesis(request, pk):
    issue = _issue(pk)
    given = request.POST.get("synthesis", "")
    synthesis = Synthesis.objects.filter(pk=given).first() if given.isdigit() else None
    anchor = f"{reverse('updates:issue-edit', kwargs={'pk': pk})}#add-syntheses"
    if synthesis is None:
        messages.error(request, _("Choose a synthesis report."))
        return redirect(anchor)
    try:
        composing.add_synthesis(issue, by=request.user, synthesis=synthesis)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Synthesis report added to “National reports”."))
    return redirect(anchor)


@editor_required
@require_POST
def item_add_record(request, pk):
    issue = _issue(pk)
    given = request.POST.get("record", "")
    record = Record.objects.filter(pk=given).first() if given.isdigit() else None
    if record is None:
        messages.error(request, _("Choose a record of the catalogue."))
        return redirect(f"{reverse('updates:issue-edit', kwargs={'pk': pk})}#add-records")
    try:
        composing.add_record(issue, by=request.user, record=record)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Record added to “Publications and resources”."))
    return redirect(f"{reverse('updates:issue-edit', kwargs={'pk': pk})}#add-records")


@editor_required
@require_POST
def item_add_custom(request, pk):
    issue = _issue(pk)
    languages = list(issue.editions.order_by("language").values_list("language", flat=True))
    form = CustomItemForm(request.POST, languages=languages)
    if form.is_valid():
        try:
            composing.add_item(
                issue, by=request.user, section=form.cleaned_data["section"], **form.texts()
            )
        except ValidationError as error:
            if issue.status != UpdateIssue.Status.DRAFT:
                return _refused(request, issue, error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Text added to the issue."))
            return redirect("updates:issue-edit", pk=issue.pk)
    return _issue_page(request, issue, custom_form=form)


@editor_required
@require_POST
def item_move(request, pk, item_pk):
    item = get_object_or_404(Item.objects.select_related("issue"), pk=item_pk, issue_id=pk)
    direction = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if direction is None:
        messages.error(request, _("Choose whether to move the item up or down."))
    else:
        try:
            composing.move_item(item, by=request.user, direction=direction)
        except ValidationError as error:
            _refuse(request, error)
    return redirect(f"{reverse('updates:issue-edit', kwargs={'pk': pk})}#item-{item.pk}")


@editor_required
@require_POST
def item_remove(request, pk, item_pk):
    item = get_object_or_404(Item.objects.select_related("issue"), pk=item_pk, issue_id=pk)
    try:
        composing.remove_item(item, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Item removed from the issue."))
    return redirect("updates:issue-edit", pk=pk)


def _edition(pk, language):
    return get_object_or_404(
        Edition.objects.select_related("issue"), issue_id=pk, language=language
    )


@editor_required
def edition_edit(request, pk, language):
    edition = _edition(pk, language)
    issue = edition.issue
    initial = {
        "title": getattr(issue, localized_column("title", language), "") or "",
        "introduction": edition.introduction,
    }
    form = EditionForm(request.POST or None, initial=initial)
    editable = issue.status == UpdateIssue.Status.DRAFT
    if request.method == "POST" and form.is_valid():
        try:
            composing.save_edition(
                edition,
                by=request.user,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Edition saved."))
            return redirect("updates:issue-edit", pk=issue.pk)
    return render(
        request,
        "updates/manage/edition_form.html",
        {
            "form": form,
            "edition": edition,
            "issue": issue,
            "editable": editable,
            "language_name": LANGUAGE_NAMES.get(language, language),
            "direction": "rtl" if is_rtl(language) else "ltr",
        },
    )


def _missing(source, fields, language):
    """[(field label, language shown instead)] for the fields not written in `language`."""
    missing = []
    for field_name, label in fields:
        found = content_in(source, field_name, language)
        if found.is_fallback:
            missing.append(
                {"field": label, "shown_in": LANGUAGE_NAMES.get(found.language, found.language)}
            )
    return missing


@editor_required
def translation_status(request, pk):
    issue = _issue(pk)
    items = sorted(
        issue.items.select_related("activity", "record__work", "synthesis__cycle"),
        key=lambda item: (rendering.SECTION_ORDER.get(item.section, 99), item.order, item.pk),
    )
    # An activity no longer published is left out of the Update: nothing to translate.
    items = [item for item in items if item.activity is None or item.activity.is_published]
    headings = dict(SectionKind.choices)
    language = get_language()
    report = []
    for edition in issue.editions.order_by("language"):
        rows = []
        for item in items:
            if item.activity_id:
                missing = _missing(
                    item.activity,
                    [("title", _("title")), ("summary", _("summary"))],
                    edition.language,
                )
            else:
                missing = _missing(
                    item, [("title", _("title")), ("body", _("text"))], edition.language
                )
            if missing:
                rows.append(
                    {
                        "item": item,
                        "label": _item_label(item, language),
                        "section": headings.get(item.section, item.section),
                        "missing": missing,
                    }
                )
        report.append(
            {
                "edition": edition,
                "name": LANGUAGE_NAMES.get(edition.language, edition.language),
                "intro_missing": not (edition.introduction or "").strip(),
                "title_missing": not (
                    getattr(issue, localized_column("title", edition.language), "") or ""
                ).strip(),
                "rows": rows,
                "complete": len(items) - len(rows),
                "total": len(items),
            }
        )
    return render(
        request, "updates/manage/translation_status.html", {"issue": issue, "report": report}
    )


def _with_examples(text):
    for placeholder, example in EXAMPLE_LINKS.items():
        text = text.replace(placeholder, example)
    return text


@editor_required
def preview_email(request, pk, language):
    edition = _edition(pk, language)
    rendered = rendering.render_edition(edition)
    return render(
        request,
        "updates/manage/preview_email.html",
        {
            "edition": edition,
            "issue": edition.issue,
            "subject": rendered.subject,
            "text": _with_examples(rendered.text),
            "language_name": LANGUAGE_NAMES.get(language, language),
            "direction": "rtl" if is_rtl(language) else "ltr",
            "editions": edition.issue.editions.order_by("language"),
        },
    )


@editor_required
@xframe_options_sameorigin
def preview_email_raw(request, pk, language):
    edition = _edition(pk, language)
    response = HttpResponse(
        _with_examples(rendering.render_edition(edition).html),
        content_type="text/html; charset=utf-8",
    )
    response["Content-Security-Policy"] = PREVIEW_CSP
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@editor_required
def preview_web(request, pk, language):
    return edition_page(request, _edition(pk, language), preview=True)
