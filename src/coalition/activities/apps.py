from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "coalition.activities"
    verbose_name = _("Activities")

    def ready(self):
        from coalition.core import page_cache
        from coalition.members.models import Organization
        from coalition.recommendation.models import ActionArea

        from .models import (
            Activity,
            Coverage,
            Link,
            Material,
            Post,
            Presentation,
            ProgrammeRole,
            Registration,
        )

        # The activity and event lists kept for anonymous visitors show activities with
        # their organizations' names and their action areas.
        related = ("organizations", "action_areas", "working_groups", "languages")
        page_cache.watch(
            "activities",
            Activity,
            Coverage,
            Organization,
            ActionArea,
            *(getattr(Activity, name).through for name in related),
        )
        # An activity's page, kept for anonymous visitors, also shows these: its links and
        # programme, an event's places left, materials and discussion.
        page_cache.watch(
            "activity-pages",
            Link,
            ProgrammeRole,
            Registration,
            Material,
            Presentation,
            Post,
            Activity.cited_records.through,
        )
        # The catalogue records an activity cites (title, licence class): the catalogue
        # moves "cited-records" when a cited record changes (catalogue.services.records).
