"""Issues ready to send and subscribers in bulk, for the sending tests and the benchmark.

Also a small command line, run in a subprocess by the crash test against a database file
(or PostgreSQL database) that worker processes share with it:

    python -m tests.updates.factories_sending prepare --subscribers 150 --issues 3
    python -m tests.updates.factories_sending report <slug>
    python -m tests.updates.factories_sending enqueue <slug>

`prepare` adds the subscribers (once) and that many March 2023 issues, each queued for
sending as `send_update` queues it, and prints their slugs as a JSON list; `report` prints
an issue's delivery state as JSON; `enqueue` queues one background delivery task for it.
"""

import argparse
import json
import secrets
import sys
from datetime import date

from django.utils import timezone

# Models are imported inside the functions: run as a script, this module is imported
# before Django is set up.

SITE_URL = "https://hub.example.org"
LANGUAGE_MIX = ("en", "fr", "ar")


def editorial_issue(slug, languages=("en",), title="Editorial note"):
    """An issue with one editor-written item and an edition per language: the smallest sendable."""
    from coalition.updates.models import Edition, Item, SectionKind, UpdateIssue

    issue = UpdateIssue.objects.create(
        title=title,
        title_en=title,
        slug=slug,
        period_start=date(2023, 3, 1),
        period_end=date(2023, 3, 31),
    )
    Item.objects.create(
        issue=issue,
        section=SectionKind.NEWS,
        title_en=title,
        body_en="<p>The Coalition met in Paris.</p>",
    )
    for language in languages:
        Edition.objects.create(issue=issue, language=language)
    return issue


def bulk_subscribers(count, *, languages=LANGUAGE_MIX, prefix="reader", batch_size=5000):
    """`count` confirmed subscribers, their languages in turn; inserted without save()."""
    from coalition.updates.models import Subscriber

    now = timezone.now()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"{prefix}{n}@example.org",
                language=languages[n % len(languages)],
                status=Subscriber.Status.CONFIRMED,
                source="import",
                consent_text="I agree that the OER Dynamic Coalition sends me the Update.",
                consented_at=now,
                confirmed_at=now,
                token=secrets.token_urlsafe(32),
            )
            for n in range(created, created + size)
        )
        created += size
    return created


def outbox_report(issue):
    """What the database says about an issue's delivery, as plain data."""
    from coalition.updates.models import OutboxMessage, Subscriber

    issue.refresh_from_db()
    statuses = {}
    for status in OutboxMessage.objects.filter(edition__issue=issue).values_list(
        "status", flat=True
    ):
        statuses[status] = statuses.get(status, 0) + 1
    from django_tasks_db.models import DBTaskResult, get_date_max

    # The background delivery tasks of this issue run by a database worker, oldest first.
    tasks = [
        # Deferred: given a time to run after (a task due at once is stored with the
        # backend's "no time" value, the latest date there is).
        {"status": status, "deferred": run_after != get_date_max()}
        for status, args, run_after in DBTaskResult.objects.filter(
            task_path__endswith=".deliver_issue"
        )
        .order_by("enqueued_at")
        .values_list("status", "args_kwargs", "run_after")
        if args.get("args") == [issue.pk]
    ]
    return {
        "slug": issue.slug,
        "status": issue.status,
        "outbox": statuses,
        "delivery_tasks": tasks,
        "message_ids": dict(
            OutboxMessage.objects.filter(edition__issue=issue).values_list(
                "subscriber__email", "message_id"
            )
        ),
        "confirmed": sorted(
            Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).values_list(
                "email", flat=True
            )
        ),
        "editions_sent": issue.editions.filter(sent_at__isnull=False).count(),
        "editions": issue.editions.count(),
    }


def _prepare(args):
    from coalition.updates import sending
    from coalition.updates.models import Subscriber
    from tests.updates.factories_rendering import march_2023

    if not Subscriber.objects.exists():
        bulk_subscribers(args.subscribers)
    slugs = []
    for _n in range(args.issues):
        issue = march_2023()
        sending.start_sending(issue, by=None, workers=0)
        slugs.append(issue.slug)
    return slugs


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.updates.factories_sending")
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare", help="subscribers (once) and queued issues")
    prepare.add_argument("--subscribers", type=int, default=150)
    prepare.add_argument("--issues", type=int, default=1)
    report = commands.add_parser("report", help="the issue's delivery state as JSON")
    report.add_argument("slug")
    enqueue = commands.add_parser("enqueue", help="one background delivery task for the issue")
    enqueue.add_argument("slug")
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.command == "prepare":
        print(json.dumps(_prepare(args)))
    elif args.command == "enqueue":
        from coalition.updates import tasks
        from coalition.updates.models import UpdateIssue

        tasks.deliver_issue.enqueue(UpdateIssue.objects.get(slug=args.slug).pk)
        print(json.dumps(None))
    else:
        from coalition.updates.models import UpdateIssue

        print(json.dumps(outbox_report(UpdateIssue.objects.get(slug=args.slug))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
