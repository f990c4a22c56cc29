from django.db import migrations, models

from sso.key_storage import seal, unseal


def seal_existing_keys(apps, schema_editor) -> None:
    SpKeyPair = apps.get_model("sso", "SpKeyPair")
    for key_pair in SpKeyPair.objects.all():
        key_pair.private_key_sealed = seal(key_pair.private_key_pem)
        key_pair.save(update_fields=["private_key_sealed"])


def unseal_keys(apps, schema_editor) -> None:
    SpKeyPair = apps.get_model("sso", "SpKeyPair")
    for key_pair in SpKeyPair.objects.all():
        key_pair.private_key_pem = unseal(key_pair.private_key_sealed)
        key_pair.save(update_fields=["private_key_pem"])


class Migration(migrations.Migration):
    dependencies = [
        ("sso", "0002_admin_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="spkeypair",
            name="private_key_sealed",
            field=models.TextField(
                default="",
                help_text="PKCS#8 PEM private key, encrypted with a key derived from "
                "DJANGO_SECRET_KEY.",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="spkeypair",
            name="private_key_pem",
            field=models.TextField(default=""),
        ),
        migrations.RunPython(seal_existing_keys, unseal_keys),
        migrations.RemoveField(model_name="spkeypair", name="private_key_pem"),
    ]
