"""The Content-Security-Policy in a real browser: the Hub's pages and the API documentation
work under it, and a page the policy would break fails the browser tests."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_run_under_the_policy_without_violation(hub, coalition, language):
    for path in ("/", "/organizations/", "/activities/", "/events/", "/dashboard/"):
        response = hub.visit(f"/{language}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
    hub.assert_accessible(f"csp-dashboard-{language}")


def test_api_documentation_works_under_the_policy(hub, coalition):
    response = hub.visit("/api/docs")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = hub.page.locator(".opblock-summary")
    operations.first.wait_for()
    assert operations.count() > 10
    assert hub.page.get_by_text("OER Coalition Hub API").first.is_visible()
    # Trying an operation calls the API from the page (connect-src 'self').
    listing = hub.page.locator(".opblock-get", has_text="/api/organizations").first
    listing.locator(".opblock-summary").click()
    hub.page.get_by_role("button", name="Try it out").click()
    hub.page.get_by_role("button", name="Execute").click()
    hub.page.locator(".responses-table .response-col_status", has_text="200").first.wait_for()
    hub.assert_nothing_broken()


def test_inline_script_refused_by_the_policy_fails_the_check(hub, live_server):
    """The check is not vacuous: a page with an inline script is reported as broken."""
    policy = live_server.url + "/en/"
    hub.page.route(
        policy,
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body="<!doctype html><title>x</title><script>document.title = 'ran';</script>",
        ),
    )
    hub.page.goto(policy)
    with pytest.raises(AssertionError, match="CSP violation"):
        hub.assert_nothing_broken()
    assert hub.page.title() == "x"
