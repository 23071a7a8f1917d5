"""Accounts' mails (django-allauth) with the Hub's name and address, in the reader's language.

allauth writes "[example.com] …" and "Hello from example.com!" from the sites framework's
Site row, one name in one language. Here its mails get the Hub's name, translated into the
language they are written in, and the host of HUB_SITE_URL; `sync_site` keeps the Site
row itself in step with the settings, for the admin and any other reader of it.
"""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.encoding import force_str

from coalition.core.mail import one_line


def site_domain():
    """The host (and port, when not the default) of the Hub's address."""
    return urlsplit(settings.SITE_URL).netloc or "localhost"


class HubSite:
    """What allauth's mail templates read of a Site: `name` and `domain`. The name is read
    when the template renders it, so in the language active then."""

    @property
    def name(self):
        return force_str(settings.HUB_NAME)

    @property
    def domain(self):
        return site_domain()

    def __str__(self):
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return one_line(f"[{force_str(settings.HUB_NAME)}] {force_str(subject)}")

    def send_mail(self, template_prefix, email, context):
        # allauth fills `current_site` from the Site row; ours comes last and wins.
        super().send_mail(template_prefix, email, {**context, "current_site": HubSite()})


def sync_site(sender, using="default", **kwargs):
    """post_migrate: the sites framework's row names the Hub and its address, not example.com."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": site_domain()[:100], "name": "OER Coalition Hub"},
    )
