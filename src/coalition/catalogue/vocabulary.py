"""Words for the catalogue's codes, in the interface language: resource types and
educational levels (the codes of `oai.metadata`), licence classes, facets and sorts."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .oai.metadata import EDUCATIONAL_LEVELS, RESOURCE_TYPES

RESOURCE_TYPE_LABELS = {
    "course": _("Course"),
    "lesson": _("Lesson"),
    "textbook": _("Textbook"),
    "article": _("Article or report"),
    "video": _("Video"),
    "audio": _("Audio"),
    "image": _("Image"),
    "presentation": _("Presentation"),
    "assessment": _("Assessment"),
    "interactive": _("Interactive resource"),
    "software": _("Software"),
    "dataset": _("Dataset"),
    "text": _("Text"),
}
EDUCATIONAL_LEVEL_LABELS = {
    "early-childhood": _("Early childhood"),
    "primary": _("Primary education"),
    "secondary": _("Secondary education"),
    "higher": _("Higher education"),
    "vocational": _("Technical and vocational"),
    "adult": _("Adult and lifelong learning"),
}
assert set(RESOURCE_TYPE_LABELS) == set(RESOURCE_TYPES)
assert set(EDUCATIONAL_LEVEL_LABELS) == set(EDUCATIONAL_LEVELS)

RESOURCE_TYPE_CHOICES = sorted(RESOURCE_TYPE_LABELS.items())
EDUCATIONAL_LEVEL_CHOICES = list(EDUCATIONAL_LEVEL_LABELS.items())

FACET_LABELS = {
    "licence": _("Licence"),
    "language": _("Language"),
    "type": _("Type of resource"),
    "level": _("Educational level"),
    "subject": _("Subject"),
    "year": _("Year"),
    "area": _("Action area"),
    "source": pgettext_lazy("catalogue", "Source"),
    "region": _("Region"),
}

SORT_CHOICES = [("relevance", _("Relevance")), ("date", _("Newest first"))]
