"""core.uploads: logos and activities' images served in production, as images and nothing else."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from coalition.core.uploads import public_name
from tests.factories.members import OrganizationFactory

pytestmark = pytest.mark.django_db


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#0a5").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def production_media(settings, tmp_path):
    """The production storage: files on disk under MEDIA_ROOT, DEBUG off."""
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def test_logo_is_served_in_production_with_safe_headers(client, production_media):
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(png_bytes()))
    assert (production_media / organization.logo.name).is_file()

    response = client.get(organization.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == png_bytes()


def test_logo_url_is_under_media_url(production_media):
    organization = OrganizationFactory()
    organization.logo.save("logo.png", ContentFile(png_bytes()))
    assert organization.logo.url.startswith("/media/logos/")


def test_activity_image_is_served(client, production_media):
    default_storage.save("activities/picture.jpg", ContentFile(b"\xff\xd8\xff"))
    response = client.get("/media/activities/picture.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_material_is_not_served_at_media_url(client, production_media):
    # Materials have their own view, which checks who asks.
    name = default_storage.save("materials/2024/slides.png", ContentFile(png_bytes()))
    assert client.get(f"/media/{name}").status_code == 404


def test_unknown_upload_is_a_404(client, production_media):
    assert client.get("/media/logos/missing.png").status_code == 404


def test_html_upload_is_never_served(client, production_media):
    default_storage.save("logos/page.html", ContentFile(b"<script>alert(1)</script>"))
    assert client.get("/media/logos/page.html").status_code == 404


def test_post_to_an_upload_is_refused(client, production_media):
    default_storage.save("logos/a.png", ContentFile(png_bytes()))
    assert client.post("/media/logos/a.png").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "../settings.py",
        "logos/../materials/x.png",
        "logos/./a.png",
        "/etc/passwd",
        "logos\\a.png",
        "logos/a.svg",
        "logos/a.PNG.html",
        "materials/a.png",
    ],
)
def test_public_name_refuses_what_is_not_a_public_image(path):
    assert public_name(path) is None


@pytest.mark.parametrize("path", ["logos/a.png", "logos/a.JPG", "activities/b.webp"])
def test_public_name_accepts_public_images(path):
    assert public_name(path) == path
