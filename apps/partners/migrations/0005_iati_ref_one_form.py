from django.db import migrations

from apps.core.text import iati_org_ref


def one_form(apps, schema_editor):
    """IATI organisation identifiers in the one form the import compares (upper case, single
    spaces, a bare DAC code as XM-DAC-…): see apps.core.text.iati_org_ref."""
    Partner = apps.get_model("partners", "Partner")
    changed = []
    for pk, ref in Partner.objects.exclude(iati_ref="").values_list("pk", "iati_ref").iterator():
        if iati_org_ref(ref) != ref:
            changed.append(Partner(pk=pk, iati_ref=iati_org_ref(ref)))
    Partner.objects.bulk_update(changed, ["iati_ref"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_partner_kind_government_agency")]

    operations = [migrations.RunPython(one_form, migrations.RunPython.noop)]
