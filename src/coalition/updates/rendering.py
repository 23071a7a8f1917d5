"""Rendering an edition of the Update: the HTML e-mail, its plain-text twin and the web page.

One rendering serves every subscriber of an edition, so nothing here depends on the reader:
the personal links are the literal placeholders `%%UNSUBSCRIBE_URL%%` and
`%%PREFERENCES_URL%%`, which the sender replaces message by message.

Everything is rendered in the edition's language (headings, dates, the organizer's clock,
links to the Hub). A text missing in that language is shown in its fallback language and
marked twice: a note for the reader ("[in English]") and `lang`/`dir` attributes for screen
readers and for the text's own direction inside an Arabic edition.

Mail clients ignore most of CSS, so the e-mail is a table layout whose styles are inlined
(css-inline); only the phone-width media query stays in a `<style>` block, as an
enhancement. It loads nothing from the network: no images, no fonts, no tracking.
"""

import re
import textwrap
from dataclasses import dataclass, field, replace

import css_inline
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, override
from django.utils.translation import gettext as _

from coalition.activities.clocks import span_in_zone
from coalition.activities.models import Kind, ProgrammeRole
from coalition.core.mail import absolute_url, isolate_addresses
from coalition.core.richtext import html_to_text, sanitize_html
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import (
    NATIVE_NAMES,
    UN_LANGUAGE_CHOICES,
    is_rtl,
    join_list,
)

from .models import Item, SectionKind

UNSUBSCRIBE_URL = "%%UNSUBSCRIBE_URL%%"
PREFERENCES_URL = "%%PREFERENCES_URL%%"
SECTION_ORDER = {kind.value: position for position, kind in enumerate(SectionKind)}
TEXT_WIDTH = 76

# Keeps the @media rule for phones; never fetches a stylesheet from the network.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    html: str
    text: str
    language: str
    # The same content as a fragment of a web page (archive, feed), without placeholders.
    web_html: str = ""


@dataclass(frozen=True)
class Text:
    """A piece of content in the language it was found in, and how to mark it."""

    value: str  # plain text for titles, sanitized HTML for bodies
    language: str
    direction: str
    align: str  # "left"/"right": mail clients need physical alignment
    note: str  # "[in English]" when the edition's language was missing, else ""

    def __bool__(self):
        return bool(self.value.strip())


@dataclass(frozen=True)
class Entry:
    title: Text
    body: Text
    url: str = ""  # the page on the Hub (activities)
    when: str = ""  # the organizer's clock
    when_utc: str = ""
    local_time_url: str = ""
    deadline: str = ""
    deadline_utc: str = ""
    place: str = ""
    organizers: list[str] = field(default_factory=list)
    programme: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    register_url: str = ""
    action_url: str = ""
    action_label: str = ""
    is_cancelled: bool = False
    show_title: bool = True
    licence: str = ""  # catalogue records: the licence class in words
    source: str = ""  # catalogue records: who holds it


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    entries: list[Entry]


@dataclass(frozen=True)
class EditionContent:
    """Everything the three renderings (HTML, text, web) show, in the edition's language."""

    language: str
    direction: str
    align: str
    opposite: str
    masthead: str
    title: str
    subject: str
    introduction: Text
    sections: list[Section]
    web_url: str
    archive_url: str
    other_editions: list[dict]
    preheader: str


def _align(language):
    return "right" if is_rtl(language) else "left"


def _text(obj, field_name, language, *, html=False):
    found = content_in(obj, field_name, language)
    value = sanitize_html(found.value) if html else found.value
    note = ""
    if found.is_fallback:
        note = _("[in %(language)s]") % {"language": dict(UN_LANGUAGE_CHOICES)[found.language]}
    return Text(value, found.language, found.direction, _align(found.language), note)


def _body_after(title, body):
    """A body in the same fallback language as its title: the title's note says it already."""
    if body.note and title.note and body.language == title.language:
        return replace(body, note="")
    return body


def _edition_text(value, language):
    direction = "rtl" if is_rtl(language) else "ltr"
    return Text(value, language, direction, _align(language), "")


def issue_title(issue, language):
    """The issue's title in `language`; when not translated, its month in that language."""
    found = content_in(issue, "title", language)
    if found.is_fallback or not found.value:
        start, end = issue.period_start, issue.period_end
        if (start.year, start.month) == (end.year, end.month):
            return formats.date_format(start, "YEAR_MONTH_FORMAT")
    return found.value


def subject_for(issue, language):
    with override(language):
        return _("OER Dynamic Coalition Update — %(title)s") % {
            "title": issue_title(issue, language)
        }


