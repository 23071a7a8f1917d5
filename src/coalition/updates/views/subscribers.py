"""Subscriber pages: subscribe (double opt-in), confirm, one-click unsubscribe, preferences,
personal data, members' one-click subscription, the secretariat's list and import, and the
bounce webhook. The rules behind them are in `services/subscriptions.py`."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from coalition.core.permissions import permission_required
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from .. import tokens
from ..forms.subscribers import ImportForm, PreferencesForm, SubscribeForm
from ..models import Bounce, Subscriber
from ..services import sending, subscriptions

LANGUAGE_NAMES = dict(UN_LANGUAGE_CHOICES)
SEARCH_LIMIT = 20
# Unsubscribed and suppressed addresses keep their data page (export, erase) but have no
# preferences to change: subscribing again goes through the form and its confirmation.
EDITABLE = (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED)


def _personal(response):
    """Pages reached by a personal link: never cached, never indexed, and their address (which
    holds the token) never sent to another site as referrer.

    "same-origin", not "no-referrer": with "no-referrer", Chromium posts the page's own forms
    (confirm, save my preferences) with `Origin: null`, which Django's CSRF check rightly
    refuses. Within the Hub the token goes nowhere it did not come from."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- subscribing ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscriptions.request_subscription(
            email=data["email"],
            language=data["language"],
            other_languages=data["other_languages"],
            working_groups=data["working_groups"],
            action_areas=data["action_areas"],
            # The sentence as the visitor read it: this page's language.
            consent_text=subscriptions.CONSENT_TEXT,
        )
        return redirect("updates:subscribe-done")
    return render(request, "updates/subscribers/subscribe.html", {"form": form})


@require_GET
def subscribe_done(request):
    """The one answer to every subscription request, whatever the address's state."""
    return render(request, "updates/subscribers/subscribe_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, signed):
    """The link in the confirmation e-mail: a page with a button; the button confirms."""
    confirmation = tokens.check_confirmation(signed)
    subscriber = confirmation.subscriber
    if subscriber is None:
        response = render(
            request,
            "updates/subscribers/link_invalid.html",
            {"problem": confirmation.problem, "days": tokens.CONFIRM_MAX_AGE.days},
            status=400,
        )
        return _personal(response)
    if request.method == "POST" and subscriber.status == Subscriber.Status.PENDING:
        subscriber = subscriptions.confirm(subscriber, consent_text=subscriptions.CONSENT_TEXT)
        return _personal(
            render(
                request,
                "updates/subscribers/confirmed.html",
                {"subscriber": subscriber, "just_confirmed": True},
            )
        )
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return _personal(
            render(
                request,
                "updates/subscribers/confirmed.html",
                {"subscriber": subscriber, "just_confirmed": False},
            )
        )
    return _personal(
        render(
            request,
            "updates/subscribers/confirm.html",
            {
                "subscriber": subscriber,
                "consent_text": subscriptions.CONSENT_TEXT,
                "language_name": LANGUAGE_NAMES.get(subscriber.language),
            },
        )
    )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


@login_required
@require_http_methods(["GET", "POST"])
def subscribe_account(request):
    """Members subscribe their verified address with one click (GET shows the button)."""
    if request.method == "POST":
        _subscriber, outcome = subscriptions.subscribe_account(
            request.user, language=get_language()
        )
        if outcome == "subscribed":
            messages.success(request, _("You are subscribed to the Update. Welcome!"))
        elif outcome == "already":
            messages.info(request, _("You are already subscribed to the Update."))
        elif outcome == "suppressed":
            messages.error(
                request,
                _(
                    "Messages to your address could not be delivered several times, so the Update "
                    "is no longer sent to it. Please write to the secretariat to start again."
                ),
            )
        else:
            messages.error(
                request,
                _(
                    "Your e-mail address is not verified yet. Follow the link in the message we "
                    "sent you when you signed up, then try again."
                ),
            )
        return redirect(_safe_next(request, reverse("updates:subscribe-account")))
    return render(request, "updates/subscribers/account.html")


# --- leaving, preferences, personal data ---------------------------------------------------


@csrf_exempt  # RFC 8058: mail providers POST here without cookies or a CSRF token.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The personal link of every Update. GET asks; POST (the button, or a mail provider's
    one-click "List-Unsubscribe=One-Click") unsubscribes. Known and unknown tokens get the
    same answer. Exempt from CSRF protection because a forged request can only do what the
    link's owner asked for: stop the Update to that address."""
    if request.method == "POST":
        subscriptions.unsubscribe(token)
        return _personal(render(request, "updates/subscribers/unsubscribed.html"))
    return _personal(render(request, "updates/subscribers/unsubscribe.html", {"token": token}))


