# Agreements to be introduced move from accounts to synergies, rows and all: the model is
# taken over in the migration state on accounts' table, then its table renamed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_password_reset_request"),
        ("synergies", "0004_job_state"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IntroductionConsent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("agreed_at", models.DateTimeField(auto_now_add=True, verbose_name="agreed")),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="territory.actor", verbose_name="actor")),
                        ("proposal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="synergies.proposal", verbose_name="synergy proposal")),
                    ],
                    options={
                        "verbose_name": "agreement to be introduced",
                        "verbose_name_plural": "agreements to be introduced",
                        "constraints": [models.UniqueConstraint(fields=("proposal", "actor"), name="introduction_once")],
                        "db_table": "accounts_introductionconsent",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="introductionconsent", table=None),
    ]
