"""Subscribing to the Update and leaving it: every write about a subscriber goes through here.

The rules, and why:

- **Double opt-in.** The public form only creates (or refreshes) a *pending* subscriber and
  e-mails a signed link (`updates/tokens.py`) that expires after a week. Nothing but that
  confirmation request is ever sent to a pending address: `sending.enqueue_outbox` takes confirmed
  subscribers only. Following the link shows a page with a button, and the button confirms:
  mail filters that open every link in a message (to scan it) must not subscribe anyone.
- **No address enumeration.** The form gives the same answer ("check your inbox") for a new,
  pending, confirmed, unsubscribed or suppressed address. What happens behind it differs:
  new or pending → a (new) confirmation request; unsubscribed → pending again with the new
  choices, and a confirmation request (resubscribing needs a new confirmation); confirmed →
  nothing changes, and the address gets a short "you are already subscribed" note with its
  preferences link (so the answer "check your inbox" is true, and only the mailbox owner
  learns anything); suppressed (it bounced) → nothing is sent and nothing changes.
  Unsubscribe links answer the same for known and unknown tokens.
- **Consent** is stored as the exact sentence the person agreed to, in the language they
  read it in, with the time. Imported addresses have none until they confirm; the
  confirmation page shows the sentence and records it then.
- **Members' accounts** subscribe with one click: their e-mail address is verified already,
  so the click is the confirmation.
- **Erasure** deletes the subscriber with its outbox rows and bounces (cascade); nothing of
  the address remains.

Mail is queued on commit (`updates.tasks`), so no message leaves for a change that
was rolled back.
"""

import csv
import io
import ipaddress
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalition.core.queue import enqueue_on_commit
from coalition.recommendation.languages import UN_LANGUAGES

from ..models import Subscriber

# The sentence a subscriber agrees to, shown beside the checkbox (form), above the button
# (confirming an imported address) and on a member's one-click button. Stored as shown.
CONSENT_TEXT = _(
    "I agree that the OER Dynamic Coalition sends me the Update at this address, in the "
    "languages and on the topics I chose. I can unsubscribe at any time with the link in "
    "every message, and my address is used for nothing else."
)

# Well-known throwaway-mailbox services. Not exhaustive on purpose: a short list that stops
# the common cases without refusing real organizations' domains. Subdomains count too
# (e.g. "xyz.mailinator.com"). To refuse another service, add its domain here.
DISPOSABLE_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "10minutemail.net",
        "discard.email",
        "dispostable.com",
        "dropmail.me",
        "emailondeck.com",
        "fakeinbox.com",
        "getnada.com",
        "grr.la",
        "guerrillamail.biz",
        "guerrillamail.com",
        "guerrillamail.de",
        "guerrillamail.net",
        "guerrillamail.org",
        "guerrillamailblock.com",
        "mailcatch.com",
        "maildrop.cc",
        "mailinator.com",
        "mailinator.net",
        "mailnesia.com",
        "mintemail.com",
        "moakt.com",
        "mohmal.com",
        "sharklasers.com",
        "spamgourmet.com",
        "temp-mail.io",
        "temp-mail.org",
        "tempmail.com",
        "tempmail.net",
        "tempmailo.com",
        "tempr.email",
        "throwawaymail.com",
        "trashmail.com",
        "trashmail.de",
        "yopmail.com",
        "yopmail.fr",
        "yopmail.net",
    }
)
# Throwaway services run many look-alike domains (tempmail.plus, temp-mail.xyz …): a domain
# whose name contains one of these words is refused too.
DISPOSABLE_WORDS = (
    "mailinator",
    "guerrillamail",
    "10minutemail",
    "yopmail",
    "tempmail",
    "temp-mail",
    "throwawaymail",
    "trashmail",
)

