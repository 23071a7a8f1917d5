from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from coalition.activities import selectors
from coalition.activities.demo import dataset, load_demo_activities, moments
from coalition.activities.models import (
    Activity,
    Coverage,
    EventFormat,
    Kind,
    Material,
    ModerationEntry,
    Post,
    Presentation,
    ProgrammeRole,
    Registration,
    State,
    Submission,
)
from coalition.activities.services import moderation
from coalition.activities.snapshot import snapshot_of
from coalition.members.demo import DEMO_ACCOUNTS
from coalition.members.models import Person, User, WorkingGroup
from coalition.recommendation.regions import Region

pytestmark = pytest.mark.django_db

SEED_WEBINAR = "oer-dynamic-coalition-webinar-open-education-week-2023"
WEBINAR_17 = "oe-global-2021-webinar-17-rel-inclusives-cooperation-internationale"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it, like a test's data."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo_activities()
        yield summary
        transaction.set_rollback(True)


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def demo_activities():
    return Activity.objects.filter(slug__in=[s["slug"] for s in dataset()])


def test_demo_loads_after_the_members_demo(loaded):
    assert User.objects.filter(email__in=DEMO_ACCOUNTS.values()).count() == 4


def test_demo_counts_are_in_expected_ranges(loaded):
    activities = demo_activities()
    assert 310 <= activities.count() <= 340
    assert activities.published().count() >= 300
    assert 150 <= activities.filter(kind=Kind.EVENT).count() <= 200
    assert 1000 <= Registration.objects.count() <= 3000
    assert Presentation.objects.count() >= 10
    assert ProgrammeRole.objects.count() >= 40
    assert Material.objects.filter(kind=Material.Kind.RECORDING).count() >= 10
    assert Material.objects.filter(kind=Material.Kind.FILE).count() == 0
    assert Post.objects.count() >= 4
    # Every published activity has an approved submission and the log of its approval.
    published = activities.published()
    assert not published.exclude(submissions__status=Submission.Status.APPROVED).exists()
    assert not published.exclude(log__action="approved").exists()
    assert loaded.totals["activities"] == activities.count()


def test_demo_covers_every_kind_format_action_area_and_working_group(loaded):
    published = demo_activities().published()
    assert set(published.values_list("kind", flat=True)) == set(Kind.values)
    formats = set(published.filter(kind=Kind.EVENT).values_list("event_format", flat=True))
    assert formats == set(EventFormat.values)
    for number in range(1, 6):
        assert published.filter(action_areas=number).count() >= 20
    for group in WorkingGroup.objects.all():
        assert published.filter(working_groups=group).count() >= 10, group.slug


def test_demo_covers_every_region_and_many_countries(loaded):
    coverage = Coverage.objects.filter(activity__in=demo_activities().published())
    assert set(coverage.exclude(region="").values_list("region", flat=True)) == set(Region.values)
    assert coverage.exclude(country="").values("country").distinct().count() >= 30
    # Worldwide activities have no coverage at all.
    assert demo_activities().published().filter(coverage__isnull=True).count() >= 20


def test_demo_activities_are_held_in_the_coalitions_languages(loaded):
    published = demo_activities().published()
    for code in ("en", "fr", "ar", "es", "pt", "ru", "zh", "sw"):
        assert published.filter(languages=code).exists(), code


def test_demo_titles_are_written_in_one_or_two_languages_so_fallbacks_show(loaded):
    published = demo_activities().published()
    without_english = published.filter(Q(title_en="") | Q(title_en__isnull=True))
    assert without_english.count() >= 40
    assert without_english.filter(~Q(title_fr="")).exists()
    assert without_english.filter(~Q(title_ar="")).exists()
    assert without_english.filter(~Q(title_es="")).exists()
    bilingual = published.exclude(title_en="").filter(
        ~Q(title_fr="") | ~Q(title_es="") | ~Q(title_ar="")
    )
    assert bilingual.count() >= 40


