"""Fixtures of the catalogue's tests: a local OAI-PMH server and the shared real responses.

The real responses live in `<repo>/../shared/fixtures/oai/` (read in place, never copied
into the repository); tests that need them are skipped, loudly, when that folder is
missing.
"""

import contextlib
import gzip
import os
import subprocess
import threading
import warnings
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from coalition.members.models import Organization

REPO = Path(__file__).resolve().parents[2]


def _fixtures_dir():
    """`<repo>/../shared/fixtures/oai` (a clone beside shared/), or, from a git worktree
    nested deeper, the first such folder above; from a clone elsewhere (CI clones main
    into a scratch directory), the same beside the checkout it was cloned from.
    HUB_OAI_FIXTURES overrides."""
    if os.environ.get("HUB_OAI_FIXTURES"):
        return Path(os.environ["HUB_OAI_FIXTURES"])
    for checkout in (REPO, _cloned_from()):
        for parent in checkout.parents if checkout else ():
            candidate = parent / "shared" / "fixtures" / "oai"
            if candidate.is_dir():
                return candidate
    return REPO.parent / "shared" / "fixtures" / "oai"


def _cloned_from():
    """The local checkout this repository was cloned from, if it was (else None)."""
    try:
        origin = subprocess.run(  # noqa: S603 - git, with our own arguments
            ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],  # noqa: S607
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(origin.removeprefix("file://"))
    return path.resolve() if origin and path.is_absolute() and path.is_dir() else None


FIXTURES = _fixtures_dir()


def fixture_bytes(name):
    if not FIXTURES.is_dir():
        message = (
            f"The shared OAI-PMH fixtures are missing ({FIXTURES}): the harvester's tests "
            "against real responses are SKIPPED."
        )
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/xml; charset=utf-8"})
    gzip: bool = False
    delay: float = 0.0


class OAIServer:
    """Answers each request with the first rule whose parameters it contains.

    A rule's reply may be a `Reply`, a list of them (served in turn, the last one
    repeated) or a callable taking the parameters.
    """

    def __init__(self):
        self.rules = []
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                params = dict(parse_qsl(urlsplit(self.path).query))
                server.requests.append(params)
                reply = server.reply_for(params)
                if reply.delay:
                    import time

                    time.sleep(reply.delay)
                body = reply.body
                headers = dict(reply.headers)
                if reply.gzip:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/oai"

    def on(self, reply, **params):
        self.rules.append((params, reply if not isinstance(reply, list) else list(reply)))
        return self

    def reply_for(self, params):
        for wanted, reply in self.rules:
            if all(params.get(key) == value for key, value in wanted.items()):
                if callable(reply):
                    return reply(params)
                if isinstance(reply, list):
                    return reply.pop(0) if len(reply) > 1 else reply[0]
                return reply
        return Reply(b"not found", status=404, headers={"Content-Type": "text/plain"})

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def oai_server():
    server = OAIServer()
    yield server
    server.close()


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="Université Ouverte", slug="universite-ouverte", stakeholder_type="university",
        country="SN", status=Organization.Status.MEMBER,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.CATALOGUE_HTTP_BACKOFF = 0.01
    settings.CATALOGUE_PAGE_RETRY_SECONDS = 0.01
    settings.CATALOGUE_HTTP_TIMEOUT = 5.0
