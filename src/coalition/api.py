"""The JSON API: one NinjaAPI whose routers live in each domain app's `api.py`.

Served at /api/, described at /api/openapi.json, with interactive documentation at
/api/docs (Swagger UI from the `ninja` app's own static files: no CDN).

Conventions every router relies on:
- Authentication is the signed-in Django session, with Django's CSRF check, and it is
  the default for every operation: public reads opt out with `auth=None`, so a write
  that forgets to say anything is protected, not open.
- The language of an answer (messages, country and type names, translated content)
  comes from `?lang=`, else Accept-Language, else English.
- Every error is JSON, `{"detail": "<reason in that language>", ...}`: 400 invalid
  input (with `errors` by field), 401 not signed in, 403 not allowed, 404 unknown,
  409 conflicting state, 429 rate limited, 500 our fault.
"""

import logging
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, re_path, reverse
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from coalition.activities.api import router as activities_router
from coalition.catalogue.api import router as catalogue_router
from coalition.consultations.api import router as consultations_router
from coalition.members.api import router as members_router
from coalition.monitoring.api import router as monitoring_router

logger = logging.getLogger("django.request")

API_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class SessionAuth(APIKeyCookie):
    """Django's session, as ninja's `django_auth`, but an anonymous request is told to
    sign in (401) before a signed-in one is checked for its CSRF token (403)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the X-CSRFToken header with the csrftoken "
                    "cookie's value."
                ),
            )
        return request.user


session_auth = SessionAuth()


class NotAnObject(ValueError):
    """A JSON body that is valid JSON but not an object (`[null]`, `"x"`, `3`)."""


class ObjectBodyParser(Parser):
    """Every operation's body is a JSON object; anything else is refused (400), where
    ninja would otherwise read an array or a string as "no fields given"."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(type(data).__name__)
        return data


class Utf8JSONRenderer(JSONRenderer):
    # Names in Arabic, Chinese or Russian stay readable, and a third of the size.
    json_dumps_params = {"ensure_ascii": False}


class HubAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        """`coalition_<app>_api_<function>`, whichever module of the app's `api` package
        holds the function: clients generated from the document keep their method names
        when an app's API is split into modules."""
        module = operation.view_func.__module__.split(".")
        if "api" in module:
            module = module[: module.index("api") + 1]
        return "_".join((*module, operation.view_func.__name__))


