"""Activities, events, presentations, materials and posts, built the way the Hub builds them.

Most go through a submission the secretariat approves (`published_activity`); events for
feeds and lists come in bulk, and small events for the materials and discussion tests."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from coalition.activities.models import (
    Activity,
    EventFormat,
    Kind,
    Material,
    Post,
    Presentation,
    Registration,
    State,
)
from coalition.activities.services import moderation
from coalition.activities.services.discussion import render_markdown
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

# The Open Education Week webinar: Thursday 9 March 2023, 16:00–17:00 CET (15:00 UTC).
WEBINAR_START = datetime(2023, 3, 9, 15, 0, tzinfo=UTC)
WEBINAR_END = datetime(2023, 3, 9, 16, 0, tzinfo=UTC)


def activity_data(**overrides):
    data = {
        "kind": "event",
        "event_format": "webinar",
        "title_en": "OER Dynamic Coalition webinar for Open Education Week 2023",
        "summary_en": "<p>Best practices for open education.</p>",
        "time_zone": "Europe/Paris",
        "starts_at": WEBINAR_START.isoformat(),
        "ends_at": WEBINAR_END.isoformat(),
        "is_online": True,
        "registration_required": True,
        "registration_open": True,
        "capacity": None,
        "access_url": "https://unesco.zoom.example/j/123",
        "contact_name": "Aissatou Dabo",
        "contact_email": "aa.dabo@example.org",
        "contact_is_public": False,
        "action_areas": [1, 5],
        "languages": ["en", "fr"],
        "countries": ["MG"],
        "regions": [],
        "links": [{"label": "Programme", "url": "https://example.org/programme"}],
    }
    data.update(overrides)
    return data


def submitted_activity(organization=None, user=None, **overrides):
    organization = organization or OrganizationFactory()
    user = user or focal_point_of(organization)
    return moderation.submit_activity(
        user=user, organization=organization, data=activity_data(**overrides)
    )


def published_activity(organization=None, **overrides):
    activity = submitted_activity(organization, **overrides)
    moderation.approve_submission(activity.submissions.get(), by=SecretariatFactory())
    activity.refresh_from_db()
    return activity


def soon(days=30, hour=14):
    """A whole hour some days ahead, in UTC."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def upcoming_event(organization=None, *, start=None, hours=1, **overrides):
    """A published event in the future, submitted by a focal point and approved."""
    start = start or soon()
    return published_activity(
        organization,
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=hours)).isoformat(),
        **overrides,
    )


class EventFactory(factory.django.DjangoModelFactory):
    """A published event written straight to the database: for feeds with many events."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = Kind.EVENT
    event_format = "webinar"
    title = factory.Sequence(lambda n: f"Open education webinar {n}")
    title_en = factory.SelfAttribute("title")
    summary_en = "<p>A webinar of the Coalition on <strong>open licences</strong>.</p>"
    time_zone = "Europe/Paris"
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    is_online = True
    registration_required = True
    access_url = factory.Sequence(lambda n: f"https://meet.example.org/secret-room-{n}")
    contact_name = "Private Contact"
    contact_email = factory.Sequence(lambda n: f"private.contact{n}@example.org")
    state = State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create:
            self.organizations.set(extracted if extracted is not None else [OrganizationFactory()])


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    status = Registration.Status.CONFIRMED
    language = "en"


class WebinarFactory(factory.django.DjangoModelFactory):
    """A published webinar of one member organization, a week from now."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    kind = Kind.EVENT
    event_format = EventFormat.WEBINAR
    title = factory.Sequence(lambda n: f"Open Education Week webinar {n}")
    title_en = factory.SelfAttribute("title")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=1))
    time_zone = "Europe/Paris"
    is_online = True
    state = State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create:
            self.organizations.set(extracted or [OrganizationFactory()])


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presentation

    activity = factory.SubFactory(WebinarFactory)
    title = factory.Sequence(lambda n: f"Open textbooks in practice {n}")
    order = factory.Sequence(lambda n: n)


class LinkMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    activity = factory.SubFactory(WebinarFactory)
    kind = Material.Kind.LINK
    title = factory.Sequence(lambda n: f"Background reading {n}")
    url = "https://www.unesco.org/en/open-educational-resources"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    activity = factory.SubFactory(WebinarFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Thank you for **talk {n}**.")
    body_html = factory.LazyAttribute(lambda post: render_markdown(post.body))


def organizer_of(activity):
    """An account affiliated with the activity's (first) organization: its focal point."""
    return focal_point_of(activity.organizations.first())


def member(**person_kwargs):
    """A signed-in member of the Hub with a people record and no organization."""
    user = UserFactory()
    PersonFactory(user=user, **person_kwargs)
    return user


def other_focal_point():
    """The focal point of an organization that does not organize the activity."""
    return focal_point_of(OrganizationFactory())


def affiliated_with(organization):
    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organization=organization)
    return user


ROLES = ("anonymous", "member", "organizer", "other_focal_point", "secretariat")


def user_in_role(role, activity):
    """The account for one column of the role matrix (None for anonymous)."""
    return {
        "anonymous": lambda: None,
        "member": member,
        "organizer": lambda: organizer_of(activity),
        "other_focal_point": other_focal_point,
        "secretariat": SecretariatFactory,
    }[role]()


# Documents built in the tests, as real office software would write them (smallest form).


def minimal_pdf():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/{part}" ContentType="{content_type}"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="{part}"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PRESENTATION_MAIN = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def _office_package(part, content_type, body, extra=()):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(part=part, content_type=content_type)
        )
        archive.writestr("_rels/.rels", RELS.format(part=part))
        archive.writestr(part, body)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def minimal_docx(content_type=WORD_MAIN, extra=()):
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Open Education Week</w:t></w:r></w:p></w:body></w:document>"
    )
    return _office_package("word/document.xml", content_type, body, extra)


def minimal_pptx():
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    )
    return _office_package("ppt/presentation.xml", PRESENTATION_MAIN, body)


def minimal_odp(mimetype="application/vnd.oasis.opendocument.presentation"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # OpenDocument requires `mimetype` first and stored uncompressed.
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
            f' manifest:media-type="{mimetype}"/></manifest:manifest>',
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()
