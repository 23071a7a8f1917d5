"""PDF documents drawn from HTML with WeasyPrint (synthesis reports, rapporteur reports).

WeasyPrint is imported on first use: it loads Pango through cffi, which costs about a
second and is needed only by the few views and tasks that print. Arabic and Chinese
need fonts with their glyphs on the machine (Debian `fonts-noto-core`,
`fonts-wqy-microhei`); without them WeasyPrint still writes the PDF, with boxes.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def html_to_pdf(html: str, *, base_url: str | None = None, **write_options) -> bytes:
    """The PDF of one HTML document; `base_url` resolves its relative links and images.

    Only data: addresses are read: a link in user content can neither make the server
    call out nor embed one of its files (WeasyPrint attaches `rel=attachment` targets).
    Put styles in a <style> element and images as data: URLs. `write_options` go to
    WeasyPrint's `write_pdf` (e.g. `uncompressed_pdf=True`).
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(**write_options)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template to HTML (in the active language) and print it to PDF."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF as a download (or shown in the browser with `inline`)."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
