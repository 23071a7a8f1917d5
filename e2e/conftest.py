"""Browser tests: Debian's Chromium driven by Playwright, the Hub served by `live_server`.

The tests use the distribution's browser at /usr/bin/chromium and never download one
(no `playwright install`). Without it, or without axe-core (`npm install`), they skip
with a loud reason and a banner at the end of the run; with HUB_REQUIRE_BROWSER=1, as
in CI, a missing browser or any skipped browser test fails the run instead.
"""

import datetime
import functools
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from coalition.members.models import Gender, Organization, StakeholderType, WorkingGroupMembership
from tests.factories.members import (
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    working_group,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO_ROOT = Path(__file__).resolve().parent.parent
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BLOCKING_IMPACTS = ("critical", "serious")
# Runs before the page's own scripts in every document (Playwright injects it outside the
# page's Content-Security-Policy) and keeps what the policy refused, for
# `assert_nothing_broken`.
RECORD_CSP_VIOLATIONS = """
window.__hubCspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__hubCspViolations.push(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
        `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
    );
});
"""


@functools.cache
def axe_source():
    return AXE.read_text(encoding="utf-8")


def browser_required():
    return os.environ.get("HUB_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def missing_prerequisites():
    """What stops the browser tests from running on this machine, in words a person can act on."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(
            f"{CHROMIUM} not found: install Debian's browser with "
            "`apt-get install chromium` (never `playwright install`)"
        )
    if importlib.util.find_spec("playwright") is None:
        missing.append('the playwright package is missing: `pip install -e ".[test]"`')
    if not AXE.is_file():
        missing.append(f"{AXE.relative_to(REPO_ROOT)} not found: run `npm install`")
    return missing


# Reporting: skipped browser tests are counted wherever they ran (xdist sends the reports
# back to the controller, whose copy of this state is the one that counts), then shown
# in a banner or turned into a failure.
_state = {"skipped": [], "ran": 0, "problems": []}


def pytest_configure(config):
    _state.update(skipped=[], ran=0, problems=[])


def pytest_runtest_logreport(report):
    if "browser" not in report.keywords:
        return
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _state["skipped"].append((report.nodeid, reason))
    elif report.when == "call":
        _state["ran"] += 1


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):  # only the controller decides the outcome
        return
    if not browser_required():
        return
    problems = [f"prerequisite missing: {reason}" for reason in missing_prerequisites()]
    problems += [f"skipped: {nodeid} ({reason})" for nodeid, reason in _state["skipped"]]
    if _state["ran"] == 0:
        problems.append("no browser test ran")
    _state["problems"] = problems
    if problems and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return
    write = terminalreporter.write_line
    if _state["problems"]:
        terminalreporter.write_sep(
            "!",
            "HUB_REQUIRE_BROWSER=1: THE BROWSER TESTS DID NOT ALL RUN, SO THIS RUN FAILS",
            red=True,
            bold=True,
        )
        for problem in _state["problems"]:
            write(f"  {problem}", red=True)
    elif _state["skipped"]:
        terminalreporter.write_sep(
            "!",
            f"WARNING: {len(_state['skipped'])} BROWSER TESTS WERE SKIPPED",
            yellow=True,
            bold=True,
        )
        for reason in sorted({reason for _nodeid, reason in _state["skipped"]}):
            write(f"  {reason}", yellow=True)
        write("  Pages, keyboard use and accessibility were NOT checked in a browser.", yellow=True)
        write("  Set HUB_REQUIRE_BROWSER=1 to make this a failure (as .ci/run does).", yellow=True)


# Fixtures


@pytest.fixture(scope="package")
def browser():
    missing = missing_prerequisites()
    if missing:
        reason = "BROWSER TESTS SKIPPED: " + "; ".join(missing)
        if browser_required():
            pytest.fail(f"HUB_REQUIRE_BROWSER=1 but {'; '.join(missing)}", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes
    # Django refuse ORM calls from the test body; allow them while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class HubPage:
    """A browser tab on the live Hub, with the checks every page must pass."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.broken = []
        page.on("pageerror", lambda error: self.broken.append(f"JavaScript error: {error}"))
        page.on("response", self._record_failed_response)
        page.on("console", self._record_policy_violation)
        page.add_init_script(RECORD_CSP_VIOLATIONS)

    def _record_policy_violation(self, message):
        # Chromium reports each Content-Security-Policy refusal on the console as well.
        if "Content Security Policy" in message.text:
            self.broken.append(f"CSP violation: {message.text}")

    def _record_failed_response(self, response):
        # Chromium asks for /favicon.ico on its own: the Hub answers it too.
        if response.status >= 400:
            self.broken.append(f"HTTP {response.status} for {response.url}")

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        self.assert_nothing_broken()
        return response

    def assert_nothing_broken(self):
        self.page.wait_for_load_state("load")
        self.load_all_images()
        self.broken += [
            f"CSP violation: {violation}"
            for violation in self.page.evaluate("() => window.__hubCspViolations || []")
        ]
        assert not self.broken, "\n".join(self.broken)

    def load_all_images(self):
        """Fetch lazy images too: they must not fail, and screenshots must show them."""
        self.page.evaluate(
            """async () => {
                const images = [...document.images];
                images.forEach(image => { image.loading = "eager"; });
                await Promise.all(images.map(image => image.complete ? null : new Promise(done => {
                    image.addEventListener("load", done, {once: true});
                    image.addEventListener("error", done, {once: true});
                })));
            }"""
        )

    @property
    def path(self):
        return self.page.url.removeprefix(self.base_url)

    def document_language(self):
        return self.page.evaluate(
            "() => ({lang: document.documentElement.lang, dir: document.documentElement.dir})"
        )

    def focused_matches(self, selector):
        return self.page.evaluate(
            "selector => document.activeElement?.matches(selector) ?? false",
            selector,
        )

    def tab_to(self, selector, limit=80):
        """Press Tab until `selector` has the focus, as a keyboard user would."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.focused_matches(selector):
                return
        pytest.fail(f"{selector!r} was not reached with {limit} presses of Tab on {self.path}")

    def choose_by_keyboard(self, value, limit=300):
        """In the focused <select>, move with the arrow keys until `value` is selected."""
        for _ in range(limit):
            if self.page.evaluate("() => document.activeElement.value") == value:
                return
            self.page.keyboard.press("ArrowDown")
        pytest.fail(f"option {value!r} was not reached with the arrow keys on {self.path}")

    def assert_accessible(self, name):
        """axe-core finds no serious or critical violation; every finding is kept as JSON."""
        # Evaluated by the browser's tooling, not as a page script: the page's own
        # Content-Security-Policy stays in force and blocks every inline script.
        self.page.evaluate(axe_source())
        results = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        violations = results["violations"]
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.axe.json").write_text(
            json.dumps(violations, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, describe_violations(self.path, blocking)

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def describe_violations(path, violations):
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {path}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    target {target}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def hub(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
    )
    context.set_default_timeout(15_000)
    try:
        yield HubPage(context.new_page(), live_server.url)
    finally:
        context.close()


@pytest.fixture
def tabs(browser, live_server):
    """Several visitors, each in a browser context of their own (see helpers_events.Tabs)."""
    from e2e.helpers_events import open_tabs  # helpers_events imports HubPage from here

    yield from open_tabs(browser, live_server)


@dataclass
class Coalition:
    organizations: dict
    arab_states: set


@pytest.fixture
def coalition(transactional_db):
    """A small Coalition across the five regions, its working groups and some people.

    The tests run against a live server, so the data is committed (transactional_db)
    and flushed after each test.
    """
    today = datetime.date(2024, 6, 1)

    def member(key, days_ago, groups=(), **fields):
        organization = OrganizationFactory(
            joined_on=today - datetime.timedelta(days=days_ago), **fields
        )
        for slug in groups:
            working_group(slug).organizations.add(organization)
        return key, organization

    organizations = dict(
        [
            member(
                "antananarivo",
                40,
                ["capacity-building", "inclusive-equitable-quality-oer"],
                name="University of Antananarivo",
                name_fr="Université d'Antananarivo",
                country="MG",
                stakeholder_type=StakeholderType.UNIVERSITY,
            ),
            member(
                "alecso",
                10,
                ["supportive-policy", "international-cooperation"],
                name="Arab League Educational, Cultural and Scientific Organization",
                name_ar="المنظمة العربية للتربية والثقافة والعلوم",
                acronym="ALECSO",
                country="TN",
                stakeholder_type=StakeholderType.IGO,
            ),
            member(
                "ekb",
                20,
                ["capacity-building"],
                name="Egyptian Knowledge Bank",
                name_ar="بنك المعرفة المصري",
                country="EG",
                stakeholder_type=StakeholderType.SPECIALIZED_INSTITUTION,
            ),
            member(
                "col",
                30,
                ["capacity-building", "sustainability-models"],
                name="Commonwealth of Learning",
                acronym="COL",
                country="CA",
                stakeholder_type=StakeholderType.IGO,
            ),
            member(
                "udelar",
                50,
                ["inclusive-equitable-quality-oer"],
                # Known by its Spanish name in every language.
                name="Universidad de la República",
                name_es="Universidad de la República",
                country="UY",
                stakeholder_type=StakeholderType.UNIVERSITY,
            ),
            member(
                "wou",
                60,
                ["sustainability-models"],
                name="Wawasan Open University",
                country="MY",
                stakeholder_type=StakeholderType.UNIVERSITY,
            ),
            member(
                "kenya-natcom",
                70,
                ["supportive-policy"],
                name="Kenya National Commission for UNESCO",
                country="KE",
                stakeholder_type=StakeholderType.NATIONAL_COMMISSION,
            ),
        ]
    )
    # Not a member yet: no public page may list it.
    organizations["applicant"] = OrganizationFactory(
        name="Pending Applicant Foundation",
        status=Organization.Status.APPLIED,
        joined_on=None,
        country="FR",
    )

    people = [
        ("Nivo Ralamboranto", "MG", Gender.WOMAN, "antananarivo", "capacity-building", "chair"),
        ("Mohamed Jemni", "TN", Gender.MAN, "alecso", "supportive-policy", "chair"),
        ("Sanjaya Mishra", "CA", Gender.MAN, "col", "capacity-building", "rapporteur"),
        (
            "Lucía Fernández",
            "UY",
            Gender.WOMAN,
            "udelar",
            "inclusive-equitable-quality-oer",
            "member",
        ),
        ("Amina Hassan", "EG", Gender.WOMAN, "ekb", "capacity-building", "member"),
    ]
    for name, country, gender, organization, group, role in people:
        person = PersonFactory(
            name=name,
            country=country,
            gender=gender,
            public_profile=True,
            email=f"{name.split()[0].lower()}@example.org",
        )
        AffiliationFactory(
            person=person, organization=organizations[organization], is_focal_point=True
        )
        MembershipFactory(
            person=person,
            working_group=working_group(group),
            role=WorkingGroupMembership.Role(role),
        )
    return Coalition(
        organizations=organizations,
        arab_states={organizations["alecso"], organizations["ekb"]},
    )
