from django.db import migrations, models


class Migration(migrations.Migration):
    """ContentStamp moves here from `site` (label hub_site): the table stays where it is.

    A new database gets the table from hub_site's first migration; this one only tells
    Django's model state that the model now lives in `core`, and hub_site's second
    migration takes it out of that app's state.
    """

    initial = True

    dependencies = [("hub_site", "0001_content_stamp")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentStamp",
                    fields=[
                        (
                            "name",
                            models.CharField(max_length=40, primary_key=True, serialize=False),
                        ),
                        ("token", models.CharField(max_length=32)),
                    ],
                    options={"db_table": "hub_site_contentstamp"},
                ),
            ],
            database_operations=[],
        ),
    ]
