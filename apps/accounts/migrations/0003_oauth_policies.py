import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_invitations_external_identities"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="OAuthApplicationPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "loopback_any_port",
                    models.BooleanField(
                        default=False,
                        help_text="RFC 8252 §7.3: an http://127.0.0.1 or http://[::1] redirect URI matches on any port.",
                    ),
                ),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="datamill_policy",
                        to="oauth2_provider.application",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="AuthorizationCodeUse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_hash", models.CharField(max_length=64, unique=True)),
                ("token_family", models.UUIDField(blank=True, null=True)),
                ("access_token_checksum", models.CharField(blank=True, max_length=64)),
                ("used_at", models.DateTimeField(auto_now_add=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="oauth2_provider.application",
                    ),
                ),
            ],
        ),
    ]
