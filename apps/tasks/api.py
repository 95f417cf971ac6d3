"""Tasks and progress reports over the API, with the same scoping, filters and services as the pages."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from apps.accounts.models import Unit
from apps.core.api_utils import PageInfo, check_id, choice, filtered, page
from apps.core.querysets import CHANGE, VIEW
from apps.tasks import selectors, services
from apps.tasks.filtersets import ProgressReportFilterSet, TaskAPIFilterSet
from apps.tasks.models import ProgressReport, Task, TaskStatus

router = Router()


# -- schemas -----------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class TaskOut(Schema):
    id: int
    title: str
    description: str
    document_id: int | None
    document_notation: str | None
    parent_id: int | None
    lead_unit: UnitRef
    supporting_units: list[UnitRef]
    due_date: date | None
    recurrence: str
    priority: str
    progress: int
    completed_on: date | None
    status: str
    status_label: str
    created_by_id: int | None
    version: int
    created: datetime
    last_updated: datetime


class TaskPage(Schema):
    items: list[TaskOut]
    page: PageInfo


class TaskFilters(Schema):
    q: str | None = Field(None, description="Tìm không dấu theo tên, nội dung / diacritic-insensitive search")
    status: str | None = Field(None, description=" | ".join(TaskStatus.values))
    lead_unit: str | None = Field(None, description="Mã hoặc ID đơn vị chủ trì / lead unit code or ID")
    document: str | None = Field(None, description="Số, ký hiệu hoặc ID văn bản / document notation or ID")
    priority: str | None = Field(None, description="low | normal | high")
    recurrence: str | None = None
    due_after: str | None = Field(None, description="dd/mm/yyyy hoặc / or yyyy-mm-dd")
    due_before: str | None = Field(None, description="dd/mm/yyyy hoặc / or yyyy-mm-dd")
    parent: int | None = Field(None, description="ID nhiệm vụ cha / parent task ID")


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    description: str = Field("", max_length=20000)
    document_id: int | None = None
    parent_id: int | None = None
    lead_unit_id: int
    supporting_unit_ids: list[int] = Field(default_factory=list, max_length=200)
    due_date: date | None = None
    recurrence: str = Task.Recurrence.NONE
    priority: str = Task.Priority.NORMAL


class TaskPatch(Schema):
    version: int = Field(..., description="Phiên bản đang sửa (chống ghi đè) / the version being edited")
    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=20000)
    document_id: int | None = None
    parent_id: int | None = None
    lead_unit_id: int | None = None
    supporting_unit_ids: list[int] | None = Field(None, max_length=200)
    due_date: date | None = None
    recurrence: str | None = None
    priority: str | None = None


class ReportOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    period: str
    percent: int
    text: str
    reported_on: date
    reported_by_id: int | None
    review_status: str
    reason: str
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    created: datetime


class ReportPage(Schema):
    items: list[ReportOut]
    page: PageInfo


class ReportFilters(Schema):
    review_status: str | None = Field(None, description="submitted | accepted | returned")
    unit: str | None = Field(None, description="Mã hoặc ID đơn vị báo cáo / reporting unit code or ID")


class ReportIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    text: str = Field(..., min_length=1, max_length=20000)
    period: str = Field("", max_length=100)
    unit_id: int | None = Field(None, description="Đơn vị báo cáo (mặc định: đơn vị chủ trì) / reporting unit")


class ReviewIn(Schema):
    decision: str = Field(..., description="accept | return")
    reason: str = Field("", max_length=5000)


# -- helpers -----------------------------------------------------------------------------------


def unit_ref(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def task_out(task: Task) -> dict:
    return {
        **{
            f: getattr(task, f)
            for f in (
                "id",
                "title",
                "description",
                "document_id",
                "parent_id",
                "due_date",
                "recurrence",
                "priority",
                "progress",
                "completed_on",
                "status",
                "created_by_id",
                "version",
                "created",
                "last_updated",
            )
        },
        "status_label": str(task.status_label),
        "document_notation": task.document.notation if task.document_id else None,
        "lead_unit": unit_ref(task.lead_unit),
        "supporting_units": [unit_ref(u) for u in task.supporting_units.all()],
    }


def report_out(report: ProgressReport) -> dict:
    return {
        **{
            f: getattr(report, f)
            for f in (
                "id",
                "task_id",
                "period",
                "percent",
                "text",
                "reported_on",
                "reported_by_id",
                "review_status",
                "reason",
                "reviewed_by_id",
                "reviewed_at",
                "created",
            )
        },
        "unit": unit_ref(report.unit),
    }


def _visible_task(request, task_id: int, action: str = VIEW) -> Task:
    check_id(task_id, "id")
    task = selectors.task_reads(Task.objects.for_user(request.user, VIEW)).filter(pk=task_id).first()
    if task is None:
        raise Http404
    if action != VIEW and not Task.objects.for_user(request.user, action).filter(pk=task_id).exists():
        raise HttpError(403, _("You may see this task but not change it."))
    return task


def _document(request, pk):
    if pk is None:
        return None
    check_id(pk, "document_id")
    from apps.documents.models import Document

    document = Document.objects.for_user(request.user, VIEW).filter(pk=pk).first()
    if document is None:
        raise ValidationError({"document_id": _("No document with ID {} that you may see.").format(pk)})
    return document


def _parent(request, pk):
    if pk is None:
        return None
    check_id(pk, "parent_id")
    parent = Task.objects.for_user(request.user, VIEW).filter(pk=pk).first()
    if parent is None:
        raise ValidationError({"parent_id": _("No task with ID {} that you may see.").format(pk)})
    return parent


def _units(request, ids, field):
    ids = list(dict.fromkeys(ids))
    for pk in ids:
        check_id(pk, field)
    units = Unit.objects.for_user(request.user, VIEW).in_bulk(ids)
    missing = [pk for pk in ids if pk not in units]
    if missing:
        raise ValidationError({field: _("No unit with ID {} that you may see.").format(missing[0])})
    return [units[pk] for pk in ids]


# -- tasks -------------------------------------------------------------------------------------


@router.get("/tasks/", response=TaskPage, tags=["tasks"], summary="Danh sách nhiệm vụ / List tasks")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters], limit: int = 50, offset: int = 0):
    qs = filtered(TaskAPIFilterSet, request, selectors.task_reads(Task.objects.for_user(request.user, VIEW)))
    rows, info = page(qs, limit, offset)
    return {"items": [task_out(t) for t in rows], "page": info}


@router.get("/tasks/{task_id}/", response=TaskOut, tags=["tasks"], summary="Một nhiệm vụ / One task")
def get_task(request: HttpRequest, task_id: int):
    return task_out(_visible_task(request, task_id))


@router.post("/tasks/", response={201: TaskOut}, tags=["tasks"], summary="Giao nhiệm vụ / Create a task")
def create_task(request: HttpRequest, payload: TaskIn):
    data = payload.dict()
    check_id(data["lead_unit_id"], "lead_unit_id")
    lead = Unit.objects.for_user(request.user, VIEW).filter(pk=data["lead_unit_id"]).first()
    if lead is None:
        raise ValidationError({"lead_unit_id": _("No unit with ID {} that you may see.").format(data["lead_unit_id"])})
    task = services.task_create(
        by=request.user,
        title=data["title"],
        description=data["description"],
        lead_unit=lead,
        supporting_units=_units(request, data["supporting_unit_ids"], "supporting_unit_ids"),
        document=_document(request, data["document_id"]),
        parent=_parent(request, data["parent_id"]),
        due_date=data["due_date"],
        recurrence=choice(data["recurrence"], Task.Recurrence, "recurrence"),
        priority=choice(data["priority"], Task.Priority, "priority"),
    )
    return Status(201, task_out(_visible_task(request, task.pk)))


@router.patch("/tasks/{task_id}/", response=TaskOut, tags=["tasks"], summary="Sửa nhiệm vụ / Update a task")
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch):
    task = _visible_task(request, task_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    if data.pop("version") != task.version:
        raise HttpError(
            409, _("Someone else changed this task since version {}; fetch it again and retry.").format(payload.version)
        )
    for required in ("title", "recurrence", "priority", "lead_unit_id", "supporting_unit_ids"):
        if required in data and data[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    fields = {}
    for name in ("title", "due_date"):
        if name in data:
            fields[name] = data[name]
    if "description" in data:
        fields["description"] = data["description"] or ""
    if "recurrence" in data:
        fields["recurrence"] = choice(data["recurrence"], Task.Recurrence, "recurrence")
    if "priority" in data:
        fields["priority"] = choice(data["priority"], Task.Priority, "priority")
    if "document_id" in data:
        fields["document"] = _document(request, data["document_id"])
    if "parent_id" in data:
        fields["parent"] = _parent(request, data["parent_id"])
    lead = None
    if "lead_unit_id" in data:
        lead = _units(request, [data["lead_unit_id"]], "lead_unit_id")[0]
    supporting = None
    if "supporting_unit_ids" in data:
        supporting = _units(request, data["supporting_unit_ids"], "supporting_unit_ids")
    # One change or none: a refused lead unit must not leave the title and due date it came with
    # already saved (each service is atomic on its own, not the two together).
    with transaction.atomic():
        if fields:
            services.task_update(task=task, by=request.user, **fields)
        if lead is not None or supporting is not None:
            services.task_assign(task=task, by=request.user, lead_unit=lead, supporting_units=supporting)
    return task_out(_visible_task(request, task.pk))


@router.delete("/tasks/{task_id}/", response={204: None}, tags=["tasks"], summary="Xóa nhiệm vụ / Delete a task")
def delete_task(request: HttpRequest, task_id: int):
    task = _visible_task(request, task_id, CHANGE)
    services.task_delete(task=task, by=request.user)
    return Status(204, None)


# -- progress reports --------------------------------------------------------------------------


@router.get(
    "/tasks/{task_id}/reports/",
    response=ReportPage,
    tags=["progress reports"],
    summary="Báo cáo tiến độ của nhiệm vụ / Progress reports of a task",
)
def list_reports(request: HttpRequest, task_id: int, filters: Query[ReportFilters], limit: int = 50, offset: int = 0):
    task = _visible_task(request, task_id)
    qs = filtered(ProgressReportFilterSet, request, selectors.reports_for_task(task, request.user))
    rows, info = page(qs, limit, offset)
    return {"items": [report_out(r) for r in rows], "page": info}


@router.post(
    "/tasks/{task_id}/reports/",
    response={201: ReportOut},
    tags=["progress reports"],
    summary="Gửi báo cáo tiến độ / Submit a progress report",
)
def submit_report(request: HttpRequest, task_id: int, payload: ReportIn):
    task = _visible_task(request, task_id)
    unit = _units(request, [payload.unit_id], "unit_id")[0] if payload.unit_id is not None else None
    report = services.progress_report_submit(
        task=task, by=request.user, unit=unit, percent=payload.percent, text=payload.text, period=payload.period
    )
    return Status(201, report_out(report))


def _review(request: HttpRequest, report_id: int, payload: ReviewIn):
    check_id(report_id, "id")
    report = ProgressReport.objects.for_user(request.user, VIEW).select_related("unit").filter(pk=report_id).first()
    if report is None:
        raise Http404
    if payload.decision not in ("accept", "return"):
        raise ValidationError({"decision": _("Say “accept” or “return”.")})
    report = services.progress_report_review(
        report=report, by=request.user, accept=payload.decision == "accept", reason=payload.reason
    )
    return report_out(report)


@router.post(
    "/progress-reports/{report_id}/review/",
    response=ReportOut,
    tags=["progress reports"],
    summary="Chấp nhận hoặc trả lại báo cáo / Accept or return a report",
)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn):
    return _review(request, report_id, payload)


@router.post("/progress-reports/{report_id}/review", response=ReportOut, include_in_schema=False)
def review_report_no_slash(request: HttpRequest, report_id: int, payload: ReviewIn):
    return _review(request, report_id, payload)
