"""The cascade rolls a subtask up through its parent, not beside it: a plan with two tasks at
100 % and 0 %, the second split into three subtasks, is half done."""

from apps.core.changelog import change_logging
from apps.documents import services as documents
from apps.documents.selectors import document_cascade
from apps.tasks import services as tasks
from apps.tasks.models import Task


def test_subtasks_count_through_their_parent_in_the_rolled_up_progress(province):
    with change_logging(user=None):
        plan = documents.document_create(by=None, unit=province.ubnd, notation="501/KH-UBND")
        done = tasks.task_create(by=None, title="Tổ chức hội nghị", lead_unit=province.unit_a, document=plan)
        split = tasks.task_create(by=None, title="Đón đoàn Champasak", lead_unit=province.unit_b, document=plan)
        subtasks = [
            tasks.task_create(
                by=None, title="Bước {}".format(n), lead_unit=province.unit_b, document=plan, parent=split
            )
            for n in (1, 2, 3)
        ]
    Task.objects.filter(pk=done.pk).update(progress=100)
    _ancestors, root = document_cascade(document=plan, user=province.coordinator)
    assert root.progress == 50.0  # (100 + 0) / 2, not (100 + 0 + 0 + 0 + 0) / 5 = 20
    assert root.own_task_count == 2
    listed = {t.pk for t in root.tasks}  # the subtasks are reached from their parent's page
    assert listed == {done.pk, split.pk} and not listed & {s.pk for s in subtasks}
