"""The journal of transitions moves down to the journal app: its table is renamed, no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_processus_declaration"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("transitionlog", "journal_transitionlog")],
            state_operations=[migrations.DeleteModel("TransitionLog")],
        ),
    ]