def _items(edition):
    programme = ProgrammeRole.objects.filter(person__public_profile=True).select_related("person")
    items = (
        Item.objects.filter(issue_id=edition.issue_id)
        .select_related(
            "activity", "record__work", "record__source__organization", "synthesis__cycle"
        )
        .prefetch_related(
            "activity__organizations",
            "activity__links",
            Prefetch("activity__programme", queryset=programme),
        )
    )
    return sorted(
        items, key=lambda item: (SECTION_ORDER.get(item.section, 99), item.order, item.pk)
    )


def _activity_entry(activity, language):
    url = absolute_url(activity.get_absolute_url())
    when = when_utc = deadline = deadline_utc = local_time_url = register_url = ""
    if activity.starts_at:
        when = span_in_zone(activity.starts_at, activity.ends_at, activity.time_zone)
        when_utc = activity.starts_at.isoformat()
        # The event's page shows the second clock, in the reader's own zone.
        local_time_url = url
        if (
            activity.registration_required
            and activity.registration_open
            and not activity.is_cancelled
        ):
            register_url = url
    if activity.deadline:
        deadline = span_in_zone(activity.deadline, None, activity.time_zone)
        deadline_utc = activity.deadline.isoformat()
    place = []
    if activity.is_online:
        place.append(_("Online"))
    if activity.location:
        place.append(activity.location)
    programme = []
    for role in activity.programme.all():
        line = role.person.name
        if role.title_on_programme:
            line = f"{line}, {role.title_on_programme}"
        programme.append(line)
    title = _text(activity, "title", language)
    return Entry(
        title=title,
        body=_body_after(title, _text(activity, "summary", language, html=True)),
        url=url,
        when=when,
        when_utc=when_utc,
        local_time_url=local_time_url,
        deadline=deadline,
        deadline_utc=deadline_utc,
        place=" · ".join(place),
        organizers=[
            content_in(org, "name", language).value for org in activity.organizations.all()
        ],
        programme=programme,
        links=[(link.label, link.url) for link in activity.links.all()],
        # The contact's address is private unless the organizer chose to show it.
        contact_name=activity.contact_name if activity.contact_is_public else "",
        contact_email=activity.contact_email if activity.contact_is_public else "",
        register_url=register_url,
        is_cancelled=activity.is_cancelled and activity.kind == Kind.EVENT,
    )


# A record's description is cut to this many characters in the Update (its page has all).
RECORD_DESCRIPTION_CHARS = 400


def _record_text(found, language):
    """A record's text (any language, BCP 47): marked with its language when it is not
    the edition's."""
    code = found.language if found.language and found.language != "und" else language
    note = ""
    base = code.split("-")[0]
    if base != language.split("-")[0] and base in dict(UN_LANGUAGE_CHOICES):
        note = _("[in %(language)s]") % {"language": dict(UN_LANGUAGE_CHOICES)[base]}
    direction = "rtl" if is_rtl(base) else "ltr"
    return Text(found.value, code, direction, _align(base), note)


def _record_entry(record, language):
    from django.utils.html import escape
    from django.utils.text import Truncator

    from coalition.catalogue.models import LicenceClass

    title = _record_text(record.title_in(language), language)
    description = record.description_in(language)
    short = Truncator(description.value).chars(RECORD_DESCRIPTION_CHARS)
    body = _record_text(description, language)
    body = replace(body, value=f"<p>{escape(short)}</p>" if short.strip() else "")
    licence = (
        str(LicenceClass(record.licence_class).label)
        if record.licence_class in LicenceClass.values
        else record.licence_class
    )
    return Entry(
        title=title,
        body=_body_after(title, body),
        url=absolute_url(record.get_absolute_url()),
        licence=licence,
        source=content_in(record.source.organization, "name", language).value,
    )


def _synthesis_entry(synthesis, language):
    """A published synthesis of the national reports, linked to its page."""
    cycle = synthesis.cycle
    title = _text(cycle, "title", language)
    summary = _(
        "The Secretariat's synthesis of the Member States' national reports on the "
        "implementation of the 2019 UNESCO Recommendation on OER, %(start)s – %(end)s: "
        "who reported, the shares of every answer by region, and good practices."
    ) % {
        "start": formats.date_format(cycle.period_start, "YEAR_MONTH_FORMAT"),
        "end": formats.date_format(cycle.period_end, "YEAR_MONTH_FORMAT"),
    }
    body = _edition_text(f"<p>{escape(summary)}</p>", language)
    return Entry(
        title=title,
        body=body,
        url=absolute_url(synthesis.get_absolute_url()),
    )


