"""The public archive of the Update: sent issues at stable addresses, one page per
language edition, with links to the other languages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coalition.recommendation.languages import NATIVE_NAMES, is_rtl

from .. import rendering
from ..models import Edition, UpdateIssue
from ..selectors import public_editions

PAGE_SIZE = 20


def _pick(editions, language):
    """The edition in `language`, else English, else the first there is."""
    by_language = {edition.language: edition for edition in editions}
    return (
        by_language.get(language)
        or by_language.get(settings.LANGUAGE_CODE)
        or (editions[0] if editions else None)
    )


def _language_link(edition):
    return {
        "language": edition.language,
        "name": NATIVE_NAMES.get(edition.language, edition.language),
        "direction": "rtl" if is_rtl(edition.language) else "ltr",
        "url": edition.get_absolute_url(),
    }


def issue_list(request):
    language = get_language()
    public = public_editions()
    issues = (
        UpdateIssue.objects.filter(Exists(public.filter(issue=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("editions", queryset=public.order_by("language"), to_attr="public")
        )
        .order_by("-period_end", "-pk")
    )
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for issue in page:
        primary = _pick(issue.public, language)
        rows.append(
            {
                "issue": issue,
                "edition": primary,
                "title": rendering.issue_title(issue, primary.language),
                "direction": "rtl" if is_rtl(primary.language) else "ltr",
                "sent_at": primary.sent_at or issue.sent_at,
                "others": [
                    _language_link(edition) for edition in issue.public if edition != primary
                ],
            }
        )
    return render(request, "updates/issue_list.html", {"page": page, "rows": rows})


def issue_detail(request, slug):
    issue = get_object_or_404(UpdateIssue, slug=slug)
    edition = _pick(
        list(public_editions().filter(issue=issue).order_by("language")), get_language()
    )
    if edition is None:
        raise Http404
    return redirect(edition)


def _relative(html):
    """Links to the Hub's own pages without its address: the page works wherever it is
    served (another port under `make run`, a new domain); mails and feeds keep theirs.
    Editions are frozen site-relative; those frozen before still hold today's address."""
    return rendering.site_relative(html)


def _web_body(edition):
    """A sent edition as it was sent; a draft (or an edition sent before freezing) as it is now."""
    if edition.sent_web_html:
        # Rendered by us from sanitized parts.
        return mark_safe(_relative(edition.sent_web_html))  # noqa: S308
    return mark_safe(_relative(rendering.render_web(edition)))  # noqa: S308 - as above


def edition_page(request, edition, *, preview=False):
    issue = edition.issue
    others = public_editions() if not preview else Edition.objects.all()
    others = [
        _language_link(other)
        for other in others.filter(issue=issue).exclude(pk=edition.pk).order_by("language")
    ]
    if preview:
        # A draft's other editions are not public yet: link to their previews.
        for other in others:
            other["url"] = reverse(
                "updates:preview-web", kwargs={"pk": issue.pk, "language": other["language"]}
            )
    return render(
        request,
        "updates/edition_detail.html",
        {
            "edition": edition,
            "issue": issue,
            "subject": edition.sent_subject or rendering.subject_for(issue, edition.language),
            "body": _web_body(edition),
            "others": others,
            "sent_at": edition.sent_at or issue.sent_at,
            "preview": preview,
        },
    )


def edition_detail(request, slug, language):
    edition = get_object_or_404(
        public_editions().select_related("issue"), issue__slug=slug, language=language
    )
    return edition_page(request, edition)
