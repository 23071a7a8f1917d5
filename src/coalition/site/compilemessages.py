"""Compile every django.po under the package's locale/ into django.mo with Babel.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine
may lack; Babel is a Python dependency of the Hub, so `make install` can always do this.
Run as `python -m coalition.site.compilemessages`.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(locale_dir=LOCALE_DIR):
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
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
