"""`/oai`: the OAI-PMH 2.0 endpoint (outside the language prefix: harvesters follow no
redirect). The protocol lives in catalogue.oai.provider; this only adapts HTTP."""

from django.http import StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..oai.provider import respond


@csrf_exempt  # OAI-PMH allows POST from any harvester; nothing is changed by it
@require_http_methods(["GET", "POST", "HEAD"])
def oai_pmh(request):
    query = request.POST if request.method == "POST" else request.GET
    arguments = dict(query.lists())
    chunks = (chunk.encode("utf-8") for chunk in respond(arguments))
    response = StreamingHttpResponse(chunks, content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
