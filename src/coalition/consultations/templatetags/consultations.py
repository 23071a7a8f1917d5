from django import template

from coalition.activities.clocks import two_clocks

from .. import selectors

register = template.Library()


def _reader_zone(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""


@register.inclusion_tag("activities/includes/two_clocks.html", takes_context=True)
def moment_clocks(context, moment, zone):
    """Both clocks of one moment (a survey's opening or closing) announced in `zone`."""
    if moment is None:
        return {"clocks": None}
    return {"clocks": two_clocks(moment, None, zone, _reader_zone(context))}


@register.inclusion_tag("consultations/includes/my_hub_panel.html", takes_context=True)
def consultations_panel(context):
    """My Hub: open surveys, one's own responses, the comments and reports one looks after."""
    user = context["request"].user
    return {"request": context["request"], **selectors.my_hub(user)}
