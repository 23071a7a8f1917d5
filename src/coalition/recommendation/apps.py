from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_vocabulary(sender, **kwargs):
    from .services import sync_action_areas, sync_languages

    sync_action_areas()
    sync_languages()


class RecommendationConfig(AppConfig):
    name = "coalition.recommendation"
    verbose_name = _("Recommendation")

    def ready(self):
        # The vocabulary is code, so every migrate (including the test database's)
        # brings the tables in step without a hand-run command.
        post_migrate.connect(_sync_vocabulary, sender=self)
