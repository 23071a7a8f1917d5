"""The Update's message to each subscriber, as the outbox's workers send it.

`build_message` builds one with Django's MIME classes. `MessageTemplate` builds an
edition's message once, with stand-ins for the recipient, Message-ID, date and personal
links, and each message replaces them in bytes (the same message, in microseconds; see
its notes). `message_for` picks the template when it is usable. `message_id` is stable
per (edition, subscriber), so a copy resent after a crash carries the same id.
"""

from dataclasses import dataclass
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from coalition.core.mail import site_host

# The placeholders of the rendering contract (rendering.render_edition).
UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
PREFERENCES = "%%PREFERENCES_URL%%"
# Stand-ins, in a message built once per edition, for what differs per subscriber.
_TO = "update-recipient@placeholder.invalid"
_MESSAGE_ID = "%%MESSAGE_ID%%"
_DATE = "%%DATE%%"
_LINK_KEY = "PERSONAL-LINK-KEY-PLACEHOLDER"


def message_id(row):
    """Stable per (edition, subscriber): a resent copy carries the same id."""
    return f"<update-{row.edition_id}-{row.subscriber_id}@{site_host()}>"


def personal_links(subscriber, language):
    with translation.override(language):
        return (
            settings.SITE_URL + reverse("updates:unsubscribe", kwargs={"token": subscriber.token}),
            settings.SITE_URL + reverse("updates:preferences", kwargs={"token": subscriber.token}),
        )


def _email(rendered, *, to, message_id, unsubscribe, preferences, connection=None, date=None):
    def personalize(text):
        return text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)

    headers = {
        "Message-ID": message_id,
        "Content-Language": rendered.language,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # A dot-atom (RFC 2919): the site's host name without its port.
        "List-Id": f"OER Dynamic Coalition Update <update.{site_host()}>",
    }
    if date is not None:
        headers["Date"] = date
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=personalize(rendered.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers=headers,
    )
    message.attach_alternative(personalize(rendered.html), "text/html")
    return message


def build_message(row, rendered, connection=None):
    """The message to one subscriber, built by Django's MIME classes."""
    unsubscribe, preferences = personal_links(row.subscriber, rendered.language)
    return _email(
        rendered,
        to=row.subscriber.email,
        message_id=message_id(row),
        unsubscribe=unsubscribe,
        preferences=preferences,
        connection=connection,
    )


class _Raw:
    """A message already in bytes, as the SMTP backend asks for it: message().as_bytes()."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, linesep="\r\n", **_options):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())


class _PrebuiltEmail(EmailMultiAlternatives):
    def __init__(self, data, **kwargs):
        super().__init__(**kwargs)
        self._data = data

    def message(self):
        return _Raw(self._data)


@dataclass(frozen=True)
class _Subscriberlike:
    """Enough of a subscriber for personal_links, with a stand-in token."""

    token: str


class MessageTemplate:
    """One edition's message in bytes, built once by Django's MIME classes with stand-ins
    for the recipient, Message-ID, date and personal links, which each message replaces.

    Building the MIME tree and flattening it again for each subscriber took 1-4 ms a
    message (most in the `email` package's generator, more for French and Arabic text):
    more than everything else a worker does. Replacing the stand-ins in bytes gives the
    same message, and takes microseconds. Used with Django's SMTP backend only (other
    backends may look inside the MIME tree), and only when every stand-in came out of the
    MIME encoding intact and the address is ASCII; otherwise `build_message` does it.
    """

    def __init__(self, rendered):
        self.language = rendered.language
        # The envelope's addresses as (name, address) pairs, which Django's SMTP backend
        # takes as they are; as strings, it parses both again for every message with the
        # `email` package's full header parser, a third of a worker's time. No name: the
        # envelope sender is an address (the From header, in the bytes, keeps the name).
        self.envelope_from = ("", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        unsubscribe, preferences = personal_links(_Subscriberlike(_LINK_KEY), rendered.language)
        self.links = (unsubscribe, preferences)
        data = (
            _email(
                rendered,
                to=_TO,
                message_id=_MESSAGE_ID,
                unsubscribe=UNSUBSCRIBE,
                preferences=PREFERENCES,
                date=_DATE,
            )
            .message()
            .as_bytes(linesep="\r\n")
        )
        head, separator, body = data.partition(b"\r\n\r\n")
        self.head, self.body = head + separator, body
        in_body = rendered.text + rendered.html
        self.usable = (
            all(
                self.head.count(stand_in.encode()) == 1
                for stand_in in (_TO, _MESSAGE_ID, _DATE, UNSUBSCRIBE)
            )
            and self.body.count(UNSUBSCRIBE.encode()) == in_body.count(UNSUBSCRIBE)
            and self.body.count(PREFERENCES.encode()) == in_body.count(PREFERENCES)
        )

    def message(self, row, connection):
        subscriber = row.subscriber
        unsubscribe, preferences = (
            link.replace(_LINK_KEY, subscriber.token).encode() for link in self.links
        )
        head = (
            self.head.replace(_TO.encode(), subscriber.email.encode("ascii"), 1)
            .replace(_MESSAGE_ID.encode(), message_id(row).encode(), 1)
            .replace(_DATE.encode(), formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode(), 1)
            .replace(UNSUBSCRIBE.encode(), unsubscribe, 1)
        )
        body = self.body.replace(UNSUBSCRIBE.encode(), unsubscribe).replace(
            PREFERENCES.encode(), preferences
        )
        return _PrebuiltEmail(
            head + body,
            from_email=self.envelope_from,
            to=[("", subscriber.email)],
            connection=connection,
        )


def message_for(row, rendered, template, connection):
    """The message to one subscriber: from the edition's template when it can be, else built."""
    if template is not None and template.usable and row.subscriber.email.isascii():
        return template.message(row, connection)
    return build_message(row, rendered, connection)
