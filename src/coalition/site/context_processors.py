from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from coalition.recommendation.languages import NATIVE_NAMES, is_rtl


def hub(request):
    """Language switcher links (the same page in each UN language) and text direction."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    alternates = [
        {
            "code": code,
            "name": NATIVE_NAMES[code],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "language_alternates": alternates,
        "text_direction": "rtl" if is_rtl(current) else "ltr",
        "hub_name": settings.HUB_NAME,
    }
