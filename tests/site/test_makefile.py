"""`make run` serves where its links point: HUB_SITE_URL follows HOST and PORT."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRINT_SITE_URL = "include Makefile\nprint-site-url:\n\t@echo $$HUB_SITE_URL\n"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def site_url(*arguments, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(environment)
    result = subprocess.run(  # noqa: S603 - make with a makefile of this test's own
        ["make", "-s", "-f", "-", "print-site-url", *arguments],  # noqa: S607
        input=PRINT_SITE_URL,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_defaults_to_the_served_address():
    assert site_url() == "http://127.0.0.1:8000"


def test_site_url_follows_host_and_port():
    assert site_url("PORT=8101") == "http://127.0.0.1:8101"
    assert site_url("HOST=localhost", "PORT=9000") == "http://localhost:9000"


def test_an_explicit_site_url_wins():
    assert site_url("PORT=8101", HUB_SITE_URL="https://hub.example.org") == (
        "https://hub.example.org"
    )
