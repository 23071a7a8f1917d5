from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActionArea(models.Model):
    """One of the five areas of action of the 2019 Recommendation (numbered 1 to 5)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("action area")
        verbose_name_plural = _("action areas")

    def __str__(self):
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self):
        return reverse("site:home") + f"#action-area-{self.number}"


class Language(models.Model):
    """A language an activity is held or published in (ISO 639-1), not only the UN six."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        from .languages import language_name

        return language_name(self.code)