def _subscriber_or_404(token):
    subscriber = subscriptions.subscriber_for_token(token)
    if subscriber is None:
        raise Http404
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = _subscriber_or_404(token)
    form = PreferencesForm.for_subscriber(subscriber, request.POST or None)
    status = 200
    if request.method == "POST":
        if subscriber.status not in EDITABLE:
            status = 409
        elif form.is_valid():
            data = form.cleaned_data
            subscriptions.update_preferences(
                subscriber,
                language=data["language"],
                other_languages=data["other_languages"],
                working_groups=data["working_groups"],
                action_areas=data["action_areas"],
            )
            messages.success(request, _("Your preferences are saved."))
            return redirect("updates:preferences", token=token)
    return _personal(
        render(
            request,
            "updates/subscribers/preferences.html",
            {
                "subscriber": subscriber,
                "form": form,
                "token": token,
                "editable": subscriber.status in EDITABLE,
                "language_name": LANGUAGE_NAMES.get(subscriber.language),
            },
            status=status,
        )
    )


@require_GET
def preferences_export(request, token):
    subscriber = _subscriber_or_404(token)
    body = json.dumps(subscriptions.export_data(subscriber), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="oer-coalition-update-my-data.json"'
    return _personal(response)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences_erase(request, token):
    """GET asks for confirmation; POST deletes the subscriber and everything about it."""
    if request.method == "POST":
        subscriber = subscriptions.subscriber_for_token(token)
        if subscriber is not None:
            subscriptions.erase(subscriber)
        # Also the answer to a second click: the data is gone either way.
        return _personal(render(request, "updates/subscribers/erased.html"))
    subscriber = _subscriber_or_404(token)
    return _personal(
        render(
            request, "updates/subscribers/erase.html", {"subscriber": subscriber, "token": token}
        )
    )


# --- the secretariat -----------------------------------------------------------------------


manager_required = permission_required("updates.manage_subscribers")


def _manage_page(request, *, import_form=None, report=None, status=200):
    query = request.GET.get("q", "").strip()[:254]
    found = []
    if query:
        matches = Subscriber.objects.filter(email__icontains=query).order_by("email")
        found = list(matches[:SEARCH_LIMIT])
    counts = subscriptions.counts_by_language()
    for row in counts["rows"]:
        row["name"] = LANGUAGE_NAMES.get(row["language"], row["language"])
    return render(
        request,
        "updates/subscribers/manage.html",
        {
            "counts": counts,
            "batches": subscriptions.import_batches(),
            "import_form": import_form or ImportForm(),
            "report": report,
            "query": query,
            "found": found,
            "search_limit": SEARCH_LIMIT,
        },
        status=status,
    )


@manager_required
@require_GET
def subscriber_list(request):
    return _manage_page(request)


@manager_required
@require_POST
def subscriber_import(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage_page(request, import_form=form, status=400)
    report = subscriptions.import_csv(form.cleaned_data["file"], by=request.user)
    return _manage_page(request, report=report)


@manager_required
@require_POST
def subscriber_request_confirmation(request):
    raw = request.POST.get("batch", "")
    batch = parse_datetime(raw) if raw else None
    if raw and batch is None:
        messages.error(request, _("This import was not found."))
        return redirect("updates:subscriber-list")
    count = subscriptions.request_confirmations(by=request.user, batch=batch)
    if count:
        messages.success(
            request,
            _("The confirmation request is being sent to %(count)d imported addresses.")
            % {"count": count},
        )
    else:
        messages.info(request, _("No imported address is waiting for confirmation."))
    return redirect("updates:subscriber-list")


# --- bounces -------------------------------------------------------------------------------


@csrf_exempt  # a machine's call, authenticated by its shared secret, not by a session
@require_POST
def bounce_webhook(request):
    """Records a bounce reported by the mail system: header X-Hub-Bounce-Token, JSON body
    {"email", "kind": "hard"|"soft", "detail"}. Disabled (503) without UPDATE_BOUNCE_TOKEN.
    Known and unknown addresses get the same 202."""
    expected = getattr(settings, "UPDATE_BOUNCE_TOKEN", None)
    if not expected:
        # Not 404: the language middleware would redirect a 404 here to /en/updates/bounces/.
        return JsonResponse({"error": "the bounce webhook is not enabled on this Hub"}, status=503)
    given = request.headers.get("X-Hub-Bounce-Token", "")
    if not hmac.compare_digest(given.encode(), str(expected).encode()):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        email = str(payload["email"]).strip().lower()
        kind = payload["kind"]
        detail = str(payload.get("detail") or "")[:1000]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return JsonResponse(
            {"error": 'expected JSON {"email": ..., "kind": "hard"|"soft", "detail": ...}'},
            status=400,
        )
    if kind not in Bounce.Kind.values:
        return JsonResponse({"error": 'kind must be "hard" or "soft"'}, status=400)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        sending.record_bounce(subscriber, kind=kind, detail=detail)
    return JsonResponse({}, status=202)
