from django import template

from coalition.activities.clocks import browser_locale, span_patterns, two_clocks

register = template.Library()


@register.inclusion_tag("activities/includes/two_clocks.html", takes_context=True)
def event_clocks(context, activity, moment="span"):
    """Both clocks of an event (or of a call's deadline with moment="deadline")."""
    request = context.get("request")
    user = getattr(request, "user", None)
    reader_zone = (
        getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    )
    if moment == "deadline":
        starts_at, ends_at = activity.deadline, None
    else:
        starts_at, ends_at = activity.starts_at, activity.ends_at
    if starts_at is None:
        return {"clocks": None}
    clocks = two_clocks(starts_at, ends_at, activity.time_zone, reader_zone)
    browser = {}
    if not clocks.reader and not reader_zone:  # clocks.js writes the reader's clock
        browser = {"locale": browser_locale(), **span_patterns()}
    return {"clocks": clocks, "browser": browser}
