"""Remove `Activity.is_withdrawn` and the `draft` state: no write path ever set either.

Withdrawing was never offered (no service, view, API or admin action set the flag), and
every activity starts as `submitted`. A row someone flagged by hand stays out of public
view: it is unpublished here before the flag goes. The three partial indexes of published
rows are rebuilt on the shorter condition (`published_at IS NOT NULL`), which is what
`models.PUBLISHED` now says.
"""

from django.db import migrations, models

PUBLISHED = models.Q(("published_at__isnull", False))


def keep_withdrawn_rows_private(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Activity.objects.filter(is_withdrawn=True).update(published_at=None)
    Activity.objects.filter(state="draft").update(state="submitted")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_activity_organizers"),
    ]

    operations = [
        migrations.RunPython(keep_withdrawn_rows_private, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="activity", name="activity_published"),
        migrations.RemoveIndex(model_name="activity", name="activity_published_kind"),
        migrations.RemoveIndex(model_name="activity", name="activity_published_ends"),
        migrations.RemoveField(model_name="activity", name="is_withdrawn"),
        migrations.AlterField(
            model_name="activity",
            name="state",
            field=models.CharField(
                choices=[
                    ("submitted", "Awaiting moderation"),
                    ("changes-requested", "Changes requested"),
                    ("published", "Published"),
                    ("declined", "Declined"),
                ],
                db_index=True,
                default="submitted",
                max_length=20,
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=PUBLISHED,
                fields=["published_at"],
                include=("id",),
                name="activity_published",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=PUBLISHED,
                fields=["kind", "published_at"],
                include=("id",),
                name="activity_published_kind",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=PUBLISHED,
                fields=["kind", "ends_at", "starts_at"],
                include=("id",),
                name="activity_published_ends",
            ),
        ),
    ]
