from django import template

from coalition.recommendation.languages import language_name as _language_name

from ..vocabulary import EDUCATIONAL_LEVEL_LABELS, RESOURCE_TYPE_LABELS

register = template.Library()


@register.filter
def language_name(code):
    return _language_name(code) or code


@register.filter
def resource_type(code):
    return RESOURCE_TYPE_LABELS.get(code, code)


@register.filter
def educational_level(code):
    return EDUCATIONAL_LEVEL_LABELS.get(code, code)


@register.inclusion_tag("catalogue/includes/organization_sources.html", takes_context=True)
def organization_sources(context, organization):
    """The sources of an organization and their record counts (its page)."""
    from ..selectors import sources_of_organization

    user = context.get("user")
    sources = [
        source
        for source in sources_of_organization(organization).select_related("organization")
        if source.is_public or (user and user.has_perm("catalogue.change_source", source))
    ]
    return {"sources": sources, "organization": organization, "user": user}


@register.filter
def duration(delta):
    """A harvest's duration in words: "2 min 5 s"."""
    from django.utils.translation import gettext as _

    seconds = int(delta.total_seconds()) if delta else 0
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": seconds}
    return _("%(seconds)d s") % {"seconds": seconds}


@register.inclusion_tag("catalogue/includes/home_panel.html")
def catalogue_home_panel():
    """The home page's way into the catalogue."""
    return {}


@register.inclusion_tag("catalogue/includes/my_hub_panel.html", takes_context=True)
def catalogue_my_hub_panel(context):
    """My Hub: one's records and sources, and the secretariat's moderation."""
    return {"perms": context.get("perms"), "user": context.get("user")}
