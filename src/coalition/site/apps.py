from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "coalition.site"
    label = "hub_site"  # "site" would clash with django.contrib.sites' table names
    verbose_name = _("Site")
