from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "coalition.consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Choice, Question, Section, Survey

        for model in (Survey, Section, Question, Choice):
            uid = f"consultations-results:{model._meta.label}"
            post_save.connect(_survey_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_survey_changed, sender=model, dispatch_uid=uid)


def _survey_changed(sender, instance, raw=False, **kwargs):
    """A survey's questions, choices or texts changed: its kept results are computed again
    (answers move the version in `services.surveys.save_response`)."""
    if raw:
        return
    from .models import Choice, Survey
    from .results import results_changed

    if isinstance(instance, Survey):
        survey_id = instance.pk
    elif isinstance(instance, Choice):
        survey_id = getattr(instance.question, "survey_id", None)
    else:
        survey_id = instance.survey_id
    if survey_id:
        results_changed(survey_id)
