"""Materials of an event: who may add and remove them, which uploads pass, how they are served."""

import io
import zipfile
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.activities.models import Kind, Material, State
from coalition.activities.services import materials
from coalition.recommendation.models import Language
from tests.factories.activities import (
    ROLES,
    WORD_MACRO_MAIN,
    LinkMaterialFactory,
    PresentationFactory,
    WebinarFactory,
    minimal_docx,
    minimal_odp,
    minimal_pdf,
    minimal_pptx,
    organizer_of,
    user_in_role,
)
from tests.factories.members import SecretariatFactory
from tests.support.clients import signed_in

pytestmark = pytest.mark.django_db

PDF = "application/pdf"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_url(activity):
    return reverse("activities:material-add", kwargs={"slug": activity.slug})


# --- checking uploads by their content -------------------------------------------------


class TestUploadChecks:
    @pytest.mark.parametrize(
        ("name", "build", "extension", "content_type"),
        [
            ("slides.pdf", minimal_pdf, "pdf", "application/pdf"),
            (
                "Report.DOCX",
                minimal_docx,
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "deck.pptx",
                minimal_pptx,
                "pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ),
            ("deck.odp", minimal_odp, "odp", "application/vnd.oasis.opendocument.presentation"),
        ],
    )
    def test_validate_upload_accepts_real_documents(self, name, build, extension, content_type):
        document = materials.validate_upload(upload(name, build()))
        assert document.extension == extension
        assert document.content_type == content_type

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            # A Windows executable renamed .pdf.
            ("slides.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
            # An HTML page (with a script) renamed .docx.
            ("report.docx", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
            # A ZIP that is no office document at all.
            ("report.docx", None),
            # A text file pretending to be a presentation.
            ("deck.odp", b"application/vnd.oasis.opendocument.presentation"),
        ],
    )
    def test_validate_upload_refuses_disguised_files(self, name, content):
        if content is None:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                archive.writestr("setup.exe", b"MZ")
            content = out.getvalue()
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload(name, content))
        assert refused.value.code == "content"
        assert "its content was checked" in refused.value.messages[0]

    def test_validate_upload_refuses_extension_that_disagrees_with_content(self):
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("report.pdf", minimal_docx()))
        assert refused.value.code == "mismatch"
        assert ".docx" in refused.value.messages[0]

    def test_validate_upload_refuses_unlisted_extension_even_for_a_pdf(self):
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("slides.exe", minimal_pdf()))
        assert refused.value.code == "extension"

    def test_validate_upload_refuses_odp_template_mimetype(self):
        content = minimal_odp("application/vnd.oasis.opendocument.text")
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("deck.odp", content))
        assert refused.value.code == "content"

    def test_validate_upload_refuses_macro_document_renamed_docx(self):
        content = minimal_docx(WORD_MACRO_MAIN, extra=[("word/vbaProject.bin", b"\x00" * 16)])
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("report.docx", content))
        assert "macros" in refused.value.messages[0]

    def test_validate_upload_refuses_zip_bomb_by_expanded_size(self, settings):
        settings.MATERIAL_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
        content = minimal_docx(extra=[("word/media/blank.bin", b"\x00" * (2 * 1024 * 1024))])
        assert len(content) < 20 * 1024  # kilobytes that expand to megabytes
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("report.docx", content))
        assert refused.value.code == "refused"
        assert "expands to more than" in refused.value.messages[0]

    def test_validate_upload_refuses_zip_with_too_many_entries(self, settings):
        settings.MATERIAL_MAX_ZIP_ENTRIES = 50
        content = minimal_docx(extra=[(f"word/part{n}.xml", "<x/>") for n in range(60)])
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("report.docx", content))
        assert refused.value.code == "refused"

    def test_validate_upload_refuses_damaged_archive(self):
        content = bytearray(minimal_docx())
        # Flip bytes inside the compressed main part: the checksum no longer matches.
        start = content.index(b"word/document.xml") + len("word/document.xml") + 4
        content[start : start + 8] = bytes(b ^ 0xFF for b in content[start : start + 8])
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("report.docx", bytes(content)))
        assert refused.value.code == "content"

    def test_validate_upload_refuses_oversized_file(self, settings):
        settings.MATERIAL_MAX_BYTES = 100
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("slides.pdf", minimal_pdf() + b" " * 200))
        assert refused.value.code == "too_large"
        assert "100" in refused.value.messages[0]

    def test_validate_upload_refuses_empty_file(self):
        with pytest.raises(ValidationError) as refused:
            materials.validate_upload(upload("slides.pdf", b""))
        assert refused.value.code == "empty"


