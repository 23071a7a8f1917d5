from django.db import migrations


class Migration(migrations.Migration):
    """ContentStamp now belongs to `core`; its table (hub_site_contentstamp) is kept."""

    dependencies = [("hub_site", "0001_content_stamp"), ("core", "0001_content_stamp")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentStamp")],
            database_operations=[],
        ),
    ]
