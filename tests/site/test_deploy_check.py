"""Production settings pass Django's deployment checklist (`check --deploy`) with no warning.

The check runs in a fresh process with the production settings module and only the
variables an operator must set, so no test or development default can hide a problem.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def production_environment(tmp_path, **overrides):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("HUB_", "DJANGO_")) and name != "DATABASE_URL"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="coalition.settings",
        HUB_SECRET_KEY=secrets.token_urlsafe(50),
        HUB_ALLOWED_HOSTS="hub.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}",
    )
    environment.update(overrides)
    return environment


def run_deploy_check(environment):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_with_production_settings_reports_no_issue(tmp_path):
    environment = production_environment(tmp_path)
    assert len(environment["HUB_SECRET_KEY"]) >= 50

    result = run_deploy_check(environment)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output


def test_deploy_check_fails_on_a_weak_secret_key(tmp_path):
    """The check above is not vacuous: a warning does fail it."""
    environment = production_environment(tmp_path, HUB_SECRET_KEY="too-short")

    result = run_deploy_check(environment)

    assert result.returncode != 0
    assert "security.W009" in result.stderr
