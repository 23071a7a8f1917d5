"""CSV import of hand-made records: every row checked before anything is saved.

The template (`template_csv()`) names one column per field of the record form; lists
(authors, languages, links, subjects, keywords, coverage, action areas) are separated by
semicolons, an author's ORCID iD follows a vertical bar. `check_csv(file)` reads the
whole file (UTF-8, with or without a byte-order mark; comma or semicolon delimited, as
spreadsheets write them) and validates each row with `RecordForm`, the very form of
the record page; it returns the rows' data, or the errors by line number (the line in
the file, header = line 1). Only a file without any error is imported, all rows in one
transaction (`submissions.submit_records`, one batch the moderator can approve
together).
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..forms import RecordForm

COLUMNS = (
    "title",
    "title_language",
    "description",
    "creators",
    "publisher",
    "date_created",
    "languages",
    "urls",
    "learning_resource_type",
    "educational_level",
    "subjects",
    "keywords",
    "audience",
    "media_format",
    "licence",
    "rights_statement",
    "doi",
    "accessibility",
    "action_areas",
    "coverage",  # last: templates downloaded before it came still read
)
REQUIRED_COLUMNS = ("title", "title_language", "urls")
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

EXAMPLE = {
    "title": "Introduction to open licensing",
    "title_language": "en",
    "description": "A short course on choosing and applying open licences.",
    "creators": "Amina Hassan | 0000-0002-1825-0097; Jean Dupont",
    "publisher": "Open Learning Institute",
    "date_created": "2024-03-01",
    "languages": "en; fr",
    "urls": "https://example.org/oer/open-licensing",
    "learning_resource_type": "course",
    "educational_level": "higher",
    "subjects": "Copyright; Open education",
    "keywords": "licences; OER",
    "audience": "Teachers",
    "media_format": "HTML",
    "licence": "CC-BY-4.0",
    "rights_statement": "",
    "doi": "",
    "accessibility": "Captions on every video.",
    "action_areas": "1; 3",
    "coverage": "",
}


def template_csv():
    """The template: the header and one example row, UTF-8 with a byte-order mark (so
    spreadsheets open Arabic, Chinese and accents right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE[name] for name in COLUMNS])
    return "\ufeff" + out.getvalue()


@dataclass
class Checked:
    records: list = field(default_factory=list)  # the rows' data, when there is no error
    errors: list = field(default_factory=list)  # (line, message)

    @property
    def ok(self):
        return not self.errors and bool(self.records)


def _decode(raw):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            _("The file is not UTF-8 text (byte %(position)s). Save it as “CSV UTF-8”.")
            % {"position": error.start + 1}
        ) from error


def check_csv(upload):
    checked = Checked()
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        checked.errors.append((0, _("The file is larger than 5 MB.")))
        return checked
    try:
        text = _decode(raw)
    except ValueError as error:
        checked.errors.append((0, str(error)))
        return checked
    if "\x00" in text:
        checked.errors.append((0, _("The file is not a CSV text file.")))
        return checked
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        checked.errors.append(
            (1, _("Missing columns: %(columns)s. Start from the template.")
             % {"columns": ", ".join(missing)})
        )  # fmt: skip
        return checked
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        checked.errors.append(
            (1, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        )
        return checked
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        checked.errors.append((reader.line_num, _("The CSV is malformed: %(error)s") % {
            "error": error}))  # fmt: skip
        return checked
    if len(rows) > MAX_ROWS:
        checked.errors.append(
            (0, _("The file has more than %(limit)s rows; import at most %(limit)s at a "
                  "time.") % {"limit": MAX_ROWS})
        )  # fmt: skip
        return checked
    for line, row in rows:
        values = {name: (row.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue  # an empty line a spreadsheet left behind
        if None in row:
            checked.errors.append((line, _("This row has more cells than the header.")))
            continue
        values["creators"] = "\n".join(part for part in values["creators"].split(";"))
        values["urls"] = "\n".join(part for part in values["urls"].split(";"))
        areas = [part.strip() for part in values.pop("action_areas").split(";") if part.strip()]
        form = RecordForm(data={**values, "action_areas": areas})
        if form.is_valid():
            checked.records.append(form.record_data())
            continue
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in errors:
                column = "action_areas" if name == "action_areas" else name
                text = f"{column} ({label}): {message}" if label else message
                checked.errors.append((line, text))
    if not checked.records and not checked.errors:
        checked.errors.append((0, _("The file has no rows to import.")))
    if checked.errors:
        checked.records = []
    return checked
