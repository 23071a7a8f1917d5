"""Sanitized rich text: the only HTML from users that a page may render unescaped."""

import nh3
from django.db import models

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "code",
    "pre",
    "abbr",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "span": {"lang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value):
    """Keep formatting and links; drop scripts, styles, event handlers and unsafe URLs."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


class RichTextField(models.TextField):
    """A text field whose HTML is sanitized whenever it is saved."""

    def pre_save(self, model_instance, add):
        # Read and write the raw attribute: for a translated field, going through the
        # modeltranslation descriptor would copy a fallback into the active language.
        value = sanitize_html(model_instance.__dict__.get(self.attname))
        model_instance.__dict__[self.attname] = value
        return value
