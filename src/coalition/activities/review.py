"""A submission as the secretariat reviews it: rendered as it will be published (both
clocks, the names of organizations, areas, languages and countries, the summary as rich
text) and, for an edit of a published activity, what it changes against the published
version, word by word for texts.

A snapshot (see `snapshot.py`) holds ids, codes and UTC datetimes; this module turns
one into the facts a reader sees, in the moderator's language, with a handful of queries
for the names whatever the number of organizations or languages.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.catalogue.models import LicenceClass, Record
from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import join_list, language_name
from coalition.recommendation.models import ActionArea, Language
from coalition.recommendation.regions import Region

from .clocks import span_in_zone
from .models import EventFormat, Kind
from .snapshot import snapshot_of

# Texts compared word by word; shorter values are shown before and after side by side.
LONG_TEXT = 120


@dataclass(frozen=True)
class Fact:
    """One line of the activity as published: a label, its HTML and its plain text."""

    key: str
    label: str
    html: str
    text: str
    private: bool = False  # shown to registrants or the secretariat only


@dataclass(frozen=True)
class Change:
    """A fact that an edit changes: what is published, what is proposed."""

    key: str
    label: str
    before: Fact | None
    after: Fact | None
    words: str = ""  # the word-level difference of long texts, as HTML

    @property
    def kind(self):
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class Review:
    title: str
    facts: list
    is_edit: bool
    changes: list = field(default_factory=list)


def _names(data):
    """Every name the snapshot refers to, fetched once (a query per kind of thing)."""
    ids = {key: data.get(key) or [] for key in ("organizations", "action_areas", "working_groups")}
    return {
        "organizations": {
            o.pk: content_in(o, "name")
            for o in Organization.objects.filter(pk__in=ids["organizations"])
        },
        "action_areas": {
            a.pk: f"{a.number}. {content_in(a, 'title')}"
            for a in ActionArea.objects.filter(pk__in=ids["action_areas"])
        },
        "working_groups": {
            g.pk: content_in(g, "name")
            for g in WorkingGroup.objects.filter(pk__in=ids["working_groups"])
        },
        "languages": {
            language.pk: language_name(language.code)
            for language in Language.objects.filter(pk__in=data.get("languages") or [])
        },
        # Every record named, even one deleted since (the moderator sees it is).
        "cited_records": {
            record.pk: record
            for record in Record.objects.filter(
                pk__in=data.get("cited_records") or []
            ).select_related("work")
        },
    }


def _text_of(rich):
    """The words of sanitized rich text, one paragraph or item per line."""
    marked = re.sub(r"(?i)<(br|/p|/li|/h[34]|/blockquote)\b[^>]*>", "\n", rich or "")
    return html.unescape(nh3.clean(marked, tags=set())).strip()


def _list_fact(key, label, names):
    names = [str(name) for name in names if name]
    if not names:
        return None
    text = join_list(names)
    return Fact(key, label, format_html("{}", text), text)


def _span(data, start_key, end_key=None):
    start = parse_datetime(data[start_key]) if data.get(start_key) else None
    if start is None:
        return None, None
    end = parse_datetime(data[end_key]) if end_key and data.get(end_key) else None
    return start, end


def _clock_fact(key, label, start, end, zone, reader_zone):
    """The organizer's clock, and the moderator's (their own zone, or UTC) beside it."""
    zone = zone or "UTC"
    organizer = span_in_zone(start, end, zone)
    other = reader_zone or "UTC"
    second = span_in_zone(start, end, other)
    text = f"{organizer} ({zone})"
    if second != organizer:
        other_label = (
            _("Your time (%(zone)s):") % {"zone": other.replace("_", " ")}
            if reader_zone
            else "UTC:"
        )
        body = format_html(
            '<span class="two-clocks"><span class="organizer-clock">{}</span> '
            '<span class="help">({})</span><br><span class="moderator-clock">{} {}</span></span>',
            organizer,
            zone.replace("_", " "),
            other_label,
            second,
        )
    else:
        body = format_html('<span class="organizer-clock">{}</span>', organizer)
    return Fact(key, label, body, text)


def facts_of(data, *, reader_zone=""):
    """The facts of a snapshot in the order of the activity's public page."""
    names = _names(data)
    facts = []
    kind = Kind(data["kind"]).label if data.get("kind") in Kind.values else ""
    if data.get("event_format") in EventFormat.values:
        kind = f"{kind} · {EventFormat(data['event_format']).label}"
    if kind:
        facts.append(Fact("kind", _("Kind"), format_html("{}", kind), kind))
    for code in settings.MODELTRANSLATION_LANGUAGES:
        title = data.get(localized_column("title", code)) or ""
        if title:
            label = _("Title (%(language)s)") % {"language": language_name(code)}
            facts.append(
                Fact(
                    f"title-{code}",
                    label,
                    format_html('<span lang="{}">{}</span>', code, title),
                    title,
                )
            )
    zone = data.get("time_zone") or ""
    start, end = _span(data, "starts_at", "ends_at")
    if start:
        facts.append(_clock_fact("when", _("When"), start, end, zone, reader_zone))
    deadline, _none = _span(data, "deadline")
    if deadline:
        facts.append(_clock_fact("deadline", _("Deadline"), deadline, None, zone, reader_zone))
    where = [_("Online")] if data.get("is_online") else []
    if data.get("location"):
        where.append(data["location"])
    if where:
        text = " · ".join(str(part) for part in where)
        facts.append(Fact("where", _("Where"), format_html("{}", text), text))
    for key, label in (
        ("organizations", _("Organized by")),
        ("action_areas", _("Action areas")),
        ("working_groups", _("Working groups")),
        ("languages", _("Languages")),
    ):
        ordered = [names[key].get(pk) for pk in data.get(key) or []]
        if key != "organizations":
            ordered = sorted(ordered, key=str)
        fact = _list_fact(key, label, ordered)
        if fact:
            facts.append(fact)
    places = sorted(countries.name(code) for code in data.get("countries") or [])
    places += [Region(code).label for code in data.get("regions") or [] if code in Region.values]
    fact = _list_fact("places", _("Countries and regions"), places)
    if fact:
        facts.append(fact)
    for code in settings.MODELTRANSLATION_LANGUAGES:
        summary = sanitize_html(data.get(localized_column("summary", code)) or "")
        if summary.strip():
            label = _("Summary (%(language)s)") % {"language": language_name(code)}
            rich = mark_safe(summary)  # noqa: S308 - sanitized just above
            body = format_html('<div class="rich-text" lang="{}">{}</div>', code, rich)
            facts.append(Fact(f"summary-{code}", label, body, _text_of(summary)))
    fact = _cited_records_fact(names["cited_records"], data.get("cited_records") or [])
    if fact:
        facts.append(fact)
    links = data.get("links") or []
    if links:
        body = format_html(
            '<ul class="plain">{}</ul>',
            format_html_join(
                "",
                '<li>{} — <a href="{}" rel="noopener nofollow" dir="ltr">{}</a></li>',
                ((link["label"], link["url"], link["url"]) for link in links),
            ),
        )
        text = "\n".join(f"{link['label']} — {link['url']}" for link in links)
        facts.append(Fact("links", _("Links"), body, text))
    if data.get("registration_required"):
        parts = [_("Registration required")]
        parts.append(
            _("Registration open") if data.get("registration_open") else _("Registration closed")
        )
        if data.get("capacity"):
            parts.append(
                ngettext("%(count)s place", "%(count)s places", data["capacity"])
                % {"count": data["capacity"]}
            )
        text = " · ".join(str(part) for part in parts)
        facts.append(Fact("registration", _("Registration"), format_html("{}", text), text))
    if data.get("access_url"):
        url = data["access_url"]
        facts.append(
            Fact(
                "access-url",
                _("Access link (registrants only)"),
                format_html('<span dir="ltr">{}</span>', url),
                url,
                private=True,
            )
        )
    if data.get("contact_name") or data.get("contact_email"):
        contact = " — ".join(p for p in (data.get("contact_name"), data.get("contact_email")) if p)
        shown = _("shown publicly") if data.get("contact_is_public") else _("not shown publicly")
        text = f"{contact} ({shown})"
        facts.append(
            Fact(
                "contact",
                _("Contact"),
                format_html('<bdi>{}</bdi> <span class="help">({})</span>', contact, shown),
                text,
                private=not data.get("contact_is_public"),
            )
        )
    return facts


