"""Hostile or broken requests refused once, at the door, before any view or database sees them.

`RequestGuardMiddleware` comes first in MIDDLEWARE and answers, in the visitor's language
(the path's language prefix, else Accept-Language):

- 413 when the declared body is larger than `HUB_MAX_REQUEST_BYTES` (settings
  `HUB_MAX_REQUEST_MB`): nothing of it is read. A body sent without Content-Length
  (chunked) is not read by Django under WSGI at all, and the proxy in front caps it too
  (README, "Production").
- 400 when a NUL character is in the path, a query parameter (name or value), a form
  field or an uploaded file's name, or escaped (`\\u0000`) in a JSON body: no database
  stores it (PostgreSQL refuses it in text) and no person types it.
- 400 for a multipart body without a boundary, or one that cannot be parsed.

Answers under a prefix of `HUB_JSON_PATH_PREFIXES` (the API) are JSON objects with a
`detail` reason, like every other API error; the others are short plain pages.
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

NUL = "\x00"
# `\u0000` in JSON text, unless its backslash is itself escaped (`\\u0000` is a backslash
# followed by the letters u0000).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _has_nul(query_dict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    # What is wrong, if anything -------------------------------------------------------

    def refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.answer(request, 400, _("The Content-Length header is not a number."))
        if length > settings.HUB_MAX_REQUEST_BYTES:
            megabytes = settings.HUB_MAX_REQUEST_BYTES // (1024 * 1024)
            return self.answer(
                request,
                413,
                _(
                    "This request is too large: the Hub accepts at most %(megabytes)d MB "
                    "in one request. Send smaller files, or fewer at once."
                )
                % {"megabytes": megabytes},
            )
        if NUL in request.path_info or _has_nul(request.GET):
            return self.answer(request, 400, self.nul_message())
        content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        if content_type == "multipart/form-data" and not params.get("boundary"):
            return self.answer(
                request, 400, _("A multipart/form-data body needs a boundary parameter.")
            )
        if request.method == "POST" and content_type in _FORM_TYPES:
            try:
                fields, files = request.POST, request.FILES
            except MultiPartParserError:
                return self.answer(request, 400, _("The multipart/form-data body is malformed."))
            # Django drops unprintable characters from uploaded files' names itself.
            if _has_nul(fields) or any(NUL in name for name in files):
                return self.answer(request, 400, self.nul_message())
        elif length and content_type.endswith("json") and _JSON_NUL.search(request.body):
            return self.answer(request, 400, self.nul_message())
        return None

    @staticmethod
    def nul_message():
        return _("The request contains a NUL character, which the Hub does not accept.")

    # How it is said -------------------------------------------------------------------

    def answer(self, request, status, message):
        with translation.override(self.language(request)):
            message = str(message)
            if request.path_info.startswith(tuple(settings.HUB_JSON_PATH_PREFIXES)):
                response = JsonResponse(
                    {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
                )
            else:
                response = HttpResponse(
                    message + "\n", status=status, content_type="text/plain; charset=utf-8"
                )
            response["Content-Language"] = translation.get_language()
        if status == 413:
            # The rest of the body is not read: the connection cannot carry another request.
            response["Connection"] = "close"
        return response

    @staticmethod
    def language(request):
        asked = request.GET.get("lang")  # the API's own choice of language
        if asked in dict(settings.LANGUAGES):
            return asked
        return (
            translation.get_language_from_path(request.path_info.replace(NUL, ""))
            or translation.get_language_from_request(request)
            or settings.LANGUAGE_CODE
        )
