"""`manage.py db_worker`: django-tasks-db's worker, which first picks up what a dead
worker left (`core.recovery`)."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from coalition.core.recovery import recover_stalled_tasks


class Command(WorkerCommand):
    def handle(self, *args, **options):
        for path in recover_stalled_tasks():
            self.stderr.write(f"Enqueued again, its worker having stopped: {path}")
        return super().handle(*args, **options)
