"""The discussion of an event: one thread for the event and one for each presentation.

A post is written in Markdown and stored twice: `body` as written (so it can be shown
again to its author or re-rendered if the rules change) and `body_html`, rendered by the
`markdown` library and then sanitized, so no raw HTML, script, event handler or
`javascript:` link ever reaches a page. Organizers and the secretariat hide posts; a
hidden post keeps its text for moderators only. Anyone signed in may report a post once.

People appear by the name on their public profile, or as "A member": never by e-mail.
"""

import markdown
import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from markdown.extensions.toc import TocExtension

from coalition.core.richtext import sanitize_html

from ..models import Post, PostReport

MAX_POST_LENGTH = 10_000
MAX_REASON_LENGTH = PostReport._meta.get_field("reason").max_length
# django-ratelimit rate for posting and reporting, per account.
POST_RATE = "10/m"


def render_markdown(text):
    """Sanitized HTML for a post's Markdown."""
    html = markdown.markdown(
        text,
        extensions=[
            "fenced_code",
            "sane_lists",
            # Headings start at h3: the page has its h1 and the panel its h2, and the
            # sanitizer keeps only h3 and h4.
            TocExtension(baselevel=3, permalink=False, anchorlink=False),
        ],
        output_format="html",
    )
    return sanitize_html(html)


def display_name(user):
    """The name shown for an account: its public profile's name, else "A member"."""
    person = getattr(user, "person", None) if user is not None else None
    if person is not None and person.public_profile:
        return person.name
    return _("A member")


def _check_thread(activity, presentation):
    if not activity.is_event:
        raise ValidationError(_("Only events have a discussion."), code="not_event")
    if presentation is not None and presentation.activity_id != activity.pk:
        raise ValidationError({"presentation": [_("This presentation is not part of this event.")]})


def clean_body(body):
    """The body as it will be stored, or ValidationError({"body": ...}) with the reason."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message before sending it.")]})
    if len(body) > MAX_POST_LENGTH:
        raise ValidationError(
            {
                "body": [
                    _("Messages may be at most %(limit)s characters long; this one has %(count)s.")
                    % {"limit": MAX_POST_LENGTH, "count": len(body)}
                ]
            }
        )
    return body


@transaction.atomic
def create_post(activity, *, user, body, presentation=None):
    if not user.has_perm("activities.post", activity):
        raise PermissionDenied
    _check_thread(activity, presentation)
    body = clean_body(body)
    body_html = render_markdown(body)
    if not nh3.clean(body_html, tags=set()).strip():
        raise ValidationError(
            {"body": [_("Nothing is left of this message once unsafe content is removed.")]}
        )
    return Post.objects.create(
        activity=activity, presentation=presentation, author=user, body=body, body_html=body_html
    )


@transaction.atomic
def hide_post(post, *, user, hidden=True):
    """Hide a post from everyone but moderators (or, with hidden=False, show it again)."""
    if not user.has_perm("activities.hide_post", post.activity):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.is_hidden = hidden
    post.hidden_by = user if hidden else None
    post.save(update_fields=["is_hidden", "hidden_by"])
    return post


def report_post(post, *, user, reason):
    """A report for the organizers and the secretariat; one per post and person."""
    if not (
        user.has_perm("activities.report_post", post)
        and user.has_perm("activities.view_activity", post.activity)
    ):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say briefly what is wrong with this message.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Please keep the reason under %(limit)s characters.")
                    % {"limit": MAX_REASON_LENGTH}
                ]
            }
        )
    try:
        # The unique constraint decides, so two quick clicks still make one report.
        with transaction.atomic():
            return PostReport.objects.create(post=post, reporter=user, reason=reason)
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this message."), code="duplicate"
        ) from None
