from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_working_groups(sender, **kwargs):
    from .services import sync_working_groups

    sync_working_groups()


class MembersConfig(AppConfig):
    name = "coalition.members"
    verbose_name = _("Members")

    def ready(self):
        post_migrate.connect(_sync_working_groups, sender=self)
