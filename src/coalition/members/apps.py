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
        _watch_public_pages()


def _watch_public_pages():
    """The member lists kept for anonymous visitors change with any of these."""
    from coalition.core import page_cache

    from .models import Affiliation, Organization, Person, WorkingGroup, WorkingGroupMembership

    page_cache.watch(
        "members",
        Organization,
        Person,
        Affiliation,
        WorkingGroup,
        WorkingGroupMembership,
        WorkingGroup.organizations.through,
    )