def test_seed_webinar_starts_at_15_utc_in_the_paris_zone(loaded):
    webinar = Activity.objects.get(slug=SEED_WEBINAR)
    assert webinar.starts_at == datetime(2023, 3, 9, 15, 0, tzinfo=UTC)
    assert webinar.ends_at == datetime(2023, 3, 9, 16, 0, tzinfo=UTC)
    assert webinar.time_zone == "Europe/Paris"
    assert webinar.starts_at.astimezone(ZoneInfo(webinar.time_zone)).tzname() == "CET"
    assert (webinar.kind, webinar.event_format) == (Kind.EVENT, EventFormat.WEBINAR)
    assert webinar.is_online and webinar.registration_required
    assert webinar.title_en == "OER Dynamic Coalition webinar for Open Education Week 2023"
    assert webinar.title_fr.startswith("Wébinaire de la Coalition dynamique des REL")
    # The Arabic edition's mixed-script "динاميكي" is repaired; nothing else is changed.
    assert "للتحالف الديناميكي" in webinar.title_ar
    assert not any("\u0400" <= c <= "\u04ff" for c in webinar.title_ar + webinar.summary_ar)
    assert "hosted by UNESCO" in webinar.summary_en
    assert list(webinar.organizations.values_list("slug", flat=True)) == ["unesco"]
    speakers = webinar.programme.filter(role="speaker").order_by("order")
    assert [r.person.name for r in speakers] == [
        "Tawfik Jelassi",
        "Nivo Ralamboranto",
        "Arnold Magdelaine",
        "Barbara Class",
    ]
    assert all(r.person.public_profile for r in speakers)
    assert webinar.contact_name == "Aissatou Dabo" and webinar.contact_is_public
    assert webinar.registrations.filter(status=Registration.Status.CONFIRMED).count() >= 20


def test_seed_session_and_calls_keep_the_updates_dates(loaded):
    wsis = Activity.objects.get(slug="wsis-action-line-c7-e-learning-oer-recommendation-2023")
    assert (wsis.starts_at, wsis.ends_at) == (
        datetime(2023, 3, 16, 14, 0, tzinfo=UTC),
        datetime(2023, 3, 16, 15, 30, tzinfo=UTC),
    )
    assert wsis.contact_name == "Eleni Boursinou"
    dpg = Activity.objects.get(slug="undp-dpga-call-open-source-solutions-information-integrity")
    # 2 April 2023 is after Paris moved to summer time: 23:59 CEST is 21:59 UTC.
    assert dpg.kind == Kind.CALL
    assert dpg.deadline == datetime(2023, 4, 2, 21, 59, tzinfo=UTC)
    assert dpg.links.get().url == "https://digitalpublicgoods.net/blog/dpgs-information-integrity/"
    share = Activity.objects.get(slug="share-your-oer-activities-before-20-march-2023")
    assert share.deadline == datetime(2023, 3, 20, 22, 59, tzinfo=UTC)
    reports = Activity.objects.get(slug="national-reports-implementation-oer-recommendation")
    assert reports.kind == Kind.NEWS and reports.contact_name == "Zeynep Varoglu"
    brochure = Activity.objects.get(slug="unesco-2019-oer-recommendation-brochure-six-languages")
    assert brochure.kind == Kind.PUBLICATION
    assert set(brochure.languages.values_list("code", flat=True)) == {
        "ar",
        "en",
        "es",
        "fr",
        "ru",
        "zh",
    }


def test_oe_global_webinar_17_is_french_with_a_recording_and_a_discussion(loaded):
    webinar = Activity.objects.get(slug=WEBINAR_17)
    assert webinar.title_fr and not webinar.title_en
    assert webinar.summary_en and webinar.summary_fr
    assert list(webinar.languages.values_list("code", flat=True)) == ["fr"]
    assert webinar.starts_at == datetime(2021, 9, 30, 14, 0, tzinfo=UTC)
    assert webinar.ends_at == datetime(2021, 9, 30, 16, 30, tzinfo=UTC)
    assert set(webinar.action_areas.values_list("number", flat=True)) == {3, 5}
    presentation = webinar.presentations.get()
    assert presentation.title.startswith("Les bibliothèques universitaires")
    speaker = presentation.people.get()
    assert speaker.person.name == "Vincent de Lavenne de la Montoise"
    assert speaker.title_on_programme == "Université Sorbonne Nouvelle"
    assert presentation.materials.get().kind == Material.Kind.RECORDING
    posts = webinar.posts.order_by("created_at")
    assert posts.count() == 4
    assert posts.filter(presentation=presentation).count() == 3
    assert "<strong>signaler</strong>" in posts[0].body_html
    assert "<li>coalitions</li>" in posts[2].body_html


def test_second_load_changes_no_row_count(loaded):
    before = row_counts()
    summary = load_demo_activities()
    assert row_counts() == before
    assert sum(summary.created.values()) == 0


def test_load_on_a_later_day_creates_nothing_and_moves_nothing(loaded):
    webinar = Activity.objects.get(slug=SEED_WEBINAR)
    generated = demo_activities().filter(kind=Kind.EVENT).exclude(slug=SEED_WEBINAR).first()
    before = row_counts()
    load_demo_activities(today=timezone.localdate() + timedelta(days=45))
    assert row_counts() == before
    assert Activity.objects.get(pk=generated.pk).starts_at == generated.starts_at
    assert Activity.objects.get(pk=webinar.pk).starts_at == webinar.starts_at


