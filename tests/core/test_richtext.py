import pytest

from coalition.core.richtext import sanitize_html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<iframe src="https://example.org"></iframe>',
        "<svg onload=alert(1)>",
    ],
)
def test_sanitize_removes_scripts_and_handlers(dangerous):
    cleaned = sanitize_html(dangerous)
    for marker in ("<script", "onerror", "javascript:", "<iframe", "onload", "style="):
        assert marker not in cleaned.lower()


def test_sanitize_keeps_formatting_and_safe_links():
    html = (
        '<p><strong>OER</strong> <a href="https://oercommons.org">link</a></p><ul><li>a</li></ul>'
    )
    cleaned = sanitize_html(html)
    assert "<strong>OER</strong>" in cleaned
    assert 'href="https://oercommons.org"' in cleaned
    assert 'rel="nofollow noopener noreferrer"' in cleaned
    assert "<li>a</li>" in cleaned
