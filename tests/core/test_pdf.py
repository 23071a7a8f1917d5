"""core.pdf: HTML printed to PDF, in any script, without fetching remote resources."""

import pytest

from coalition.core.pdf import html_to_pdf, pdf_response

pytest.importorskip("weasyprint")


def test_html_to_pdf_prints_arabic_and_latin():
    pdf = html_to_pdf(
        '<html lang="ar" dir="rtl"><body><h1>تقرير تجميعي</h1><p>Synthesis report</p></body></html>'
    )
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def test_html_to_pdf_fetches_no_remote_image():
    # The remote image is refused by the fetcher; the document is still printed.
    pdf = html_to_pdf('<p>Text</p><img src="http://192.0.2.1/tracker.png" alt="">')
    assert pdf.startswith(b"%PDF-")


def test_pdf_response_is_a_named_download():
    response = pdf_response(b"%PDF-1.7", "synthesis-2023.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="synthesis-2023.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_html_to_pdf_embeds_no_server_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("database password")
    html = f'<a rel="attachment" href="file://{secret}">x</a>'
    # Uncompressed, so that an embedded file would show as plain bytes.
    pdf = html_to_pdf(html, uncompressed_pdf=True)
    assert b"database password" not in pdf and b"EmbeddedFile" not in pdf