def _editorial_entry(item, section_heading, language):
    title = _text(item, "title", language)
    # The "share your activities" call is usually titled like its section: say it once.
    show_title = bool(title) and title.value.strip().casefold() != section_heading.casefold()
    body = _text(item, "body", language, html=True)
    entry = Entry(
        title=title,
        body=_body_after(title, body) if show_title else body,
        show_title=show_title,
    )
    if item.section == SectionKind.SHARE_ACTIVITIES:
        entry = replace(
            entry,
            action_url=absolute_url(reverse("activities:activity-submit")),
            action_label=_("Share an activity on the Hub"),
        )
    return entry


def _sections(edition, language):
    headings = dict(SectionKind.choices)
    grouped = {}
    for item in _items(edition):
        heading = str(headings.get(item.section, item.section))
        if item.record_id:
            if item.record.deleted or item.record.work.deleted:
                continue  # no longer in the catalogue
            entry = _record_entry(item.record, language)
        elif item.synthesis_id:
            if not item.synthesis.is_published:
                continue  # withdrawn since: not public
            entry = _synthesis_entry(item.synthesis, language)
        elif item.activity_id:
            if not item.activity.is_published:
                continue  # no longer published (or never was): not public
            entry = _activity_entry(item.activity, language)
        else:
            entry = _editorial_entry(item, heading, language)
            if not entry.title and not entry.body:
                continue
        grouped.setdefault(item.section, []).append(entry)
    return [
        Section(kind, str(headings.get(kind, kind)), entries)
        for kind, entries in sorted(
            grouped.items(), key=lambda pair: SECTION_ORDER.get(pair[0], 99)
        )
    ]


def edition_content(edition):
    """The edition's content, resolved in its language (call inside `override(language)`)."""
    issue = edition.issue
    language = edition.language
    title = issue_title(issue, language)
    introduction = sanitize_html(edition.introduction)
    if not introduction.strip():
        introduction = "<p>{}</p>".format(
            sanitize_html(
                _("Dear OER Dynamic Coalition colleagues, welcome to our %(title)s Update!")
                % {"title": title}
            )
        )
    others = []
    for other in sorted(issue.editions.all(), key=lambda e: e.language):
        if other.language == language:
            continue
        with override(other.language):  # its reader's interface language too
            url = absolute_url(other.get_absolute_url())
        others.append(
            {
                "language": other.language,
                "name": NATIVE_NAMES.get(other.language, other.language),
                "direction": "rtl" if is_rtl(other.language) else "ltr",
                "url": url,
            }
        )
    sections = _sections(edition, language)
    return EditionContent(
        language=language,
        direction="rtl" if is_rtl(language) else "ltr",
        align=_align(language),
        opposite="left" if is_rtl(language) else "right",
        masthead=_("OER Dynamic Coalition Update"),
        title=title,
        subject=_("OER Dynamic Coalition Update — %(title)s") % {"title": title},
        introduction=_edition_text(introduction, language),
        sections=sections,
        web_url=absolute_url(edition.get_absolute_url()),
        archive_url=absolute_url(reverse("updates:issue-list")),
        other_editions=others,
        preheader=" · ".join(section.heading for section in sections),
    )


def _context(content):
    return {
        "c": content,
        "unsubscribe_url": UNSUBSCRIBE_URL,
        "preferences_url": PREFERENCES_URL,
        "hub_name": settings.HUB_NAME,
        "hub_url": absolute_url(reverse("site:home")),
    }


def render_edition(edition):
    """The e-mail (HTML and text) and the web version of one edition, for every subscriber."""
    with override(edition.language):
        content = edition_content(edition)
        html = render_to_string("updates/email/edition.html", _context(content))
        text = render_text(content)
        web = render_to_string("updates/includes/edition_body.html", {"c": content})
    return RenderedEdition(
        subject=content.subject,
        html=_INLINER.inline(html),
        text=text,
        language=edition.language,
        web_html=web,
    )


_SITE_RELATIVE_LINK = re.compile(r'href="/(?!/)')


def site_relative(html):
    """Links to the Hub's own pages without its address, as a frozen web version keeps
    them: the address may change after sending (a new domain, HUB_SITE_URL changed)."""
    return html.replace(f'href="{settings.SITE_URL}/', 'href="/')


def site_absolute(html):
    """The Hub's own links with today's address, for readers outside the Hub (the feed)."""
    return _SITE_RELATIVE_LINK.sub(f'href="{settings.SITE_URL}/', html)


def render_web(edition):
    """Only the web version (archive page): no inlining, no plain text."""
    return mark_safe(web_content(edition)[1])  # noqa: S308 - a template's autoescaped output


