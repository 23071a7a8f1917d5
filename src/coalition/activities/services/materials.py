"""Materials of an event: documents, links and recordings, and the checks every upload passes.

An upload's type is decided by its content, never by its name: a PDF starts with the
`%PDF-` signature; DOCX and PPTX are Office Open XML packages (a ZIP archive holding
`[Content_Types].xml` and `word/` or `ppt/` parts); ODP is an OpenDocument package whose
first entry, `mimetype`, names the presentation type. The name's extension must then
agree with what the content is, so an executable renamed `.pdf` or an HTML page renamed
`.docx` is refused. ZIP packages are also checked as a whole (number of entries, total
size once expanded, every entry's checksum) so that a zip bomb or a damaged archive is
never stored for others to open.

Stored files get a random name (the uploader's name could carry a path, a script or
someone's personal details); people download them through a view that checks they may
see the activity, under a name made from the material's title.
"""

import secrets
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from coalition.recommendation.languages import babel_locale

from ..models import Material

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A real 20 MB presentation expands to a few times its size; ten times is generous and
# still keeps a bomb (kilobytes that expand to gigabytes) out.
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ZIP_ENTRIES = 5000

ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
# Office files with macros (.docm, .pptm) declare these types; renamed to .docx/.pptx
# they would open in Office and offer to run their code, so they are refused.
MACRO_MARKERS = ("macroEnabled", "vbaProject")
URL_MAX_LENGTH = Material._meta.get_field("url").max_length
TITLE_MAX_LENGTH = Material._meta.get_field("title").max_length


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str
    label: str


DOCUMENT_TYPES = {
    "pdf": DocumentType("pdf", "application/pdf", gettext_lazy("PDF document")),
    "docx": DocumentType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word document (DOCX)"),
    ),
    "pptx": DocumentType(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        gettext_lazy("PowerPoint presentation (PPTX)"),
    ),
    "odp": DocumentType(
        "odp",
        "application/vnd.oasis.opendocument.presentation",
        gettext_lazy("OpenDocument presentation (ODP)"),
    ),
}
ACCEPT_ATTRIBUTE = ",".join(
    [f".{kind.extension}" for kind in DOCUMENT_TYPES.values()]
    + [kind.content_type for kind in DOCUMENT_TYPES.values()]
)


def max_bytes():
    return getattr(settings, "MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_uncompressed_bytes():
    return getattr(settings, "MATERIAL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def max_zip_entries():
    return getattr(settings, "MATERIAL_MAX_ZIP_ENTRIES", DEFAULT_MAX_ZIP_ENTRIES)


class _Refused(Exception):
    """A ZIP package refused for a reason of its own (bomb, macros), not for its type."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def _read_entry(archive, info, limit):
    # Read at most `limit` bytes: an entry could claim a small size and expand far more.
    with archive.open(info) as entry:
        return entry.read(limit)


def _inspect_zip(upload):
    """The type of an Office Open XML or OpenDocument package, or None if it is neither."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not entries:
                return None
            if len(entries) > max_zip_entries() or (
                sum(entry.file_size for entry in entries) > max_uncompressed_bytes()
            ):
                raise _Refused(
                    _(
                        "This file expands to more than %(size)s or holds more than %(count)s "
                        "parts once opened, so it cannot be accepted. Save it again from "
                        "your office software, or share it as a PDF."
                    )
                    % {
                        "size": filesizeformat(max_uncompressed_bytes()),
                        "count": max_zip_entries(),
                    }
                )
            if any(entry.flag_bits & 0x1 for entry in entries):
                # Encrypted entries: nobody could open them without a password.
                return None
            names = {entry.filename for entry in entries}
            detected = None
            if entries[0].filename == "mimetype":
                if _read_entry(archive, entries[0], 200).strip() == ODP_MIMETYPE:
                    detected = "odp"
            elif "[Content_Types].xml" in names:
                content_types = _read_entry(
                    archive, archive.getinfo("[Content_Types].xml"), 1024 * 1024
                ).decode("utf-8", "replace")
                if any(marker in content_types for marker in MACRO_MARKERS) or any(
                    name.endswith("vbaProject.bin") for name in names
                ):
                    raise _Refused(
                        _(
                            "This document contains macros (program code), which cannot be "
                            "shared. Save it without macros and try again."
                        )
                    )
                if "wordprocessingml" in content_types and any(
                    name.startswith("word/") for name in names
                ):
                    detected = "docx"
                elif "presentationml" in content_types and any(
                    name.startswith("ppt/") for name in names
                ):
                    detected = "pptx"
            if detected is None:
                return None
            # Expand every entry once and compare its checksum: a damaged or forged
            # archive fails here, not later on a participant's computer.
            if archive.testzip() is not None:
                return None
            return detected
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
    ):
        return None


def detect_document_type(upload):
    """The extension of the type `upload`'s content really is ("pdf", "docx"...), or None.

    Raises ValidationError for a package refused outright (a zip bomb, macros).
    """
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"PK\x03\x04"):
            try:
                return _inspect_zip(upload)
            except _Refused as refused:
                raise ValidationError(refused.message, code="refused") from None
        return None
    finally:
        upload.seek(0)


