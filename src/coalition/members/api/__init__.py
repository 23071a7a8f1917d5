"""The members domain in the JSON API: organizations, people, working groups.

Reads are public and show what the public pages show, never more: member organizations,
people who consented to a public profile, and never a person's e-mail or gender.
Writes need a signed-in session (the API's default authentication, see
`coalition/api.py`) and go through `services`, which check permissions again and run
in one transaction each. Problems are raised as exceptions (`PermissionDenied`,
`Http404`, `ValidationError`, `HttpError`) that the API turns into JSON errors.

Answers speak the language asked for with `?lang=` or Accept-Language; translated
content falls back visibly (`name_language`, `description.language`).

The operations: `organizations`, `people`, `working_groups`, on this package's `router`;
the helpers below build answers for them and for the activities API.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Router
from ninja.errors import HttpError

from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.recommendation.content import content_in

from ..models import WorkingGroup
from ..schemas import Error

router = Router()

CONTENT_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES

# Errors each kind of operation may answer with, for the OpenAPI description.
READ_ERRORS = {400: Error}
DETAIL_ERRORS = {400: Error, 404: Error}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}
DECISION_ERRORS = {**WRITE_ERRORS, 409: Error}


def _translations(obj, field):
    return {
        language: value
        for language in CONTENT_LANGUAGES
        if (value := getattr(obj, localized_column(field, language), "") or "").strip()
    }


def _text(obj, field, language, *, html=False):
    content = content_in(obj, field, language)
    value = sanitize_html(content.value) if html else content.value
    return {"value": value, "language": content.language, "is_fallback": content.is_fallback}


class _Answer:
    """What the items of one answer share, worked out once rather than once per item:
    the language, the names of coded values, and the shape of links to pages."""

    SLUG = "--slug--"

    def __init__(self, request):
        self.request = request
        self.language = get_language()
        self._names = {}
        self._links = {}

    def choice(self, choices, code):
        if choices not in self._names:
            self._names[choices] = {value: str(label) for value, label in choices.choices}
        # A code no longer among the choices (old data) is shown as it is.
        return {"code": code, "name": self._names[choices].get(code, code)}

    def country(self, country):
        if not country:
            return None
        names = self._names.setdefault("country", {})
        if country.code not in names:
            names[country.code] = str(country.name)
        return {"code": country.code, "name": names[country.code]}

    def link(self, url_name, slug):
        """The absolute address of a page, as the model's get_absolute_url() gives it."""
        if url_name not in self._links:
            address = reverse(url_name, kwargs={"slug": self.SLUG})
            self._links[url_name] = self.request.build_absolute_uri(address).split(self.SLUG)
        before, after = self._links[url_name]
        return f"{before}{slug}{after}"


def _get(queryset, message, **lookup):
    """The one object matching `lookup`, else a 404 whose reason the client can read."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(message)
    return obj


def _conflict(error):
    """A service refused because of the object's state (already decided, already asked):
    409. Errors about given fields stay 400."""
    if hasattr(error, "error_dict"):
        return error
    return HttpError(409, " ".join(error.messages))


def _renamed(error, names):
    """The model's field names in `error`, as the API's fields are called."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {}
    for field, errors in error.error_dict.items():
        renamed.setdefault(names.get(field, field), []).extend(errors)
    return ValidationError(renamed)


def _page(request, queryset, params):
    limit, offset = params.limit, params.offset
    count = queryset.count()
    items = list(queryset[offset : offset + limit])
    query = request.GET.copy()

    def link(at):
        query["offset"] = str(at)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return items, {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
    }


def _country_filter(code):
    code = (code or "").strip().upper()
    if code and code not in countries:
        raise ValidationError({"country": [_("Unknown country code: use ISO 3166-1 alpha-2.")]})
    return code


def _working_group_filter(slug):
    if not slug:
        return None
    group = WorkingGroup.objects.filter(slug=slug).only("pk").first()
    if group is None:
        raise ValidationError({"working_group": [_("There is no working group with this name.")]})
    return group


def _organization_ref(answer, organization):
    name = content_in(organization, "name", answer.language)
    return {"slug": organization.slug, "name": name.value, "name_language": name.language}


# The operations, registered on `router` in this order (the OpenAPI document's order).
from . import organizations, people, working_groups  # noqa: E402, F401
