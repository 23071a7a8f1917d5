from django import template

from ..models import Choice
from ..selectors.reports import my_reporting

register = template.Library()


@register.filter
def choice_label(value):
    """The translated label of a stored answer choice ("yes" → "Oui")."""
    try:
        return Choice(value).label
    except ValueError:
        return value


@register.inclusion_tag("monitoring/includes/my_hub_panel.html", takes_context=True)
def monitoring_panel(context):
    """My Hub: the countries one reports for, with their reports; the secretariat's queue."""
    return {"request": context["request"], "reporting": my_reporting(context["request"].user)}