def test_load_demo_activities_command_prints_a_one_line_summary(loaded):
    out = StringIO()
    call_command("load_demo_activities", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert f"{demo_activities().count()} activities" in lines[0]
    assert "0 objects created" in lines[0]


def test_moderation_queue_holds_the_focal_points_pending_items(loaded, client):
    focal_point = User.objects.get(email=DEMO_ACCOUNTS["focal point (Madagascar)"])
    pending = Submission.objects.filter(status=Submission.Status.PENDING)
    assert pending.count() == 10
    assert set(pending.values_list("submitted_by", flat=True)) == {focal_point.pk}
    assert set(pending.values_list("on_behalf_of__slug", flat=True)) == {"men-madagascar"}
    queued = Activity.objects.filter(submissions__in=pending)
    assert queued.filter(state=State.SUBMITTED).count() == 8
    # Two published activities wait with an edit while their published version stays.
    edited = queued.filter(state=State.PUBLISHED)
    assert edited.count() == 2
    for activity in edited:
        assert activity.is_published
        assert activity.submissions.filter(status=Submission.Status.APPROVED).exists()
        assert snapshot_of(activity) != activity.submissions.get(status="pending").data
    # Every queued activity is upcoming or open.
    now = timezone.now()
    assert not queued.filter(kind=Kind.EVENT, starts_at__lt=now).exists()
    # The audit log tells the whole story, in order.
    for activity in queued:
        actions = list(activity.log.order_by("at").values_list("action", flat=True))
        assert actions in (["submitted"], ["submitted", "approved", "changed"])

    client.force_login(User.objects.get(email=DEMO_ACCOUNTS["secretariat"]))
    response = client.get("/en/activities/moderation/")
    assert response.status_code == 200
    links = [f'href="/en/activities/moderation/{s.pk}/"' for s in pending]
    assert all(link in response.content.decode() for link in links)


def test_changes_requested_and_declined_items_carry_the_secretariats_message(loaded):
    sent_back = Submission.objects.filter(status=Submission.Status.CHANGES_REQUESTED)
    declined = Submission.objects.filter(status=Submission.Status.DECLINED)
    assert sent_back.count() == 2 and declined.count() == 1
    for submission in [*sent_back, declined.get()]:
        assert submission.message
        assert submission.decided_by.is_secretariat
        assert submission.decided_at > submission.submitted_at
        entry = submission.activity.log.get(action__in=["changes-requested", "declined"])
        assert entry.message == submission.message
    assert set(
        Activity.objects.filter(submissions__in=sent_back).values_list("state", flat=True)
    ) == {State.CHANGES_REQUESTED}
    assert declined.get().activity.state == State.DECLINED


def test_moderated_items_written_only_in_french_have_no_english_title(loaded):
    french_only = [
        s["slug"]
        for s in dataset()
        if s.get("flow", "published") != "published" and set(s["title"]) == {"fr"}
    ]
    assert french_only
    for activity in Activity.objects.filter(slug__in=french_only):
        assert activity.title_fr and not activity.title_en


def test_upcoming_events_and_open_calls_exist_relative_to_today(loaded):
    assert selectors.upcoming_events().count() >= 40
    assert selectors.past_events().count() >= 60
    now = timezone.now()
    open_calls = demo_activities().published().filter(kind=Kind.CALL, deadline__gte=now)
    assert open_calls.count() >= 5
    assert demo_activities().published().filter(published_at__gt=now).count() == 0


def test_webinars_take_registrations_and_a_few_are_full_with_a_waiting_list(loaded):
    confirmed = Count("registrations", filter=Q(registrations__status="confirmed"))
    waiting = Count("registrations", filter=Q(registrations__status="waiting"))
    events = demo_activities().published().filter(kind=Kind.EVENT, registration_required=True)
    assert events.filter(event_format=EventFormat.WEBINAR).count() >= 30
    full = [
        e
        for e in events.filter(capacity__isnull=False).annotate(c=confirmed, w=waiting)
        if e.c == e.capacity and e.w
    ]
    assert len(full) >= 3
    assert all(e.ends_at > timezone.now() for e in full)
    assert not [
        e for e in events.filter(capacity__isnull=False).annotate(c=confirmed) if e.c > e.capacity
    ]
    member = User.objects.get(email=DEMO_ACCOUNTS["member"])
    assert member.registrations.filter(status="confirmed", activity__ends_at__gt=timezone.now())
    assert member.registrations.filter(status="waiting").exists()
    assert events.filter(registration_open=False, ends_at__gt=timezone.now()).exists()


def test_events_are_held_in_varied_zones_some_across_a_daylight_saving_change(loaded):
    events = demo_activities().published().filter(kind=Kind.EVENT)
    zones = set(events.values_list("time_zone", flat=True))
    assert {
        "Europe/Paris",
        "Africa/Nairobi",
        "America/Bogota",
        "Asia/Bangkok",
        "Pacific/Auckland",
        "America/New_York",
    } <= zones
    assert len(zones) >= 20
    across = [
        e
        for e in events
        if e.starts_at.astimezone(ZoneInfo(e.time_zone)).utcoffset()
        != e.ends_at.astimezone(ZoneInfo(e.time_zone)).utcoffset()
    ]
    assert len(across) >= 6
    assert any(e.ends_at > timezone.now() for e in across)
    assert len({e.time_zone for e in across}) >= 3


def test_published_activities_match_their_approved_snapshot(loaded):
    submissions = Submission.objects.filter(
        status=Submission.Status.APPROVED, activity__in=demo_activities()
    ).select_related("activity")[:60]
    for submission in submissions:
        if submission.activity.submissions.count() == 1:
            assert snapshot_of(submission.activity) == submission.data, submission.activity.slug


def test_public_contacts_never_publish_a_persons_private_email(loaded):
    public = demo_activities().filter(contact_is_public=True).exclude(contact_email="")
    assert public.count() >= 20
    private_emails = set(Person.objects.values_list("email", flat=True))
    assert not set(public.values_list("contact_email", flat=True)) & private_emails


def test_cancelled_events_raise_their_sequence_and_are_logged(loaded):
    cancelled = demo_activities().filter(is_cancelled=True)
    assert cancelled.count() >= 2
    for event in cancelled:
        assert event.sequence == 1
        assert ModerationEntry.objects.filter(activity=event, action="cancelled").exists()


# The dataset itself, without the database.


def test_loaded_activities_hold_what_their_files_say(loaded):
    activities = {a.slug: a for a in demo_activities().prefetch_related("organizations")}
    registrations = dict(
        demo_activities().annotate(n=Count("registrations")).values_list("slug", "n")
    )
    for spec in dataset():
        activity = activities[spec["slug"]]
        for language, title in spec["title"].items():
            assert getattr(activity, f"title_{language.replace('-', '_')}") == title
        assert {o.slug for o in activity.organizations.all()} == set(spec["organizations"])
        assert registrations[spec["slug"]] == len(spec.get("registrations", ()))
        if isinstance(spec.get("start"), datetime):
            assert activity.starts_at == spec["start"]


def test_second_load_goes_through_no_service(loaded, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing is missing: no service is called")

    monkeypatch.setattr(moderation, "submit_activity", refuse)
    assert sum(load_demo_activities().created.values()) == 0


@pytest.mark.django_db(False)
def test_dataset_slugs_are_unique_and_fit_links():
    slugs = [s["slug"] for s in dataset()]
    assert len(slugs) == len(set(slugs))
    assert all(0 < len(slug) <= 90 and slug.isascii() for slug in slugs)


@pytest.mark.django_db(False)
def test_generated_dates_follow_the_day_of_loading_while_seed_dates_stay():
    early, late = date(2026, 1, 5), date(2027, 6, 14)
    for spec in dataset():
        a, b = moments(spec, early), moments(spec, late)
        if spec["kind"] != Kind.EVENT or spec.get("start") is None:
            continue
        if isinstance(spec["start"], datetime):
            assert a.starts_at == b.starts_at
        elif not spec.get("dst"):
            shift = (b.starts_at - a.starts_at) - (late - early)
            assert abs(shift) <= timedelta(days=4, hours=2), spec["slug"]
        for when, today in ((a, early), (b, late)):
            assert when.ends_at >= when.starts_at
            assert when.published_at.date() < today or isinstance(spec["published"], datetime)
            if spec.get("upcoming") is not None:
                upcoming = when.starts_at.date() > today
                assert upcoming == spec["upcoming"], spec["slug"]


@pytest.mark.django_db(False)
def test_events_are_on_weekdays_except_those_spanning_a_clock_change():
    for spec in dataset():
        relative = isinstance(spec.get("start"), dict)
        if spec["kind"] == Kind.EVENT and relative and not spec.get("dst"):
            when = moments(spec, date(2026, 11, 21))
            weekday = when.starts_at.astimezone(ZoneInfo(spec["time_zone"])).weekday()
            assert weekday < 5, spec["slug"]
