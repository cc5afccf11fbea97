"""Display names are compared by a normalised key (case, spacing, compatibility forms)."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from accounts.models import display_key

    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.exclude(display_name="").only("id", "display_name"):
        profile.display_key = display_key(profile.display_name)[:40]  # 0003 widens the field and recomputes
        profile.save(update_fields=["display_key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="display_key",
            field=models.CharField(
                blank=True, db_index=True, editable=False, help_text="display_name compared loosely.", max_length=40
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
