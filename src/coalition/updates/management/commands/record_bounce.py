"""Record a bounce reported by the mail system (three permanent ones suppress the address).

manage.py record_bounce someone@example.org --hard --detail "550 5.1.1 user unknown"
"""

from django.core.management.base import BaseCommand, CommandError

from coalition.updates.models import Bounce, Subscriber
from coalition.updates.services import sending


class Command(BaseCommand):
    help = "Record a hard (permanent) or soft (temporary) bounce for a subscriber's address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument(
            "--hard",
            action="store_const",
            dest="kind",
            const=Bounce.Kind.HARD,
            help="A permanent failure (unknown user, domain gone).",
        )
        kind.add_argument(
            "--soft",
            action="store_const",
            dest="kind",
            const=Bounce.Kind.SOFT,
            help="A temporary failure (mailbox full, server busy).",
        )
        parser.add_argument("--detail", default="", help="The server's message, for the record.")

    def handle(self, *args, email, kind, detail, **options):
        address = (email or "").strip().lower()
        subscriber = Subscriber.objects.filter(email=address).first()
        if subscriber is None:
            raise CommandError(f"No subscriber with the address {address!r}.")
        subscriber = sending.record_bounce(subscriber, kind=kind, detail=detail[:1000])
        limit = sending.HARD_BOUNCES_BEFORE_SUPPRESSION
        self.stdout.write(
            f"Recorded a {kind} bounce for {subscriber.email}: {subscriber.hard_bounces}/{limit} "
            f"hard bounces, status {subscriber.status}."
        )
