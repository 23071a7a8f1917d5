"""How the Hub reads rights statements: one canonical licence and a class, with a reason."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from coalition.catalogue.licences import all_licences, read_rights, read_statement

# statement → (SPDX id, class)
TABLE = [
    # Creative Commons URLs, every common spelling.
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", "open"),
    ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0", "open"),
    ("https://www.creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", "open"),
    ("creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0", "open"),
    ("https://creativecommons.org/licenses/by/4.0/legalcode.fr", "CC-BY-4.0", "open"),
    ("https://creativecommons.org/licenses/by-sa/4.0/deed.ar", "CC-BY-SA-4.0", "open"),
    ("https://creativecommons.org/licenses/by-nc/4.0/deed.zh-hans", "CC-BY-NC-4.0", "open-nc"),
    ("HTTPS://CreativeCommons.org/Licenses/BY-NC-SA/3.0/", "CC-BY-NC-SA-3.0", "open-nc"),
    ("http://creativecommons.org/licenses/by-nd/2.0/", "CC-BY-ND-2.0", "not-open"),
    ("http://creativecommons.org/licenses/by-nc-nd/3.0/", "CC-BY-NC-ND-3.0", "not-open"),
    ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0", "not-open"),
    # Jurisdiction ports: SPDX's id where it has one, else the unported version.
    ("http://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE", "open"),
    ("https://creativecommons.org/licenses/by-sa/3.0/de/deed.de", "CC-BY-SA-3.0-DE", "open"),
    ("http://creativecommons.org/licenses/by/2.5/ar/", "CC-BY-2.5", "open"),
    ("http://creativecommons.org/licenses/by-nc-sa/2.5/ar/", "CC-BY-NC-SA-2.5", "open-nc"),
    ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO", "open"),
    # Names and SPDX ids.
    ("CC BY-SA 4.0", "CC-BY-SA-4.0", "open"),
    ("cc by 4.0", "CC-BY-4.0", "open"),
    ("  CC   BY-NC   4.0  ", "CC-BY-NC-4.0", "open-nc"),
    ("CC-BY-NC-ND", "", "not-open"),
    ("CC BY-NC-SA", "", "open-nc"),
    ("Attribution 4.0 International", "CC-BY-4.0", "open"),
    ("Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)", "CC-BY-SA-4.0", "open"),
    (
        "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Unported",
        "CC-BY-NC-SA-3.0",
        "open-nc",
    ),
    ("Creative Commons Attribution-NoDerivatives 4.0 International", "CC-BY-ND-4.0", "not-open"),
    (
        "Creative Commons Namensnennung 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "CC-BY-4.0",
        "open",
    ),
    ("CC-BY-4.0", "CC-BY-4.0", "open"),
    ("cc-by-sa-3.0-de", "CC-BY-SA-3.0-DE", "open"),
    ("CC BY 3.0 IGO", "CC-BY-3.0-IGO", "open"),
    (
        "This work is licensed under a Creative Commons Attribution 4.0 International License.",
        "CC-BY-4.0",
        "open",
    ),
    # Public domain.
    ("CC0", "CC0-1.0", "open"),
    ("CC0-1.0", "CC0-1.0", "open"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", "open"),
    ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0", "open"),
    ("https://creativecommons.org/publicdomain/mark/1.0/", "", "open"),
    ("Public Domain Mark 1.0", "", "open"),
    ("public domain", "", "open"),
    ("domaine public", "", "open"),
    # GNU FDL and other licences.
    ("GNU Free Documentation License", "GFDL-1.3-or-later", "open"),
    ("GFDL-1.2", "GFDL-1.2-or-later", "open"),
    ("https://www.gnu.org/licenses/fdl-1.3.html", "GFDL-1.3-or-later", "open"),
    ("Licensed under the GNU Free Documentation License, Version 1.3", "GFDL-1.3-or-later", "open"),
    ("MIT", "MIT", "open"),
    ("Apache-2.0", "Apache-2.0", "open"),
    # Not licences.
    ("info:eu-repo/semantics/openAccess", "", "unknown"),
    ("All rights reserved", "", "not-open"),
    ("© 2003 Erasmus University. Tous droits réservés.", "", "not-open"),
    (
        "Copyright 2001, G. de  Jong, B. Nooteboom, This report in the ERIM Report Series",
        "",
        "not-open",
    ),
    ("MIT OpenCourseWare materials", "", "unknown"),
    ("Some words the Hub has never seen", "", "unknown"),
    ("", "", "unknown"),
]


@pytest.mark.parametrize(("statement", "spdx", "licence_class"), TABLE)
def test_read_statement_maps_spelling_to_canonical_licence(statement, spdx, licence_class):
    reading = read_statement(statement)
    assert (reading.spdx, reading.licence_class) == (spdx, licence_class)
    assert str(reading.reason)


def test_read_statement_versionless_cc_names_family_without_spdx():
    reading = read_statement("CC-BY-NC-ND")
    assert reading.licence.url == "https://creativecommons.org/licenses/by-nc-nd/"
    assert reading.licence.version == ""


def test_read_statement_port_without_spdx_id_keeps_jurisdiction():
    reading = read_statement("http://creativecommons.org/licenses/by/2.5/ar/")
    assert reading.licence.jurisdiction == "ar"
    assert reading.licence.url == "https://creativecommons.org/licenses/by/2.5/ar/"


def test_read_rights_open_access_is_access_right_beside_licence():
    reading = read_rights(["info:eu-repo/semantics/openAccess", "CC BY 4.0"])
    assert (reading.spdx, reading.licence_class) == ("CC-BY-4.0", "open")
    assert reading.access_right == "info:eu-repo/semantics/openaccess"


def test_read_rights_open_access_alone_says_why_unknown():
    reading = read_rights(["info:eu-repo/semantics/openAccess"])
    assert reading.licence_class == "unknown"
    assert reading.reason_code == "access-right-only"


def test_read_rights_licence_wins_over_copyright_line():
    reading = read_rights(
        ["Copyright 2020 The authors", "https://creativecommons.org/licenses/by-sa/4.0/"]
    )
    assert reading.spdx == "CC-BY-SA-4.0"


def test_reading_reason_is_translated():
    reading = read_statement("CC BY-ND 4.0")
    with translation.override("fr"):
        french = str(reading.reason)
    assert french and reading.as_dict()["licence_class"] == "not-open"


def test_every_canonical_licence_has_class_and_reason():
    licences = all_licences()
    assert len(licences) > 40
    for licence in licences:
        assert licence.licence_class in {"open", "open-nc", "not-open"}
        assert str(licence.reason)
        assert licence.url.startswith("https://")


def test_licences_command_prints_spdx_and_class_per_line(monkeypatch):
    stdin = io.StringIO("CC BY-SA 4.0\ninfo:eu-repo/semantics/openAccess\nAll rights reserved\n")
    monkeypatch.setattr("sys.stdin", stdin)
    out = io.StringIO()
    call_command("licences", stdout=out)
    assert out.getvalue().splitlines() == ["CC-BY-SA-4.0\topen", "\tunknown", "\tnot-open"]
