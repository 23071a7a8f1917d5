from django import template

from ..models import Choice

register = template.Library()


@register.filter
def choice_label(value):
    """The translated label of a stored answer choice ("yes" → "Oui")."""
    try:
        return Choice(value).label
    except ValueError:
        return value
