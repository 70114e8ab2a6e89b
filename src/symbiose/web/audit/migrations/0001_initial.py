# The audit trail moves from accounts to its own app, rows and all: the model is taken
# over in the migration state as it stands (on accounts' table), then its table renamed.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_password_reset_request"),
        ("territory", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                        ("username", models.CharField(max_length=150, verbose_name="who")),
                        ("action", models.CharField(choices=[("read_private", "Read private data"), ("export", "Exported"), ("change", "Changed"), ("import", "Imported"), ("access", "Access changed")], max_length=20, verbose_name="action")),
                        ("detail", models.CharField(max_length=500, verbose_name="what")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="territory.actor", verbose_name="actor")),
                        ("territory", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="territory.territory", verbose_name="territory")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["actor", "-at"], name="audit_actor_at")],
                        "db_table": "accounts_auditevent",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="auditevent", table=None),
    ]
