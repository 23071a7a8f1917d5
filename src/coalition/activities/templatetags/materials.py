"""The materials panel of an event page: `{% load materials %}{% materials_panel activity %}`."""

from django import template

from coalition.activities.services.materials import (
    document_type_of,
    file_size_of,
    language_name,
    link_host,
)

register = template.Library()


@register.inclusion_tag("activities/materials/panel.html", takes_context=True)
def materials_panel(context, activity):
    """Materials grouped by presentation: the whole event's first, then the programme's order.

    Two queries whatever the number of materials (materials with their language and
    presentation; the presentations), plus the organizer check.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not activity.is_event or user is None:
        return {"show": False}
    can_manage = user.has_perm("activities.manage_event", activity)
    items = list(activity.materials.select_related("language").order_by("pk"))
    if not items and not can_manage:
        return {"show": False}
    by_presentation = {}
    for material in items:
        by_presentation.setdefault(material.presentation_id, []).append(
            {
                "material": material,
                "document": document_type_of(material),
                "size": file_size_of(material),
                "host": link_host(material.url) if material.url else "",
                "language_name": language_name(material.language),
            }
        )
    groups = []
    if None in by_presentation:
        groups.append({"presentation": None, "items": by_presentation[None]})
    if len(by_presentation) > (1 if None in by_presentation else 0):
        for presentation in activity.presentations.all():
            if presentation.pk in by_presentation:
                groups.append(
                    {"presentation": presentation, "items": by_presentation[presentation.pk]}
                )
    return {"show": True, "activity": activity, "groups": groups, "can_manage": can_manage}