api = HubAPI(
    title="OER Coalition Hub API",
    version="1",
    description=(
        "Member organizations, people with a public profile, working groups, and the "
        "activities and events of UNESCO's OER Dynamic Coalition, with their moderation "
        "and event registration, and the catalogue of open educational resources (search "
        "with facets, records with every provenance, sources, hand-made records and their "
        "moderation, a licence check), national reporting on the 2019 Recommendation "
        "(the reporting cycles, the published syntheses' figures, the national reports "
        "their readers may read), and the consultations (sessions, published reports, "
        "surveys answered signed in or anonymously with a per-browser token, results and "
        "exports for the secretariat and the working groups' chairs and rapporteurs). "
        "Reading is open to all. Writing needs a "
        "signed-in session and the CSRF token (header X-CSRFToken). Answers follow "
        "`?lang=` or Accept-Language (ar, en, es, fr, ru, zh-hans); errors are JSON "
        "objects with a `detail` reason."
    ),
    urls_namespace="api",
    auth=session_auth,
    renderer=Utf8JSONRenderer(),
    parser=ObjectBodyParser(),
    # Swagger UI would otherwise send the description to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


def requested_language(request):
    """`?lang=` if it is one of ours, else what LocaleMiddleware chose (Accept-Language,
    then English). An unknown `?lang=` is reported by the operation's own validation."""
    language = request.GET.get("lang")
    if language in API_LANGUAGES:
        return language
    return get_language() or settings.LANGUAGE_CODE


def in_requested_language(run):
    """Run an operation, its validation and its errors in the language asked for."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        language = requested_language(request)
        with override(language):
            response = run(request, *args, **kwargs)
        # LocaleMiddleware would name the Accept-Language choice; say what was used.
        response.headers["Content-Language"] = language
        return response

    return wrapper


api.add_decorator(in_requested_language, mode="view")


def error(request, status, detail, **extra):
    return api.create_response(request, {"detail": str(detail), **extra}, status=status)


# Pydantic's reasons for the commonest mistakes, in words that can be translated.
def _reason(error_):
    kind, context = error_["type"], error_.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"literal_error", "enum"}:
        reason = _("Select a valid choice. That choice is not one of the available choices.")
        expected = context.get("expected")
        return f"{reason} ({expected})" if expected else reason
    if kind == "string_too_long":
        limit = context.get("max_length", 0)
        return ngettext(
            "Ensure this value has at most %(limit_value)d character.",
            "Ensure this value has at most %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": context.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": context.get("le")
        }
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    return error_["msg"]


def _field(location):
    """`("body", "payload", "names", "fr")` → `names.fr`; `("query", "limit")` → `limit`."""
    source, *rest = location
    if source == "body" and len(rest) > 1:
        rest = rest[1:]  # the name of the operation's body parameter
    # Pydantic marks an invalid dict key with a "[key]" step; the key names the field.
    return ".".join(str(part) for part in rest if part != "[key]") or "__all__"


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    errors = {}
    for error_ in exc.errors:
        errors.setdefault(_field(error_["loc"]), []).append(_reason(error_))
    detail = _("Some values are not valid; see the errors by field.")
    return error(request, 400, detail, errors=errors)


@api.exception_handler(ValidationError)
def invalid_data(request, exc):
    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        detail = _("Some values are not valid; see the errors by field.")
    else:
        errors = {"__all__": exc.messages}
        detail = " ".join(exc.messages)
    return error(request, 400, detail, errors=errors)


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc):
    return error(request, 401, _("Please sign in first."))


@api.exception_handler(PermissionDenied)
def not_allowed(request, exc):
    if not request.user.is_authenticated:
        return not_signed_in(request, exc)
    return error(request, 403, _("You are not allowed to do this."))


@api.exception_handler(Http404)
def not_found(request, exc):
    # The API's own 404s carry a translated reason; a bare Http404 gets the generic one.
    return error(request, 404, (exc.args[0] if exc.args else "") or _("Not found."))


@api.exception_handler(Throttled)  # ninja adds Retry-After itself, from the throttle's wait()
@api.exception_handler(Ratelimited)  # should an operation use django-ratelimit's decorator
def too_many(request, exc):
    return error(request, 429, _("Too many attempts. Please wait a while and try again."))


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc.__cause__, NotAnObject):
        return error(request, 400, _("The request body must be a JSON object."))
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        # ninja's words for a body that is not JSON; the parser's own says where.
        return error(
            request,
            400,
            _("The request body is not valid JSON."),
            errors={"__all__": [str(exc.__cause__ or exc)]},
        )
    return error(request, exc.status_code, exc.message)


@api.exception_handler(Exception)
def server_error(request, exc):
    if settings.DEBUG:
        raise exc
    # Logged as Django logs an unhandled error, so that admins hear of it.
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error(request, 500, _("Something went wrong on our side. Please try again later."))


api.add_router("", members_router)
api.add_router("", activities_router)
api.add_router("", catalogue_router)
api.add_router("", monitoring_router)
api.add_router("", consultations_router)


def _json_only(view):
    """ninja answers an unsupported method with a bare 405; make it JSON like the rest."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allow = response.get("Allow", "")
            with override(requested_language(request)):
                response = error(request, 405, _("This method is not allowed here."))
            response["Allow"] = allow
        return response

    return wrapper


def unknown_path(request, rest=""):
    with override(requested_language(request)):
        return error(request, 404, _("There is nothing at this address in the API."))


def index(request):
    """/api/ itself: where the description and the documentation are."""
    return api.create_response(
        request,
        {
            "title": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        },
        status=200,
    )


def _api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        # ninja's own root view raises a (HTML) 404; ours says where to look.
        pattern.callback = index if pattern.name == "api-root" else _json_only(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", _api_urls()),
    re_path(r"^(?P<rest>.*)$", unknown_path, name="api-unknown"),
]
