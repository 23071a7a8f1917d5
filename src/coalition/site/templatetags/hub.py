from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from coalition.core.richtext import sanitize_html
from coalition.recommendation import languages
from coalition.recommendation.content import Content, content_in

register = template.Library()


@register.simple_tag(takes_context=False)
def content(obj, field_name):
    """A translatable field in the active language, or its marked fallback."""
    return content_in(obj, field_name)


@register.filter
def rich_text(value):
    """Sanitized HTML of a rich-text field (sanitized again on output, as a second lock)."""
    language_attrs = ""
    if isinstance(value, Content):
        if value.is_fallback:
            language_attrs = format_html(' lang="{}" dir="{}"', value.language, value.direction)
        value = value.value
    return mark_safe(f'<div class="rich-text"{language_attrs}>{sanitize_html(value)}</div>')  # noqa: S308 - sanitized just above


@register.simple_tag
def fallback_note(value):
    if not isinstance(value, Content) or not value.is_fallback:
        return ""
    return format_html(
        '<p class="fallback-note">{}</p>',
        _("This text is not yet translated into your language; it is shown in %(language)s.")
        % {"language": value.language_name},
    )


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    query = context.get("query", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"


@register.simple_tag
def list_separator():
    """`{% if not forloop.last %}{% list_separator %}{% endif %}`: ", " in the interface
    language ("، " in Arabic)."""
    return languages.list_separator()


@register.filter
def join_list(items):
    """`{{ names|join_list }}`: joined with the interface language's list separator."""
    return languages.join_list(items)


@register.filter
def ltr(value):
    """An address, URL, time or range kept left to right inside a right-to-left sentence:
    `<bdi dir="ltr">`, so "CET 17:00–16:00" or "org.example@name" cannot happen in Arabic.
    Usable in `{% blocktranslate with x=value|ltr %}` without changing the message."""
    if value in (None, ""):
        return value
    return format_html('<bdi dir="ltr">{}</bdi>', value)
