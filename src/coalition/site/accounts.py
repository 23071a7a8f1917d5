"""Accounts' mails (django-allauth) with the Hub's name and address, in the reader's language.

allauth writes "[example.com] …" and "Hello from example.com!" from the sites framework's
Site row, one name in one language. Here its mails get the Hub's name, translated into the
language they are written in, and the host of HUB_SITE_URL; `sync_site` keeps the Site
row itself in step with the settings, for the admin and any other reader of it.

Nobody learns from sign-up whether an address has an account: allauth answers an address
already known as it answers a new one (ACCOUNT_PREVENT_ENUMERATION) and mails the account
instead ("you already have an account", with the sign-in and password-reset links). The
two paths also take the same time: `SignupForm` hashes the given password on the known
address's path too, and every account mail is rendered in the request but sent by the
background worker (`send_account_mail`), so that neither path waits for the mail server.
"""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse
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
        """Rendered now, in the request's language; sent by the background worker."""
        from .tasks import send_account_mail

        # allauth fills `current_site` from the Site row; ours comes last and wins.
        context = {
            "request": allauth_context.request,
            "email": email,
            **context,
            "current_site": HubSite(),
        }
        message = self.render_mail(template_prefix, email, context)
        send_account_mail.enqueue(
            subject=message.subject,
            body=message.body,
            alternatives=[list(part) for part in getattr(message, "alternatives", [])],
            from_email=message.from_email,
            to=list(message.to),
            headers=dict(message.extra_headers),
        )

    def send_account_already_exists_mail(self, email):
        request = allauth_context.request
        login_url = request.build_absolute_uri(reverse("account_login"))
        reset_url = request.build_absolute_uri(reverse("account_reset_password"))
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {"email": email, "login_url": login_url, "password_reset_url": reset_url},
        )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, doing the same work whether or not the address has an account."""

    def try_save(self, request):
        if self.account_already_exists:
            # What a new account costs: its password hashed (and dropped here).
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


def sync_site(sender, using="default", **kwargs):
    """post_migrate: the sites framework's row names the Hub and its address, not example.com."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": site_domain()[:100], "name": "OER Coalition Hub"},
    )