# --- adding and removing: the role matrix --------------------------------------------


ADD_ALLOWED = {"organizer", "secretariat"}


@pytest.mark.parametrize("role", ROLES)
def test_add_material_role_matrix(client, role):
    event = WebinarFactory()
    user = user_in_role(role, event)
    response = signed_in(client, user).post(
        add_url(event),
        {"kind": "file", "title": "Slides", "file": upload("slides.pdf", minimal_pdf(), PDF)},
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    elif role in ADD_ALLOWED:
        assert response.status_code == 302
        assert response["Location"].endswith("#materials")
    else:
        assert response.status_code == 403
    assert event.materials.count() == (1 if role in ADD_ALLOWED else 0)


@pytest.mark.parametrize("role", ROLES)
def test_remove_material_role_matrix(client, role):
    event = WebinarFactory()
    material = LinkMaterialFactory(activity=event)
    user = user_in_role(role, event)
    url = reverse("activities:material-remove", kwargs={"slug": event.slug, "pk": material.pk})
    response = signed_in(client, user).post(url)
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]
    elif role in ADD_ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert Material.objects.filter(pk=material.pk).exists() == (role not in ADD_ALLOWED)


class TestAddMaterial:
    def test_add_upload_stores_it_under_a_generated_name(self, client):
        event = WebinarFactory()
        presentation = PresentationFactory(activity=event)
        client.force_login(organizer_of(event))
        client.post(
            add_url(event),
            {
                "kind": "file",
                "title": "Slides of the keynote",
                "language": "fr",
                "presentation": presentation.pk,
                "file": upload("../../etc/<script>evil</script>.pdf", minimal_pdf(), PDF),
            },
        )
        material = event.materials.get()
        assert material.kind == Material.Kind.FILE
        assert material.presentation == presentation
        assert material.language_id == "fr"
        assert material.url == ""
        assert material.file.name.startswith("materials/")
        assert material.file.name.endswith(".pdf")
        assert "script" not in material.file.name and ".." not in material.file.name
        assert default_storage.exists(material.file.name)

    def test_add_disguised_upload_reshows_form_and_saves_nothing(self, client):
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        response = client.post(
            add_url(event),
            {"kind": "file", "title": "Slides", "file": upload("s.pdf", b"MZ\x90\x00" * 40, PDF)},
        )
        assert response.status_code == 200
        assert "its content was checked" in response.text
        assert not event.materials.exists()

    def test_add_oversized_upload_is_refused_with_message(self, client, settings):
        settings.MATERIAL_MAX_BYTES = 100
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        response = client.post(
            add_url(event),
            {"kind": "file", "title": "Slides", "file": upload("slides.pdf", minimal_pdf(), PDF)},
        )
        assert response.status_code == 200
        assert "files may be at most 100" in response.text
        assert not event.materials.exists()

    def test_add_large_upload_spooled_to_disk_is_checked_and_accepted(self, client, settings):
        # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django hands over a temporary file on disk.
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        big_docx = minimal_docx(extra=[("word/media/photo.bin", bytes(range(256)) * 64)])
        assert len(big_docx) > 1024
        client.post(
            add_url(event),
            {"kind": "file", "title": "Report", "file": upload("report.docx", big_docx)},
        )
        material = event.materials.get()
        assert material.file.read() == big_docx

    def test_add_real_docx_built_with_zipfile_is_accepted(self, client):
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        client.post(
            add_url(event),
            {"kind": "file", "title": "Report", "file": upload("report.docx", minimal_docx())},
        )
        assert event.materials.get().file.name.endswith(".docx")

    def test_add_recording_link_on_a_video_platform(self, client):
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        client.post(
            add_url(event),
            {
                "kind": "recording",
                "title": "Recording",
                "url": "https://www.youtube.com/watch?v=abc",
            },
        )
        material = event.materials.get()
        assert material.kind == Material.Kind.RECORDING
        assert material.url == "https://www.youtube.com/watch?v=abc"
        assert not material.file

    @pytest.mark.parametrize(
        "url",
        ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/x"],
    )
    def test_add_link_refuses_non_web_addresses(self, client, url):
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        response = client.post(add_url(event), {"kind": "link", "title": "Bad", "url": url})
        assert response.status_code == 200
        assert "https://" in response.text
        assert not event.materials.exists()

    def test_add_link_without_address_or_file_without_upload_is_refused(self, client):
        event = WebinarFactory()
        client.force_login(organizer_of(event))
        url = add_url(event)
        assert "Enter the address" in client.post(url, {"kind": "link", "title": "x"}).text
        assert "Choose the document" in client.post(url, {"kind": "file", "title": "x"}).text
        assert not event.materials.exists()

    def test_add_material_to_presentation_of_another_event_is_refused(self):
        event = WebinarFactory()
        elsewhere = PresentationFactory()
        with pytest.raises(ValidationError) as refused:
            materials.add_material(
                event,
                user=SecretariatFactory(),
                kind="link",
                title="x",
                url="https://example.org",
                presentation=elsewhere,
            )
        assert "presentation" in refused.value.message_dict

    def test_add_material_service_checks_permission(self):
        event = WebinarFactory()
        with pytest.raises(PermissionDenied):
            materials.add_material(
                event,
                user=user_in_role("other_focal_point", event),
                kind="link",
                title="x",
                url="https://example.org",
            )

    def test_add_material_only_for_events(self, client):
        news = WebinarFactory(kind=Kind.NEWS, starts_at=None, ends_at=None)
        client.force_login(organizer_of(news))
        assert client.get(add_url(news)).status_code == 404

    def test_failed_row_save_removes_the_stored_file(self, monkeypatch):
        event = WebinarFactory()
        monkeypatch.setattr(materials, "_stored_name", lambda document: "half-saved.pdf")
        name = f"materials/{datetime.now():%Y}/half-saved.pdf"

        def broken_save(self, *args, **kwargs):
            assert default_storage.exists(name)  # the file was stored before the row
            raise RuntimeError("database went away")

        monkeypatch.setattr(Material, "save", broken_save)
        with pytest.raises(RuntimeError):
            materials.add_material(
                event,
                user=SecretariatFactory(),
                kind="file",
                title="Slides",
                upload=upload("slides.pdf", minimal_pdf()),
            )
        assert not default_storage.exists(name)

    def test_remove_material_deletes_the_stored_file(
        self, client, django_capture_on_commit_callbacks
    ):
        event = WebinarFactory()
        organizer = organizer_of(event)
        material = materials.add_material(
            event,
            user=organizer,
            kind="file",
            title="Slides",
            upload=upload("s.pdf", minimal_pdf()),
        )
        name = material.file.name
        client.force_login(organizer)
        url = reverse("activities:material-remove", kwargs={"slug": event.slug, "pk": material.pk})
        assert "Remove" in client.get(url).text  # a confirmation page first
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
        assert not Material.objects.filter(pk=material.pk).exists()
        assert not default_storage.exists(name)


