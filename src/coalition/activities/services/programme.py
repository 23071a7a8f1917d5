"""An event's programme: its presentations (talks, panels) and the people on it.

Organizers (and the secretariat) build it; each function is one transaction.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.core.translated import localized_column

from ..models import Presentation, ProgrammeRole


@transaction.atomic
def add_presentation(activity, *, by, title, starts_at=None):
    """One item of an event's programme (a talk, a panel), after those it has."""
    if not by.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    if not activity.is_event:
        raise ValidationError(_("Only events have a programme."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the presentation a title.")]})
    order = activity.presentations.count() + 1
    return Presentation.objects.create(
        activity=activity, title=title, starts_at=starts_at, order=order
    )


@transaction.atomic
def add_to_programme(activity, person, *, by, role, title_on_programme="", presentation=None):
    """A speaker, chair, moderator or rapporteur of an event (or of one of its presentations).

    `title_on_programme`: one text, in the active language, or {language: text}.
    """
    if not by.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    if not activity.is_event:
        raise ValidationError(_("Only events have a programme."))
    if presentation is not None and presentation.activity_id != activity.pk:
        raise ValidationError({"presentation": [_("This presentation is not part of this event.")]})
    if isinstance(title_on_programme, dict):
        titles = {
            localized_column("title_on_programme", language): text.strip()
            for language, text in title_on_programme.items()
        }
        base = title_on_programme.get(settings.LANGUAGE_CODE) or next(
            iter(title_on_programme.values()), ""
        )
    else:
        titles = {"title_on_programme": title_on_programme.strip()}
        base = titles["title_on_programme"]
    row = ProgrammeRole(
        activity=activity,
        presentation=presentation,
        person=person,
        role=role,
        order=activity.programme.count(),
        **titles,
    )
    row.__dict__["title_on_programme"] = base.strip()  # the untranslated column, raw
    row.save()
    return row
