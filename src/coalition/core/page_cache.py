"""Whole pages kept for visitors who are not signed in.

Most visits to the Hub are anonymous reads of a few lists (the directory, the people, the
activities and events), and the same page is asked for again and again between two edits.
A kept page is filed under the versions of the content it shows (`ContentStamp`), and every
save or delete of that content (`watch`) gives it a new version, so an edit shows at once;
the timeout bounds what no signal announces (bulk writes, an event moving from upcoming to
past as time passes).

Only what is the same for every anonymous visitor is kept: GET requests with no flash
message waiting, answers 200 that set no cookie and used no CSRF token. The key is the
path with its query and the language; the visitor's own time zone is applied in the
browser, not on the server, for anonymous visitors.

A form's CSRF token is each visitor's own, so a page with a form (an event's registration)
is rendered with a slot where `{% csrf_token %}` puts the token (`csrf_slot`, a context
processor), kept with the slot, and the slot is filled with the visitor's own token each
time the page is served, the kept copy as the one just rendered. No token ever enters a
kept page: a page whose rendering asked for a real token (`get_token`) is not kept.
"""

import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .models import ContentStamp

_WATCHED = {}  # model → names of the stamps its changes move
# Where a kept page's forms take the visitor's CSRF token; the same in every process, since
# the kept pages are shared. Not a token: the middleware refuses it if it is ever posted.
CSRF_SLOT = "hub-kept-page-csrf-token-slot"
_RENDERING_FOR_KEEPING = "_hub_page_cache_csrf_slot"
_batch = ContextVar("coalition_core_page_cache_batch", default=None)


def touch(*names):
    """Give these kinds of content a new version: pages kept under the old one go unused."""
    pending = _batch.get()
    if pending is not None:
        pending.update(names)
        return
    ContentStamp.objects.bulk_create(
        [ContentStamp(name=name, token=uuid.uuid4().hex) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


@contextmanager
def batched():
    """Touch each kind of content once, at the end of the block, however many rows it
    writes (a loader or an import making thousands of rows through the services)."""
    if _batch.get() is not None:  # already inside a batch: the outer one touches
        yield
        return
    pending = set()
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if pending:
        touch(*sorted(pending))


def versions(names):
    """The current version of each name, in one query ("-" for content never changed)."""
    found = dict(ContentStamp.objects.filter(name__in=names).values_list("name", "token"))
    return tuple(found.get(name, "-") for name in names)


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m_changed: only once, after
        return
    touch(*_WATCHED[sender])


def watch(name, *models):
    """Let saves and deletes of `models` (and changes of many-to-many `through` models) move
    the version `name`. Called from the apps' `ready()`."""
    for model in models:
        _WATCHED.setdefault(model, set()).add(name)
        uid = f"page-cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        if model._meta.auto_created:  # the table behind a ManyToManyField
            m2m_changed.connect(_changed, sender=model, dispatch_uid=uid)


def _keepable(request):
    if request.method != "GET" or request.user.is_authenticated:
        return False
    # Counting the messages reads them without marking them as shown.
    return not len(messages.get_messages(request))


def _key(request, stamps):
    path = request.get_full_path()
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=16).hexdigest()
    return ":".join(("page", get_language() or "", digest, *versions(stamps)))


def kept_answer(request, stamps, compute):
    """`compute()`'s answer (data, such as an API list's page) kept for anonymous visitors
    under the versions of `stamps`, like a kept page: the key is the host (the answer holds
    absolute links), the path with its query and the language."""
    timeout = settings.HUB_PAGE_CACHE_SECONDS
    if not timeout or request.method != "GET" or request.user.is_authenticated:
        return compute()
    place = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(place.encode("utf-8"), digest_size=16).hexdigest()
    key = ":".join(("answer", get_language() or "", digest, *versions(stamps)))
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout)
    return answer


def csrf_slot(request):
    """Context processor: `{% csrf_token %}` writes the slot into a page being rendered to be
    kept (and asks for no token); elsewhere Django's own token, untouched."""
    if getattr(request, _RENDERING_FOR_KEEPING, False):
        return {"csrf_token": CSRF_SLOT}
    return {}


def _fill_csrf_slot(request, response):
    """The visitor's own token in the slots of a page (kept or just rendered)."""
    slot = CSRF_SLOT.encode("ascii")
    if slot in response.content:
        response.content = response.content.replace(slot, get_token(request).encode("ascii"))
    return response


def anonymous_page(*stamps):
    """Keep this view's pages for anonymous visitors, under the versions of `stamps`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            timeout = settings.HUB_PAGE_CACHE_SECONDS
            if not timeout or not _keepable(request):
                return view(request, *args, **kwargs)
            key = _key(request, stamps)
            response = cache.get(key)
            if response is not None:
                return _fill_csrf_slot(request, response)
            setattr(request, _RENDERING_FOR_KEEPING, True)
            response = view(request, *args, **kwargs)
            if response.streaming:
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.add_post_render_callback(lambda r: _keep(request, key, r, timeout))
                response.add_post_render_callback(lambda r: _fill_csrf_slot(request, r))
                return response
            _keep(request, key, response, timeout)
            return _fill_csrf_slot(request, response)

        return wrapper

    return decorator


def _keep(request, key, response, timeout):
    """Keep a rendered page if it is the same for every anonymous visitor."""
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        # Rendered now: the kept copy must say the same about what it varies with.
        patch_vary_headers(response, ["Cookie"])
        cache.set(key, response, timeout)
