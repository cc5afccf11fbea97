"""Display names are compared as they look: the key becomes the UTS #39 skeleton (accounts.names)."""

from django.db import migrations, models


def recompute_keys(apps, schema_editor):
    from accounts.models import display_key

    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.exclude(display_name="").only("id", "display_name"):
        profile.display_key = display_key(profile.display_name)
        profile.save(update_fields=["display_key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_profile_display_key")]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="display_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="display_name as it looks: compared by this key (accounts.names.skeleton).",
                max_length=200,
            ),
        ),
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
