from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "coalition.site"
    label = "hub_site"  # "site" would clash with django.contrib.sites' table names
    verbose_name = _("Site")

    def ready(self):
        from django.apps import apps

        from .accounts import sync_site

        post_migrate.connect(
            sync_site, sender=apps.get_app_config("sites"), dispatch_uid="hub-sync-site"
        )
