"""Unique slugs for the addresses of things (organizations, activities, issues, sources).

`unique_slug(model, text)` slugifies `text` (ASCII, cut at `max_length`), steps around
words that name pages of the app at the same place in the URL (`reserved`), and counts up
(`-2`, `-3` …) until no row of `model` has it.
"""

from django.utils.text import slugify


def unique_slug(model, text, *, reserved=frozenset(), max_length=70, fallback=""):
    base = slugify(text, allow_unicode=False)
    if max_length:
        base = base[:max_length].strip("-")
    base = base or fallback or model._meta.model_name
    slug, n = base, 2
    if slug in reserved:
        slug = f"{base}-{n}"
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
