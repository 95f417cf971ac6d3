from django.db import migrations, models


def mark_imported(apps, schema_editor):
    """Transactions written by earlier IATI imports carry no change-log row of their own (the
    import logs the item); those entered by hand always do. Mark the former as the file's, so a
    re-import replaces them and keeps the officers' own."""
    Transaction = apps.get_model("aid", "Transaction")
    ObjectChange = apps.get_model("core", "ObjectChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="aid", model="transaction").first()
    logged = (
        ObjectChange.objects.filter(changed_object_type=kind).values("changed_object_id")
        if kind is not None
        else ObjectChange.objects.none().values("changed_object_id")
    )
    Transaction.objects.exclude(aid_item__iati_hash="").exclude(pk__in=logged).update(from_iati=True)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0005_transaction_amount_corrections"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="transaction",
            name="from_iati",
            field=models.BooleanField(
                db_default=False, default=False, editable=False, verbose_name="from an IATI file"
            ),
        ),
        migrations.RunPython(mark_imported, migrations.RunPython.noop),
    ]
