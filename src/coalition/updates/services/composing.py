"""Composing an Update issue from approved activities, and editing it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from coalition.activities.models import Activity, Kind
from coalition.catalogue import selectors as catalogue
from coalition.core.slugs import unique_slug
from coalition.core.translated import localized_column
from coalition.monitoring.models import Synthesis

from ..models import Edition, Item, SectionKind, UpdateIssue

# Events are announced if they start within this long after the issue's period.
UPCOMING_WINDOW = timedelta(days=45)
EXPECTED_LANGUAGES = ("en", "fr", "ar")


def _bounds(issue):
    zone = ZoneInfo(issue.time_zone)
    start = datetime.combine(issue.period_start, time.min, tzinfo=zone)
    end = datetime.combine(issue.period_end, time.max, tzinfo=zone)
    return start, end


def candidate_activities(issue):
    """Approved activities for each section, as the March 2023 Update grouped them."""
    start, end = _bounds(issue)
    published = Activity.objects.published().filter(is_cancelled=False)
    return {
        SectionKind.UPCOMING_EVENTS: published.filter(
            kind=Kind.EVENT, starts_at__gte=start, starts_at__lte=end + UPCOMING_WINDOW
        ).order_by("starts_at"),
        # Calls still open when the period starts, announced by its end (not later calls).
        SectionKind.CALLS: published.filter(
            kind=Kind.CALL, deadline__gte=start, published_at__lte=end
        ).order_by("deadline"),
        SectionKind.PUBLICATIONS: published.filter(
            kind=Kind.PUBLICATION, published_at__range=(start, end)
        ).order_by("-published_at"),
        SectionKind.NEWS: published.filter(
            Q(kind=Kind.NEWS, published_at__range=(start, end))
            | Q(kind=Kind.EVENT, ends_at__range=(start - timedelta(days=31), start))
            | Q(kind=Kind.INITIATIVE, published_at__range=(start, end))
        ).order_by("-published_at"),
    }


def candidate_records(issue, *, limit=None):
    """Catalogue records first added (harvested, or approved by hand) in the issue's period
    and not yet in it: the secretariat may include them in "Publications and resources"."""
    start, end = _bounds(issue)
    records = catalogue.records_added_between(start, end).exclude(update_items__issue=issue)
    return records[:limit] if limit else records


def candidate_syntheses(issue):
    """Published synthesis reports of national reports not yet in the issue, newest first:
    the secretariat may link them in "National reports"."""
    return (
        Synthesis.objects.filter(published_at__isnull=False)
        .exclude(update_items__issue=issue)
        .select_related("cycle")
        .order_by("-published_at")
    )


def share_activities_text(issue, language):
    """The closing call of each issue: share your activities before the next deadline."""
    with override(language):
        if issue.next_deadline is None:
            return _("Share your activities"), _(
                "<p>Tell the Coalition what your organization is doing: share your events, "
                "publications and news on the Hub.</p>"
            )
        local = issue.next_deadline.astimezone(ZoneInfo(issue.time_zone))
        from django.utils import formats

        return _("Share your activities"), _(
            "<p>Please share your activities before %(date)s to be included in the next Update.</p>"
        ) % {"date": formats.date_format(local, "DATE_FORMAT")}


@transaction.atomic
def create_draft(
    *,
    title,
    period_start,
    period_end,
    by,
    next_deadline=None,
    time_zone="Europe/Paris",
    languages=EXPECTED_LANGUAGES,
):
    if not by.has_perm("updates.edit_issue"):
        raise PermissionDenied
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    issue = UpdateIssue(
        title=title,
        period_start=period_start,
        period_end=period_end,
        next_deadline=next_deadline,
        time_zone=time_zone,
        created_by=by,
    )
    for code in settings.MODELTRANSLATION_LANGUAGES:
        setattr(
            issue,
            localized_column("title", code),
            title if code == settings.LANGUAGE_CODE else "",
        )
    issue.slug = unique_slug(
        UpdateIssue, title, reserved=RESERVED_SLUGS, max_length=None, fallback="update"
    )
    issue.full_clean()
    issue.save()
    Edition.objects.bulk_create(Edition(issue=issue, language=code) for code in languages)
    assemble(issue)
    return issue


# Words the archive and subscriber pages use beside issue slugs (/updates/feed/, …).
RESERVED_SLUGS = frozenset(
    {"feed", "manage", "subscribe", "unsubscribe", "preferences", "subscribers", "bounces"}
)


@transaction.atomic
def refresh_items(issue, *, by):
    """An editor's "refresh": add approved activities that arrived since the draft was made."""
    _editable(issue, by)
    return assemble(issue)


