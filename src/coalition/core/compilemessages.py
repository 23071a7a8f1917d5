"""Compile every django.po of the Hub into django.mo with Babel: the shared catalogue in
`src/coalition/locale/` and each app's own in `src/coalition/<app>/locale/`.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine
may lack; Babel is a Python dependency of the Hub, so `make install` can always do this.
Run as `python -m coalition.core.compilemessages`.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"


def catalogues(package_dir=PACKAGE_DIR):
    """Every .po file: the shared catalogue's, then each app's (Django finds both)."""
    shared = sorted(package_dir.glob("locale/*/LC_MESSAGES/*.po"))
    own = sorted(package_dir.glob("*/locale/*/LC_MESSAGES/*.po"))
    return shared + own


def compile_catalogues(package_dir=PACKAGE_DIR):
    compiled = []
    for po_path in catalogues(package_dir):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        locale = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale.replace("_", "-").split("-")[0])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    done = compile_catalogues()
    sys.stdout.write(f"Compiled {len(done)} translation catalogue(s).\n")
