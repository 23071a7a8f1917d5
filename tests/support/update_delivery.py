"""A small command line over a database that worker processes share, for the crash tests:

    python -m tests.support.update_delivery prepare --subscribers 150 --issues 3
    python -m tests.support.update_delivery report <slug>
    python -m tests.support.update_delivery enqueue <slug>

`prepare` adds the subscribers (once) and that many March 2023 issues, each queued for
sending as `send_update` queues it, and prints their slugs as a JSON list; `report` prints
an issue's delivery state as JSON; `enqueue` queues one background delivery task for it.
"""

import argparse
import json
import sys

# Models and factories are imported inside the functions: run as a script, this module is
# imported before Django is set up.


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
    from coalition.updates.models import Subscriber
    from coalition.updates.services import sending
    from tests.factories.updates import bulk_subscribers, march_2023

    if not Subscriber.objects.exists():
        bulk_subscribers(args.subscribers)
    slugs = []
    for _n in range(args.issues):
        issue = march_2023()
        sending.start_sending(issue, by=None, workers=0)
        slugs.append(issue.slug)
    return slugs


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.support.update_delivery")
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