def web_content(edition):
    """(introduction, whole web version) as HTML, e.g. for an Atom entry's summary and content."""
    with override(edition.language):
        content = edition_content(edition)
        return content.introduction.value, render_to_string(
            "updates/includes/edition_body.html", {"c": content}
        )


# --- plain text --------------------------------------------------------------------------


def _wrap(text, first_indent="", indent=""):
    return textwrap.fill(
        text,
        width=TEXT_WIDTH,
        initial_indent=first_indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _underline(text, char):
    return f"{text}\n{char * min(len(text), TEXT_WIDTH)}"


def _entry_text(entry):
    indent = "  "
    lines = []
    if entry.show_title and entry.title:
        title = entry.title.value
        if entry.title.note:
            title = f"{title} {entry.title.note}"
        if entry.is_cancelled:
            title = _("%(title)s (Cancelled)") % {"title": title}
        lines.append(_wrap(title, "* ", indent))
    if entry.when:
        lines.append(_wrap(entry.when, indent, indent))
        if entry.local_time_url:
            lines.append(indent + _("Your local time: %(url)s") % {"url": entry.local_time_url})
    if entry.deadline:
        lines.append(_wrap(_("Deadline: %(date)s") % {"date": entry.deadline}, indent, indent))
    if entry.place:
        lines.append(_wrap(entry.place, indent, indent))
    if entry.licence:
        lines.append(_wrap(_("Licence: %(licence)s") % {"licence": entry.licence}, indent, indent))
    if entry.source:
        lines.append(_wrap(_("Held by: %(source)s") % {"source": entry.source}, indent, indent))
    if entry.organizers:
        lines.append(
            _wrap(
                _("Organized by: %(names)s") % {"names": join_list(entry.organizers)},
                indent,
                indent,
            )
        )
    if entry.body:
        lines.append("")
        if entry.body.note:
            lines.append(f"{indent}{entry.body.note}")
        lines.append(html_to_text(entry.body.value, width=TEXT_WIDTH, indent=indent))
    if entry.programme:
        lines.append("")
        lines.append(indent + _("Programme:"))
        lines.extend(_wrap(person, indent + "- ", indent + "  ") for person in entry.programme)
    if entry.links or entry.register_url or entry.contact_name or entry.url or entry.action_url:
        lines.append("")
    for label, url in entry.links:
        lines.append(f"{indent}{label}: {url}")
    if entry.register_url:
        lines.append(indent + _("Register: %(url)s") % {"url": entry.register_url})
    if entry.contact_name:
        contact = entry.contact_name + (f", {entry.contact_email}" if entry.contact_email else "")
        lines.append(indent + _("Contact: %(contact)s") % {"contact": contact})
    if entry.url and not entry.local_time_url:
        # An event's page is already linked for the local time.
        lines.append(indent + _("On the Hub: %(url)s") % {"url": entry.url})
    if entry.action_url:
        lines.append(f"{indent}{entry.action_label}: {entry.action_url}")
    return "\n".join(lines)


def render_text(content):
    """The plain-text alternative: readable on its own, every link spelled out."""
    parts = [_underline(f"{content.masthead} — {content.title}", "=")]
    parts.append(_("Read this Update in your browser: %(url)s") % {"url": content.web_url})
    if content.other_editions:
        parts.append(
            "\n".join(
                [_("Also in:")]
                + [f"  {other['name']}: {other['url']}" for other in content.other_editions]
            )
        )
    parts.append(html_to_text(content.introduction.value, width=TEXT_WIDTH))
    for section in content.sections:
        parts.append(_underline(section.heading, "-"))
        parts.extend(_entry_text(entry) for entry in section.entries)
    parts.append("-- ")
    parts.append(
        _wrap(
            _(
                "You receive the OER Dynamic Coalition Update because you subscribed to it. "
                "It contains no tracking of any kind."
            )
        )
    )
    parts.append(
        "\n".join(
            [
                _("Unsubscribe: %(url)s") % {"url": UNSUBSCRIBE_URL},
                _("Change your preferences: %(url)s") % {"url": PREFERENCES_URL},
                _("Past issues: %(url)s") % {"url": content.archive_url},
            ]
        )
    )
    text = "\n\n".join(part for part in parts if part)
    if get_language_bidi():
        # Each URL and address left to right inside the Arabic text (core.mail).
        text = isolate_addresses(text)
    # The signature separator sits alone on its line; collapse runs of blank lines.
    return re.sub(r"\n{3,}", "\n\n", text).replace("-- \n\n", "-- \n") + "\n"
