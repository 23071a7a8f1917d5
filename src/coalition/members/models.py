import html
import re

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from coalition.core import slugs
from coalition.core.richtext import RichTextField
from coalition.core.validators import refuse_line_breaks
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region, region_for_country
from coalition.recommendation.timezones import validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_secretariat=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. What someone may do comes from their role, see `rules.py`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    is_secretariat = models.BooleanField(
        _("secretariat"),
        default=False,
        help_text=_("Moderates applications and content for the whole Coalition."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=UN_LANGUAGE_CHOICES, blank=True
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Event times are shown in this zone too. Leave empty to use your browser's."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email


class StakeholderType(models.TextChoices):
    MEMBER_STATE = "member-state", _("Member State / ministry")
    NATIONAL_COMMISSION = "national-commission", _("National Commission for UNESCO")
    IGO = "igo", _("Intergovernmental organization")
    CATEGORY_2_CENTRE = "category-2-centre", _("UNESCO Category 2 Centre")
    SPECIALIZED_INSTITUTION = "specialized-institution", _("Specialized institution")
    UNIVERSITY = "university", _("University")
    LIBRARY = "library", _("Library")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    OTHER = "other", pgettext_lazy("stakeholder type", "Other")


LOGO_MAX_BYTES = 1024 * 1024


def validate_logo_size(file):
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must be at most 1 MB."), code="too_large")


class OrganizationQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=Organization.Status.MEMBER)


class Organization(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        MEMBER = "member", _("Member")
        INACTIVE = "inactive", _("Inactive")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=32, choices=StakeholderType.choices, db_index=True
    )
    country = CountryField(_("country"), db_index=True)
    # Derived from the country on save and stored, so the directory can filter and
    # count by region in the database.
    region = models.CharField(
        _("UNESCO region"),
        max_length=32,
        choices=Region.choices,
        blank=True,
        db_index=True,
        editable=False,
    )
    website = models.URLField(_("website"), blank=True)
    description = RichTextField(_("description"), blank=True)
    # ImageField makes Pillow open the file, so a script renamed to .png is refused;
    # SVG, which can carry scripts, is not an accepted format.
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_logo_size],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country)
        if not self.slug:
            self.slug = unique_slug(Organization, self.acronym or self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:organization-detail", kwargs={"slug": self.slug})

    def clean(self):
        refuse_line_breaks(self, ["acronym"], translated=["name"])

    # Django's get_FOO_display() hashes every choice label on each call, and hashing a
    # lazy label translates it: a directory page of 30 cards made hundreds of gettext calls.
    def get_stakeholder_type_display(self):
        return _choice_label(StakeholderType, self.stakeholder_type)

    def get_region_display(self):
        return _choice_label(Region, self.region)

    @property
    def is_member(self):
        return self.status == self.Status.MEMBER


def _choice_label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


# Words that name pages or API paths beside object slugs (/organizations/apply/, …).
RESERVED_SLUGS = frozenset({"apply", "applications", "share", "mine", "moderation", "calendar"})


_SCRIPT_OR_STYLE = re.compile(r"(?is)<(script|style)\b.*?(?:</\1\s*>|$)")
_TAG = re.compile(r"</?[a-zA-Z!][^>]*>?")


def slug_words(text):
    """The words of a title for its slug: markup, scripts and styles (also when written as
    entities, "&lt;script&gt;") give it no letters."""
    for _pass in range(2):
        text = html.unescape(_TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", text or "")))
    return text


def unique_slug(model, text, max_length=70):
    """A slug of `model` from the words of `text` only, free of the members' and activities'
    page words (core.slugs)."""
    return slugs.unique_slug(
        model, slug_words(text), reserved=RESERVED_SLUGS, max_length=max_length
    )


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    PREFER_NOT_TO_SAY = "prefer-not-to-say", _("Prefer not to say")


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who consented to a public profile: the only ones public pages may show."""
        return self.filter(public_profile=True)


class Person(models.Model):
    """Someone in the Coalition, with or without an account.

    `email` and `gender` are private: they feed the secretariat's contact lists and
    the aggregate gender figures, and never appear on a public page, feed or API answer.
    """

    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    country = CountryField(_("country"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=20,
        choices=Gender.choices,
        blank=True,
        help_text=_(
            "Optional. Used only, anonymously, for the Coalition's gender-balance figures."
        ),
    )
    public_profile = models.BooleanField(
        _("show my profile publicly"),
        default=False,
        help_text=_(
            "Your name, affiliations, role titles and country appear in the people directory."
        ),
    )
    organizations = models.ManyToManyField(
        Organization, through="Affiliation", related_name="people", verbose_name=_("affiliations")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["public_profile", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:person-detail", kwargs={"slug": self.slug})

    def clean(self):
        refuse_line_breaks(self, ["name"])


class Affiliation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="affiliations"
    )
    role_title = models.CharField(_("role title"), max_length=200, blank=True)
    is_focal_point = models.BooleanField(
        _("focal point"),
        default=False,
        help_text=_("Edits the organization's profile and acts for it in the Hub."),
    )

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="one_affiliation_per_org"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.organization}"

    def clean(self):
        refuse_line_breaks(self, ["role_title"])


class WorkingGroup(models.Model):
    """The four working groups (action areas 1–4) and the international-cooperation group."""

    slug = models.SlugField(_("short name in links"), unique=True)
    action_area = models.OneToOneField(
        ActionArea,
        on_delete=models.PROTECT,
        related_name="working_group",
        verbose_name=_("action area"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = RichTextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, related_name="working_groups", blank=True, verbose_name=_("organizations")
    )
    people = models.ManyToManyField(
        Person,
        through="WorkingGroupMembership",
        related_name="working_groups",
        verbose_name=_("people"),
    )

    class Meta:
        ordering = ["action_area"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:working-group-detail", kwargs={"slug": self.slug})


class WorkingGroupMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        RAPPORTEUR = "rapporteur", _("Rapporteur")
        MEMBER = "member", pgettext_lazy("working group role", "Member")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")

    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("working group"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    message = models.TextField(_("message"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["working_group", "role", "person__name"]
        verbose_name = _("working-group membership")
        verbose_name_plural = _("working-group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "person"], name="one_membership_per_group"
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.working_group} ({self.get_role_display()})"


class MembershipApplication(models.Model):
    """An organization's application to join the Coalition, decided by the secretariat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="application",
        verbose_name=_("organization"),
    )
    applicant = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    applicant_name = models.CharField(_("your name"), max_length=200)
    applicant_email = models.EmailField(_("your e-mail address"))
    applicant_role_title = models.CharField(_("your role in the organization"), max_length=200)
    motivation = models.TextField(_("why your organization wishes to join"), blank=True)
    language = models.CharField(
        _("language for our replies"), max_length=8, choices=UN_LANGUAGE_CHOICES, default="en"
    )
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")

    def __str__(self):
        return str(self.organization)

    def get_absolute_url(self):
        return reverse("members:application-detail", kwargs={"pk": self.pk})

    def clean(self):
        refuse_line_breaks(self, ["applicant_name", "applicant_role_title"])