LANGUAGE_ALIASES = {"zh": "zh-hans", "zh_hans": "zh-hans", "zh-cn": "zh-hans", "zh_cn": "zh-hans"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


# --- addresses -----------------------------------------------------------------------


def is_disposable(domain):
    domain = domain.lower().rstrip(".")
    parts = domain.split(".")
    if any(".".join(parts[i:]) in DISPOSABLE_DOMAINS for i in range(len(parts) - 1)):
        return True
    return any(word in domain for word in DISPOSABLE_WORDS)


def clean_email(value):
    """The address as stored (trimmed, lower case), or a ValidationError saying what is wrong."""
    email = (value or "").strip().lower()
    if not email:
        raise ValidationError(_("Enter your e-mail address."), code="required")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("This is not a valid e-mail address. Check it for typing mistakes."), code="invalid"
        ) from None
    domain = email.rsplit("@", 1)[1]
    literal = domain.startswith("[")
    try:
        ipaddress.ip_address(domain.strip("[]"))
        literal = True
    except ValueError:
        pass
    if literal or "." not in domain:
        raise ValidationError(
            _(
                "Use an address with a full domain name (like name@example.org), not a bare "
                "host name or IP address."
            ),
            code="domain",
        )
    if is_disposable(domain):
        raise ValidationError(
            _(
                "Addresses of throwaway mailbox services are not accepted: the Update needs an "
                "address that still works next month."
            ),
            code="disposable",
        )
    return email


def clean_language(code):
    code = (code or "").strip().lower().replace("_", "-")
    code = LANGUAGE_ALIASES.get(code, code)
    return code if code in UN_LANGUAGES else None


def other_languages_list(language, others):
    """The further languages, in the UN order, without duplicates or the main language."""
    chosen = {code for code in (clean_language(other) for other in others or []) if code}
    return [code for code in UN_LANGUAGES if code in chosen and code != language]


# --- confirmation links ----------------------------------------------------------------


@transaction.atomic
def confirm(subscriber, *, consent_text=""):
    """Pending → confirmed. `consent_text` is what the confirmation page showed; it is
    recorded only when the subscriber has none yet (imported addresses)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.PENDING:
        return subscriber
    now = timezone.now()
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = now
    fields = ["status", "confirmed_at"]
    if not subscriber.consent_text and consent_text:
        subscriber.consent_text = str(consent_text)
        subscriber.consented_at = now
        fields += ["consent_text", "consented_at"]
    subscriber.save(update_fields=fields)
    return subscriber


# --- subscribing -------------------------------------------------------------------------


def _set_interests(subscriber, working_groups, action_areas):
    subscriber.working_groups.set(working_groups or [])
    subscriber.action_areas.set(action_areas or [])


@transaction.atomic
def request_subscription(
    *, email, language, other_languages=(), working_groups=(), action_areas=(), consent_text
):
    """The public form. Returns what happened ("created", "resent", "resubscribed",
    "already", "suppressed") for logs and tests; the visitor sees the same answer for all."""
    email = clean_email(email)
    language = clean_language(language) or settings.LANGUAGE_CODE
    others = other_languages_list(language, other_languages)
    now = timezone.now()
    choices = {
        "language": language,
        "other_languages": others,
        "consent_text": str(consent_text),
        "consented_at": now,
    }
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        try:
            # A savepoint: two submissions of a new address at once both end as "resent".
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email, source="form", status=Subscriber.Status.PENDING, **choices
                )
        except IntegrityError:
            subscriber = Subscriber.objects.select_for_update().get(email=email)
        else:
            _set_interests(subscriber, working_groups, action_areas)
            enqueue_on_commit("coalition.updates.tasks.send_confirmation", subscriber.pk, "form")
            return "created"
    if subscriber.status == Subscriber.Status.CONFIRMED:
        enqueue_on_commit("coalition.updates.tasks.send_confirmation", subscriber.pk, "already")
        return "already"
    if subscriber.status == Subscriber.Status.SUPPRESSED:
        return "suppressed"
    outcome = "resubscribed" if subscriber.status == Subscriber.Status.UNSUBSCRIBED else "resent"
    for name, value in choices.items():
        setattr(subscriber, name, value)
    subscriber.status = Subscriber.Status.PENDING
    subscriber.confirmed_at = None
    subscriber.save()
    _set_interests(subscriber, working_groups, action_areas)
    enqueue_on_commit("coalition.updates.tasks.send_confirmation", subscriber.pk, "form")
    return outcome


def verified_email(user):
    """The account's address if allauth has verified it (else another verified one), or ""."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    emails = [address.email.strip().lower() for address in addresses]
    if user.email and user.email.strip().lower() in emails:
        return user.email.strip().lower()
    return emails[0] if emails else ""


