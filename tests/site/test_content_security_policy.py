"""The Content-Security-Policy (django-csp, settings): no inline script anywhere.

The browser tests (e2e/) fail on any violation the browser reports; these check the header
itself and that no template carries a script the policy would block.
"""

import re
from pathlib import Path

import pytest

import coalition

pytestmark = pytest.mark.django_db

SOURCE = Path(coalition.__file__).resolve().parent
# An executable <script> element without src, and inline event handlers or javascript: URLs.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']|javascript:", re.IGNORECASE)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/en/organizations/", "/api/docs"])
def test_page_has_a_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert "'unsafe-eval'" not in policy["script-src"]


def test_api_answers_carry_the_policy_too(client):
    response = client.get("/api/organizations")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for template in SOURCE.glob("*/templates/**/*.html"):
        if "/email/" in template.as_posix():
            continue  # mails are not pages: no policy applies, and they carry no script
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            offenders += [
                f"{template.relative_to(SOURCE)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert not offenders, "\n".join(offenders)


def test_template_scan_finds_an_inline_script():
    """The scan above is not vacuous."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">{}</script>')
    assert INLINE_HANDLER.search('<a href="#" onclick="go()">')