def _cited_records_fact(records, ids):
    """The catalogue records cited: title, licence class in words, link to the record."""
    lines = []
    for pk in ids:
        record = records.get(pk)
        if record is None:
            continue
        licence = (
            LicenceClass(record.licence_class).label
            if record.licence_class in LicenceClass.values
            else record.licence_class
        )
        gone = record.deleted or record.work.deleted
        lines.append((str(record.title_in()), str(licence), record.get_absolute_url(), gone))
    if not lines:
        return None
    body = format_html(
        '<ul class="plain">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}{}</li>',
            (
                (url, title, licence, format_html(" ({})", _("no longer in the catalogue")) if gone
                 else "")
                for title, licence, url, gone in lines
            ),
        ),
    )  # fmt: skip
    text = "\n".join(f"{title} — {licence}" for title, licence, _url, _gone in lines)
    return Fact("cited_records", _("Catalogue records cited"), body, text)


def word_difference(before, after):
    """`before` → `after` word by word: removed words in <del>, added ones in <ins>."""
    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html


def changes_between(published, proposed):
    """The facts an edit adds, removes or changes, in the order of the page."""
    before = {fact.key: fact for fact in published}
    after = {fact.key: fact for fact in proposed}
    order = [fact.key for fact in proposed]
    order += [key for key in before if key not in after]
    changes = []
    for key in order:
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and old.text == new.text:
            continue
        words = ""
        if old and new and max(len(old.text), len(new.text)) > LONG_TEXT:
            words = word_difference(old.text, new.text)
        label = (new or old).label
        changes.append(Change(key, label, old, new, words))
    return changes


def review_of(submission, *, reader_zone=""):
    """What the moderation page shows of `submission`."""
    data = submission.data
    activity = submission.activity
    facts = facts_of(data, reader_zone=reader_zone)
    is_edit = activity.is_published
    changes = (
        changes_between(facts_of(snapshot_of(activity), reader_zone=reader_zone), facts)
        if is_edit
        else []
    )
    titles = {fact.key: fact.text for fact in facts if fact.key.startswith("title-")}
    title = titles.get(f"title-{get_language()}") or next(iter(titles.values()), "")
    return Review(title=title, facts=facts, is_edit=is_edit, changes=changes)


def action_labels():
    """The moderation log's actions (ModerationEntry.action) in the reader's language."""
    return {
        "submitted": _("Submitted"),
        "changed": _("Edit proposed"),
        "approved": _("Approved and published"),
        "changes-requested": _("Changes requested"),
        "declined": _("Declined"),
        "cancelled": _("Event cancelled"),
    }


def history_of(activity):
    """The activity's moderation log, oldest first, each entry with its `label`."""
    labels = action_labels()
    entries = list(activity.log.select_related("actor"))
    for entry in entries:
        entry.label = labels.get(entry.action, entry.action)
    return entries