@transaction.atomic
def subscribe_account(user, *, language=""):
    """A signed-in member's one click. Returns (subscriber or None, outcome) where outcome is
    "subscribed", "already", "suppressed" or "unverified"."""
    email = verified_email(user)
    subscriber = Subscriber.objects.select_for_update().filter(user=user).first()
    if subscriber is None and email:
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None and not email:
        return None, "unverified"
    if subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED:
        if subscriber.user_id is None:
            subscriber.user = user
            subscriber.save(update_fields=["user"])
        return subscriber, "already"
    if subscriber is not None and subscriber.status == Subscriber.Status.SUPPRESSED:
        return subscriber, "suppressed"
    now = timezone.now()
    language = (
        clean_language(user.preferred_language)
        or clean_language(language)
        or settings.LANGUAGE_CODE
    )
    consent = {"consent_text": str(CONSENT_TEXT), "consented_at": now}
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            email=email,
            user=user,
            language=language,
            source="account",
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=now,
            **consent,
        )
        return subscriber, "subscribed"
    # Pending or unsubscribed: the verified address and this click are the confirmation.
    for name, value in consent.items():
        setattr(subscriber, name, value)
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = now
    if subscriber.user_id is None:
        subscriber.user = user
    subscriber.save()
    return subscriber, "subscribed"


# --- leaving, preferences, personal data ---------------------------------------------------


def subscriber_for_token(token):
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()


@transaction.atomic
def unsubscribe(token):
    """The one-click unsubscribe. True when an address was unsubscribed now; the visitor is
    told the same either way. A suppressed address stays suppressed."""
    if not token or len(token) > 64:
        return False
    return bool(
        Subscriber.objects.filter(
            token=token, status__in=[Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED]
        ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )


@transaction.atomic
def update_preferences(
    subscriber, *, language, other_languages=(), working_groups=(), action_areas=()
):
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.language = clean_language(language) or subscriber.language
    subscriber.other_languages = other_languages_list(subscriber.language, other_languages)
    subscriber.save(update_fields=["language", "other_languages"])
    _set_interests(subscriber, working_groups, action_areas)
    return subscriber


def _iso(value):
    return value.isoformat() if value else None


def export_data(subscriber):
    """Everything the Hub keeps about this subscriber, as JSON-ready data."""
    subscriber = (
        Subscriber.objects.prefetch_related("working_groups", "action_areas", "bounces")
        .filter(pk=subscriber.pk)
        .first()
    )
    messages = subscriber.outbox.select_related("edition__issue").order_by("pk")
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "language": subscriber.language,
        "other_languages": list(subscriber.other_languages or []),
        "working_groups": [group.slug for group in subscriber.working_groups.all()],
        "action_areas": [area.number for area in subscriber.action_areas.all()],
        "source": subscriber.source,
        "linked_to_member_account": subscriber.user_id is not None,
        "consent_text": subscriber.consent_text,
        "consented_at": _iso(subscriber.consented_at),
        "subscribed_at": _iso(subscriber.created_at),
        "confirmed_at": _iso(subscriber.confirmed_at),
        "unsubscribed_at": _iso(subscriber.unsubscribed_at),
        "hard_bounces": subscriber.hard_bounces,
        "bounces": [
            {"kind": bounce.kind, "detail": bounce.detail, "at": _iso(bounce.at)}
            for bounce in subscriber.bounces.all()
        ],
        "messages": [
            {
                "update": message.edition.issue.slug,
                "language": message.edition.language,
                "status": message.status,
                "sent_at": _iso(message.sent_at),
            }
            for message in messages
        ],
    }


@transaction.atomic
def erase(subscriber):
    """Deletes the subscriber; its outbox rows and bounces go with it (on_delete=CASCADE)."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


# --- the secretariat ---------------------------------------------------------------------


def counts_by_language():
    """Rows per UN language with a count per status and a total, plus a totals row."""
    statuses = [status for status, _label in Subscriber.Status.choices]
    table = {code: dict.fromkeys(statuses, 0) for code in UN_LANGUAGES}
    for row in Subscriber.objects.values("language", "status").annotate(n=Count("pk")):
        table.setdefault(row["language"], dict.fromkeys(statuses, 0))[row["status"]] = row["n"]
    rows = [
        {
            "language": code,
            "counts": [by_status[s] for s in statuses],
            "total": sum(by_status.values()),
        }
        for code, by_status in table.items()
    ]
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    return {
        "statuses": Subscriber.Status.choices,
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
    }


def import_batches(limit=10):
    """The latest imports (one import = one creation time), with how many have confirmed."""
    return list(
        Subscriber.objects.filter(source="import")
        .values("created_at")
        .annotate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(status=Subscriber.Status.PENDING)),
            confirmed=Count("pk", filter=Q(status=Subscriber.Status.CONFIRMED)),
        )
        .order_by("-created_at")[:limit]
    )


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    batch: object = None  # the creation time shared by the imported rows
    errors: list = field(default_factory=list)  # (line number, text of the line, message)


def read_csv(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), or a ValidationError."""
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not in UTF-8. Save it as “CSV UTF-8” and try again."),
                code="encoding",
            ) from None
    return data.removeprefix("\ufeff")