# --- downloading ------------------------------------------------------------------------


class TestDownload:
    def _material(self, event, content=None, name="slides.pdf", title="Slides: keynote"):
        return materials.add_material(
            event,
            user=SecretariatFactory(),
            kind="file",
            title=title,
            upload=upload(name, content or minimal_pdf()),
        )

    def _url(self, material):
        return reverse(
            "activities:material-download",
            kwargs={"slug": material.activity.slug, "pk": material.pk},
        )

    def test_download_is_an_attachment_with_the_checked_type(self, client):
        material = self._material(WebinarFactory())
        response = client.get(self._url(material))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="slides-keynote.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == minimal_pdf()

    def test_download_of_docx_uses_its_office_type(self, client):
        material = self._material(WebinarFactory(), minimal_docx(), "r.docx", "Rapport final")
        response = client.get(self._url(material))
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert response["Content-Disposition"] == 'attachment; filename="rapport-final.docx"'

    def test_download_name_keeps_non_latin_titles(self, client):
        material = self._material(WebinarFactory(), title="الموارد التعليمية المفتوحة")
        disposition = client.get(self._url(material))["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=utf-8''")

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 403),
            ("member", 403),
            ("other_focal_point", 403),
            ("organizer", 200),
            ("secretariat", 200),
        ],
    )
    def test_download_of_unpublished_event_needs_view_permission(self, client, role, status):
        event = WebinarFactory(state=State.SUBMITTED, published_at=None)
        material = self._material(event)
        response = signed_in(client, user_in_role(role, event)).get(self._url(material))
        assert response.status_code == status
        if status == 200:
            assert "no-store" in response["Cache-Control"]

    def test_download_of_published_event_is_open_to_everyone(self, client):
        assert client.get(self._url(self._material(WebinarFactory()))).status_code == 200

    def test_download_through_another_events_address_is_not_found(self, client):
        material = self._material(WebinarFactory())
        url = reverse(
            "activities:material-download",
            kwargs={"slug": WebinarFactory().slug, "pk": material.pk},
        )
        assert client.get(url).status_code == 404

    def test_download_of_a_link_is_not_found(self, client):
        link = LinkMaterialFactory()
        assert client.get(self._url(link)).status_code == 404