def validate_upload(upload):
    """The DocumentType of an acceptable upload; ValidationError with a clear reason otherwise."""
    # "PDF, DOCX, PPTX or ODP", as the reader's language writes such a choice (CLDR).
    accepted = format_list(
        [kind.extension.upper() for kind in DOCUMENT_TYPES.values()],
        style="or",
        locale=babel_locale(),
    )
    if upload.size > max_bytes():
        raise ValidationError(
            _("This file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = _extension(upload.name)
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only these kinds of documents can be shared: %(kinds)s.") % {"kinds": accepted},
            code="extension",
        )
    detected = detect_document_type(upload)
    if detected is None:
        raise ValidationError(
            _(
                "This file is not a real %(kinds)s document: its content was checked, not "
                "only its name. Export it again as one of these kinds and try again."
            )
            % {"kinds": accepted},
            code="content",
        )
    if detected != extension:
        raise ValidationError(
            _(
                "This file's content is a %(detected)s, but its name ends in .%(extension)s. "
                "Rename it to .%(right)s and try again."
            )
            % {
                "detected": DOCUMENT_TYPES[detected].label,
                "extension": extension,
                "right": detected,
            },
            code="mismatch",
        )
    return DOCUMENT_TYPES[detected]


def validate_material_url(url):
    """Only web addresses: a `javascript:` or `data:` link would run in the reader's page."""
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError(
            _("This address is too long (at most %(count)s characters).")
            % {"count": URL_MAX_LENGTH},
            code="too_long",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Enter a web address that starts with https:// or http://."), code="scheme"
        ) from None


def document_type_of(material):
    """The DocumentType of a stored file (its generated name carries the checked type)."""
    if not material.file:
        return None
    return DOCUMENT_TYPES.get(_extension(material.file.name))


def file_size_of(material):
    """The stored file's size in bytes, or None if the storage cannot tell (file gone)."""
    if not material.file:
        return None
    try:
        return material.file.size
    except (OSError, ValueError):
        return None


def link_host(url):
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def download_name(material):
    document = document_type_of(material)
    stem = slugify(material.title, allow_unicode=True)[:80] or "material"
    return f"{stem}.{document.extension}" if document else stem


@lru_cache(maxsize=16)
def _language_names(language):
    try:
        return dict(Locale.parse(language.replace("-", "_")).languages)
    except (UnknownLocaleError, ValueError):
        return {}


def language_name(language):
    """A Language row's name in the reader's language (Babel's CLDR names), English otherwise."""
    if language is None:
        return ""
    return _language_names(get_language() or "en").get(language.code) or language.name


def _stored_name(document):
    return f"{secrets.token_hex(16)}.{document.extension}"


def _check_event(activity):
    if not activity.is_event:
        raise ValidationError(_("Materials can be shared only for events."), code="not_event")


@transaction.atomic
def add_material(
    activity, *, user, kind, title, upload=None, url="", language=None, presentation=None
):
    """A document, link or recording for `activity` or one of its presentations.

    Every check runs before anything is written; if saving the row fails, the stored
    file is removed again, so a refused or failed upload leaves nothing behind.
    """
    if not user.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    _check_event(activity)
    errors = {}
    title = (title or "").strip()
    url = (url or "").strip()
    if not title:
        errors["title"] = [_("Give the material a title.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            _("The title is too long (at most %(count)s characters).") % {"count": TITLE_MAX_LENGTH}
        ]
    if presentation is not None and presentation.activity_id != activity.pk:
        errors["presentation"] = [_("This presentation is not part of this event.")]
    document = None
    if kind == Material.Kind.FILE:
        url = ""
        if upload is None:
            errors["file"] = [_("Choose the document to upload.")]
        else:
            try:
                document = validate_upload(upload)
            except ValidationError as error:
                errors["file"] = error.messages
    elif kind in (Material.Kind.LINK, Material.Kind.RECORDING):
        if not url:
            errors["url"] = [_("Enter the address of the link or recording.")]
        else:
            try:
                validate_material_url(url)
            except ValidationError as error:
                errors["url"] = error.messages
    else:
        errors["kind"] = [_("Choose a document, a link or a recording.")]
    if errors:
        raise ValidationError(errors)

    material = Material(
        activity=activity,
        presentation=presentation,
        kind=kind,
        title=title,
        url=url,
        language=language,
        uploaded_by=user,
    )
    stored = None
    try:
        if document is not None:
            material.file.save(_stored_name(document), upload, save=False)
            stored = material.file.name
        material.save()
    except Exception:
        if stored:
            material.file.storage.delete(stored)
        raise
    return material


@transaction.atomic
def remove_material(material, *, user):
    if not user.has_perm("activities.manage_event", material.activity):
        raise PermissionDenied
    storage, name = material.file.storage, material.file.name
    material.delete()
    if name:
        # Only once the row is surely gone: a rolled-back removal keeps its file.
        transaction.on_commit(lambda: storage.delete(name))