def _rows(text):
    # The first cell is an e-mail address, which holds no separator: the first separator
    # on the first line is the file's (commas, or semicolons as spreadsheets write them in
    # many locales, or tabs). csv.Sniffer guesses wrong on such short, ragged rows.
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    found = re.search(r"[,;\t]", first_line)
    return csv.reader(io.StringIO(text), delimiter=found.group(0) if found else ",")


@transaction.atomic
def import_csv(data, *, by=None):
    """Rows "email, language[, other languages …]" become pending subscribers (source
    "import") who get nothing until they confirm. Bad rows are reported and skipped;
    addresses already on the list are left as they are. A first row that starts with
    "email" is a header. Other languages may be further columns, or one column with the
    codes separated by spaces, commas, semicolons or "|". `by=None`: the command line."""
    if by is not None and not by.has_perm("updates.manage_subscribers"):
        raise PermissionDenied
    text = read_csv(data)
    report = ImportReport(batch=timezone.now())
    seen = {}
    new = []
    for number, row in enumerate(_rows(text), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        header = cells[0].lower().replace("-", "").replace(" ", "")
        if number == 1 and header in ("email", "emailaddress"):
            continue
        line = ",".join(cells)[:200]
        try:
            email = clean_email(cells[0])
        except ValidationError as error:
            report.errors.append((number, line, " ".join(str(m) for m in error.messages)))
            continue
        raw_language = cells[1] if len(cells) > 1 else ""
        language = clean_language(raw_language) if raw_language else settings.LANGUAGE_CODE
        if language is None:
            report.errors.append(
                (
                    number,
                    line,
                    gettext("Unknown language “%(code)s”: use ar, en, es, fr, ru or zh-hans.")
                    % {"code": raw_language[:20]},
                )
            )
            continue
        others_raw = [code for cell in cells[2:] for code in re.split(r"[\s,;|]+", cell) if code]
        unknown = [code for code in others_raw if clean_language(code) is None]
        if unknown:
            report.errors.append(
                (
                    number,
                    line,
                    gettext("Unknown language “%(code)s”: use ar, en, es, fr, ru or zh-hans.")
                    % {"code": unknown[0][:20]},
                )
            )
            continue
        if email in seen:
            report.errors.append(
                (
                    number,
                    line,
                    gettext("This address is already on line %(line)d of the file.")
                    % {"line": seen[email]},
                )
            )
            continue
        seen[email] = number
        new.append(
            Subscriber(
                email=email,
                language=language,
                other_languages=other_languages_list(language, others_raw),
                status=Subscriber.Status.PENDING,
                source="import",
                created_at=report.batch,
            )
        )
    existing = set()
    emails = [subscriber.email for subscriber in new]
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        existing.update(Subscriber.objects.filter(email__in=chunk).values_list("email", flat=True))
    fresh = [subscriber for subscriber in new if subscriber.email not in existing]
    # ignore_conflicts: an address subscribed through the form meanwhile is left alone.
    Subscriber.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    report.created = Subscriber.objects.filter(source="import", created_at=report.batch).count()
    report.existing = len(new) - report.created
    return report


def request_confirmations(*, by=None, batch=None):
    """Queue the confirmation request to the imported addresses still pending (of one
    import when `batch` is its creation time). Returns how many will be asked."""
    if by is not None and not by.has_perm("updates.manage_subscribers"):
        raise PermissionDenied
    pending = imported_pending(batch)
    count = pending.count()
    if count:
        enqueue_on_commit(
            "coalition.updates.tasks.request_confirmations", batch.isoformat() if batch else None
        )
    return count


def imported_pending(batch=None):
    pending = Subscriber.objects.filter(source="import", status=Subscriber.Status.PENDING)
    if batch is not None:
        pending = pending.filter(created_at=batch)
    return pending