def assemble(issue):
    """Add the candidate activities not yet in the issue, after the items already there.

    Internal to create_draft and refresh_items, which check who may edit and when."""
    present = set(issue.items.exclude(activity=None).values_list("activity_id", flat=True))
    present |= set(issue.excluded_activities.values_list("pk", flat=True))
    next_order = (issue.items.aggregate(m=Max("order"))["m"] or 0) + 1
    new = []
    for section, activities in candidate_activities(issue).items():
        for activity in activities.only("pk"):
            if activity.pk in present:
                continue
            present.add(activity.pk)
            new.append(Item(issue=issue, section=section, activity=activity, order=next_order))
            next_order += 1
    if not issue.items.filter(section=SectionKind.SHARE_ACTIVITIES).exists():
        item = Item(issue=issue, section=SectionKind.SHARE_ACTIVITIES, order=next_order)
        for code in settings.MODELTRANSLATION_LANGUAGES:
            heading, body = share_activities_text(issue, code)
            setattr(item, localized_column("title", code), heading)
            setattr(item, localized_column("body", code), body)
        new.append(item)
    Item.objects.bulk_create(new)
    return new


def _editable(issue, by):
    if not by.has_perm("updates.edit_issue"):
        raise PermissionDenied
    if issue.status != UpdateIssue.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this issue is %(status)s.")
            % {"status": issue.get_status_display()}
        )


@transaction.atomic
def move_item(item, *, by, direction):
    """Swap an item with its neighbour in the same section (direction -1 up, +1 down)."""
    _editable(item.issue, by)
    siblings = list(item.issue.items.filter(section=item.section).order_by("order", "pk"))
    index = siblings.index(item)
    other = index + direction
    if not 0 <= other < len(siblings):
        return item
    for position, sibling in enumerate(siblings):
        sibling.order = position
    siblings[index].order, siblings[other].order = siblings[other].order, siblings[index].order
    Item.objects.bulk_update(siblings, ["order"])
    return item


@transaction.atomic
def remove_item(item, *, by):
    _editable(item.issue, by)
    if item.activity_id:
        item.issue.excluded_activities.add(item.activity_id)
    item.delete()


@transaction.atomic
def add_record(issue, *, by, record):
    """A catalogue record in "Publications and resources" (visible records only, once)."""
    _editable(issue, by)
    if not catalogue.citable_records().filter(pk=record.pk).exists():
        raise ValidationError(_("This record is not (or no longer) in the catalogue."))
    if issue.items.filter(record=record).exists():
        raise ValidationError(_("This record is already in this Update."))
    section = SectionKind.PUBLICATIONS
    order = (issue.items.filter(section=section).aggregate(m=Max("order"))["m"] or 0) + 1
    return Item.objects.create(issue=issue, section=section, record=record, order=order)


@transaction.atomic
def add_synthesis(issue, *, by, synthesis):
    """A published synthesis report in "National reports" (once per issue)."""
    _editable(issue, by)
    if not Synthesis.objects.filter(pk=synthesis.pk, published_at__isnull=False).exists():
        raise ValidationError(_("This synthesis report is not published."))
    if issue.items.filter(synthesis=synthesis).exists():
        raise ValidationError(_("This synthesis report is already in this Update."))
    section = SectionKind.NATIONAL_REPORTS
    order = (issue.items.filter(section=section).aggregate(m=Max("order"))["m"] or 0) + 1
    return Item.objects.create(issue=issue, section=section, synthesis=synthesis, order=order)


@transaction.atomic
def add_item(issue, *, by, section, activity=None, **texts):
    _editable(issue, by)
    if activity is not None and not activity.is_published:
        raise ValidationError(_("Only published activities can be in the Update."))
    if activity is not None and issue.items.filter(activity=activity).exists():
        raise ValidationError(_("This activity is already in this Update."))
    if activity is not None:
        issue.excluded_activities.remove(activity)
    order = (issue.items.filter(section=section).aggregate(m=Max("order"))["m"] or 0) + 1
    item = Item(issue=issue, section=section, activity=activity, order=order, **texts)
    item.full_clean(exclude=["issue"])
    item.save()
    return item


@transaction.atomic
def save_edition(edition, *, by, title, introduction):
    """Write an edition's introduction and the issue's title in its language (drafts only)."""
    issue = UpdateIssue.objects.select_for_update().get(pk=edition.issue_id)
    _editable(issue, by)
    edition.introduction = introduction
    edition.save(update_fields=["introduction"])
    name = localized_column("title", edition.language)
    if edition.language in settings.MODELTRANSLATION_LANGUAGES:
        setattr(issue, name, title)
        issue.save(update_fields=[name])
    return edition
