"""Run for every test session (tests/ and e2e/): compile the translation catalogues first."""

import fcntl
import tempfile
from pathlib import Path

from coalition.core.compilemessages import compile_catalogues


def pytest_configure(config):
    """Compile the interface catalogues before any test can render a page.

    Django reads a language's .mo files once per process, at its first use, and never
    looks again: compiling from a fixture after some test has rendered French would be
    too late. The lock keeps parallel workers (pytest-xdist) from writing the same .mo
    file at once; the second worker finds it up to date and compiles nothing.
    """
    lock_path = Path(tempfile.gettempdir()) / "coalition-compilemessages.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        compiled = compile_catalogues()
    if compiled:
        _forget_loaded_translations()


def _forget_loaded_translations():
    # The same reset Django's test machinery performs when LOCALE_PATHS changes, for the
    # rare case where something activated a language while the test run was starting.
    import django.test.signals  # noqa: F401  (connects the receiver that clears the caches)
    from django.conf import settings
    from django.core.signals import setting_changed

    setting_changed.send(
        sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
    )
