"""E-mails in their recipient's language, from a pair of templates.

A mail is written as `<name>_subject.txt` and `<name>.txt`, both rendered with the
recipient's language active, so that a worker on any machine, in any language of its
own, writes what the recipient reads. Links in mails leave the site and must be
absolute: `absolute_url` builds them from the configured site address.

Mails are plain text, not HTML: their templates are rendered without HTML escaping
(`render_text`), so "l'adaptation" stays "l'adaptation" and not "l&#x27;adaptation". A
subject is one line whatever its parts contain (headers carry no line breaks).
"""

import hashlib
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template
from django.utils import translation


def absolute_url(path):
    """The site's address before `path` ("/en/events/…"), for mails, feeds and calendars."""
    return settings.SITE_URL + path


# Addresses that read left to right whatever the text around them: URLs (with the angle
# brackets plain text puts around them), e-mail addresses, the Update's link placeholders.
_LEFT_TO_RIGHT = re.compile(
    r"<?(?:(?:https?|webcal|mailto):[^\s<>]+|%%[A-Z_]+%%|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?"
)


def isolate_addresses(text):
    """Plain text in a right-to-left language with each URL and e-mail address isolated
    left to right (U+2066 … U+2069): mail readers that show the message right to left
    otherwise mirror a URL's slashes and move its trailing slash to the front."""
    return _LEFT_TO_RIGHT.sub(lambda match: f"\u2066{match.group(0)}\u2069", text)


def render_text(template_name, context):
    """A plain-text template rendered with no HTML escaping: its output is never HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def one_line(text):
    """`text` fit for a header: every run of white space, line breaks included, one space."""
    return " ".join(str(text).split())


def render_mail(template, context, language):
    """The subject (on one line) and body of `template`, rendered in `language`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = one_line(render_text(f"{template}_subject.txt", context))
        body = render_text(f"{template}.txt", context)
        if translation.get_language_bidi():
            body = isolate_addresses(body)
    return subject, body


def templated_message(
    template, context, *, to, language, reply_to=None, headers=None, connection=None
):
    """The message, not yet sent: callers add attachments or send it over their connection."""
    subject, body = render_mail(template, context, language)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        list(to),
        reply_to=reply_to,
        headers=headers,
        connection=connection,
    )


def send_templated(template, context, *, to, language, once=None, **options):
    """Render `template` in `language` and send it to the addresses `to`, `once` per
    occasion if given (see `send_once`). Returns whether a mail was sent."""
    message = templated_message(template, context, to=to, language=language, **options)
    if once is None:
        message.send()
        return True
    return send_once(message, once, template)


def send_once(message, once, kind):
    """Send `message` unless the mail of occasion `once` ("report-submitted:12") of this
    `kind` (its template) already went to its addresses; it goes under a Message-ID made
    from the occasion. A task re-run after its worker died (`core.recovery`) skips the
    mails it had sent; the one in flight when it died (sent, not yet noted) goes again
    with the same Message-ID, by which mail systems drop the second copy."""
    from .models import SentMail

    key = occasion_key(once, kind, message.to)
    if SentMail.objects.filter(key=key).exists():
        return False
    message_id = f"<{re.sub(r'[^A-Za-z0-9.-]+', '-', once)}.{key[:16]}@{site_host()}>"
    message.extra_headers = {**message.extra_headers, "Message-ID": message_id}
    message.send()
    SentMail.objects.get_or_create(key=key, defaults={"message_id": message_id})
    return True


def occasion_key(once, template, to):
    basis = "\n".join([once, template, *sorted(address.lower() for address in to)])
    return hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()


def site_host():
    """The host of the site's address, for Message-IDs."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
