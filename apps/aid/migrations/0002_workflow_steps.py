"""The approval steps of Nghị định 313/2025/NĐ-CP (which replaced Nghị định 80/2020/NĐ-CP in
December 2025), as data: a later decree changes these rows, not the code."""

from django.db import migrations

BASIS = "Nghị định 313/2025/NĐ-CP"

STEPS = [
    # action, name, from, to, document, reason, opinion, coordinators only, order
    ("submit", "Trình phê duyệt", ["draft"], "submitted", False, False, False, False, 10),
    ("opinion", "Ghi ý kiến thẩm định", ["submitted", "appraised"], "", False, False, True, False, 20),
    ("appraise", "Hoàn thành thẩm định", ["submitted"], "appraised", False, False, True, False, 30),
    ("return", "Trả lại để hoàn thiện hồ sơ", ["submitted", "appraised"], "draft", False, True, False, True, 35),
    ("approve", "Phê duyệt", ["appraised"], "approved", True, False, False, True, 40),
    ("reject", "Không phê duyệt", ["submitted", "appraised"], "rejected", False, True, False, True, 45),
    ("start", "Bắt đầu thực hiện", ["approved"], "implementing", False, False, False, False, 50),
    ("complete", "Kết thúc", ["implementing"], "completed", False, False, False, False, 60),
    ("revoke", "Thu hồi quyết định phê duyệt", ["approved", "implementing"], "revoked", False, True, False, True, 70),
]


def seed(apps, schema_editor):
    WorkflowStep = apps.get_model("aid", "WorkflowStep")
    for action, name, sources, to, document, reason, opinion, coordinators, order in STEPS:
        WorkflowStep.objects.update_or_create(
            action=action,
            defaults={
                "name": name, "from_statuses": sources, "to_status": to, "requires_document": document,
                "requires_reason": reason, "requires_opinion": opinion, "coordinators_only": coordinators,
                "legal_basis": BASIS, "order": order, "is_active": True, "search_text": name.lower(),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("aid", "WorkflowStep").objects.filter(legal_basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
