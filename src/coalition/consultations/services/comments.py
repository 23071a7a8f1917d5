"""Members' comments on a consultation, each for one working group, and the rapporteur's tags."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.members.models import Affiliation

from ..models import Comment, QuoteConsent

MAX_TAGS = 10


def comment_refusal(consultation, now=None):
    """Why comments are refused now ("" while the comment window is open)."""
    if consultation.comments_are_open(now):
        return ""
    now = now or timezone.now()
    if consultation.comments_open_at and now < consultation.comments_open_at:
        return _("Comments are not open yet.")
    return _("The comment period of this consultation is over.")


@transaction.atomic
def post_comment(
    consultation, *, user, working_group, body, quote_consent=QuoteConsent.ANONYMOUS, now=None
):
    if not user.has_perm("consultations.comment"):
        raise PermissionDenied(_("Only members of the Coalition may comment."))
    refusal = comment_refusal(consultation, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    if working_group is None:
        raise ValidationError(
            _("Choose the working group your comment pertains to."), code="no_group"
        )
    if not (body or "").strip():
        raise ValidationError(_("Write your comment."), code="empty")
    person = user.person
    affiliation = (
        Affiliation.objects.filter(person=person)
        .select_related("organization")
        .order_by("-is_focal_point", "pk")
        .first()
    )
    return Comment.objects.create(
        consultation=consultation,
        working_group=working_group,
        author=user,
        author_name=person.name,
        organization=affiliation.organization if affiliation else None,
        body=body.strip(),
        quote_consent=quote_consent,
        created_at=now or timezone.now(),
    )


def clean_tags(text):
    """ "Policy, funding ,policy" → ["funding", "policy"]: lower case, unique, sorted."""
    tags = sorted({part.strip().lower()[:40] for part in (text or "").split(",") if part.strip()})
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            _("At most %(count)s tags per comment.") % {"count": MAX_TAGS}, code="too_many"
        )
    return tags


@transaction.atomic
def tag_comment(comment, *, user, tags):
    if not user.has_perm("consultations.curate_comments", comment.working_group):
        raise PermissionDenied(_("Only the rapporteur of this working group tags its comments."))
    comment.tags = clean_tags(tags) if isinstance(tags, str) else sorted(set(tags))
    comment.save(update_fields=["tags"])
    return comment