# --- the panel on the event page --------------------------------------------------------


class TestPanel:
    def test_panel_groups_materials_by_presentation_with_type_size_and_language(self, client):
        event = WebinarFactory()
        keynote = PresentationFactory(activity=event, title="Keynote on open textbooks")
        materials.add_material(
            event,
            user=SecretariatFactory(),
            kind="file",
            title="Keynote slides",
            upload=upload("k.pdf", minimal_pdf()),
            presentation=keynote,
            language=Language.objects.get(code="fr"),
        )
        LinkMaterialFactory(
            activity=event,
            kind=Material.Kind.RECORDING,
            title="Full recording",
            url="https://www.youtube.com/watch?v=abc",
        )
        page = client.get(event.get_absolute_url()).text
        assert 'id="materials"' in page
        assert page.index("For the whole event") < page.index("Full recording")
        assert page.index("Keynote on open textbooks") < page.index("Keynote slides")
        assert "PDF document" in page
        assert filesizeformat(len(minimal_pdf())) in page  # "335 bytes"
        assert "French" in page and 'hreflang="fr"' in page
        assert "recording on youtube.com" in page
        assert "/download/" in page
        assert "Add a document, link or recording" not in page

    def test_panel_names_languages_in_the_readers_language(self, client):
        event = WebinarFactory()
        LinkMaterialFactory(activity=event, language=Language.objects.get(code="es"))
        page = client.get(event.get_absolute_url().replace("/en/", "/fr/")).text
        assert "espagnol" in page

    def test_panel_offers_organizers_add_and_remove(self, client):
        event = WebinarFactory()
        LinkMaterialFactory(activity=event)
        client.force_login(organizer_of(event))
        page = client.get(event.get_absolute_url()).text
        assert "Add a document, link or recording" in page
        assert "/remove/" in page

    def test_panel_is_absent_without_materials_for_visitors(self, client):
        event = WebinarFactory()
        assert 'id="materials"' not in client.get(event.get_absolute_url()).text

    def test_panel_query_count_does_not_grow_with_materials(self, client):
        event = WebinarFactory()
        organizer = organizer_of(event)
        presentations = [PresentationFactory(activity=event) for _ in range(2)]

        def count_queries():
            client.force_login(organizer)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(event.get_absolute_url()).status_code == 200
            return len(queries)

        LinkMaterialFactory(activity=event, presentation=presentations[0])
        materials.add_material(
            event, user=organizer, kind="file", title="a", upload=upload("a.pdf", minimal_pdf())
        )
        few = count_queries()
        for index in range(12):
            LinkMaterialFactory(activity=event, presentation=presentations[index % 2])
            materials.add_material(
                event,
                user=organizer,
                kind="file",
                title=f"s{index}",
                upload=upload("s.pdf", minimal_pdf()),
                presentation=presentations[index % 2],
            )
        assert count_queries() == few


def test_add_material_form_page_is_a_multipart_form_with_choices(client):
    event = WebinarFactory()
    PresentationFactory(activity=event, title="Keynote on open textbooks")
    client.force_login(organizer_of(event))
    page = client.get(add_url(event)).text
    assert 'enctype="multipart/form-data"' in page
    assert "Keynote on open textbooks" in page
    assert "The whole event" in page
    assert 'accept=".pdf,.docx,.pptx,.odp' in page
    assert "at most 20.0" in page  # the size limit, stated before the upload


def test_add_material_form_hides_presentation_choice_without_programme(client):
    event = WebinarFactory()
    client.force_login(organizer_of(event))
    assert "The whole event" not in client.get(add_url(event)).text
