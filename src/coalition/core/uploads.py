"""Public uploads (organizations' logos, activities' images) served by the Hub itself.

Only images in the folders named by `HUB_PUBLIC_UPLOAD_DIRS` are served, from the default
storage, whatever the storage is; every other upload (materials, imports) has its own view
that checks who asks. Each answer says exactly what it is and cannot become anything else:

- the content type comes from a closed list of image formats (the upload forms check the
  content with Pillow; SVG, which can carry script, is not among them);
- `X-Content-Type-Options: nosniff`, so a browser never guesses another type;
- `Content-Disposition: inline` with the file's name, and a Content-Security-Policy of
  `default-src 'none'; sandbox`, so a file opened on its own runs nothing.

A proxy may serve MEDIA_ROOT itself instead (README, "Production"), with the same headers.
"""

import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def public_name(path):
    """The storage name for `path` if it may be served, else None."""
    if "\\" in path or path.startswith("/"):
        return None
    name = posixpath.normpath(path)
    if name != path or name.startswith("..") or "/../" in name:
        return None
    if not name.startswith(tuple(settings.HUB_PUBLIC_UPLOAD_DIRS)):
        return None
    if posixpath.splitext(name)[1].lower() not in IMAGE_TYPES:
        return None
    return name


@require_safe
def serve_upload(request, path):
    name = public_name(path)
    if name is None:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
        raise Http404 from error
    filename = posixpath.basename(name)
    response = FileResponse(
        handle,
        content_type=IMAGE_TYPES[posixpath.splitext(name)[1].lower()],
        as_attachment=False,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    patch_cache_control(response, public=True, max_age=settings.HUB_UPLOAD_CACHE_SECONDS)
    return response
