# The audit trail now belongs to `audit`, agreements to be introduced to `synergies`: they
# leave accounts' migration state only; their tables and rows went with them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_password_reset_request"),
        ("audit", "0001_initial"),
        ("synergies", "0005_introduction_consent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="IntroductionConsent"),
            ],
            database_operations=[],
        ),
    ]
