"""Background jobs: a Job row carries progress and outcome; django-tasks runs the work.

A job function is registered by name and receives a ``JobContext``; the same function runs from the
web (through the worker) and from the command line (in-process, printing the same progress).
"""

import sys
import traceback
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.changelog import change_logging
from apps.core.models import Job

_registry: dict[str, Callable[..., Any]] = {}


class JobError(Exception):
    """A failure whose message is meant for the user (Vietnamese), not a stack trace."""


def job_function(kind: str):
    def register(func):
        _registry[kind] = func
        return func

    return register


class JobContext:
    """Reports progress; writes to the Job row at most every ``min_interval`` items or seconds."""

    def __init__(self, job: Job | None, *, stream=None, min_seconds: float = 0.5):
        self.job = job
        self.stream = stream
        self.min_seconds = min_seconds
        self._last_write = 0.0
        self.done = 0
        self.total = None

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        import time

        self.done, self.total = done, total if total is not None else self.total
        now = time.monotonic()
        final = self.total is not None and done >= self.total
        if not final and now - self._last_write < self.min_seconds:
            return
        self._last_write = now
        if self.job is not None:
            Job.objects.filter(pk=self.job.pk).update(
                progress_done=done, progress_total=self.total, message=str(message)[:500]
            )
        if self.stream is not None:
            if self.total:
                pct = int(done * 100 / self.total) if self.total else 0
                bar = "#" * (pct // 5) + "-" * (20 - pct // 5)
                self.stream.write("\r[{}] {:3d}% {}/{} {}".format(bar, pct, done, self.total, message)[:200])
            else:
                self.stream.write("\r{} {}".format(done, message)[:200])
            self.stream.flush()


def run_job_now(job: Job) -> Job:
    """Run a job in this process, recording status, result or a readable error."""
    func = _registry.get(job.kind)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started=timezone.now())
    context = JobContext(job)
    try:
        with change_logging(user=job.user):
            result = func(context, **job.params) if func else None
        if func is None:
            raise JobError(_("Unknown kind of job: {}").format(job.kind))
    except JobError as exc:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=str(exc), finished=timezone.now())
    except Exception as exc:  # the worker must survive any job; the user sees a short reason
        traceback.print_exc(file=sys.stderr)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=_("The job stopped because of an unexpected error ({}). Nothing was changed.").format(
                type(exc).__name__
            ),
            finished=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.COMPLETED,
            result=result,
            finished=timezone.now(),
            progress_done=context.total or context.done,
            progress_total=context.total or context.done,
        )
    job.refresh_from_db()
    return job


def job_enqueue(*, kind: str, name: str, user, params: dict | None = None) -> Job:
    """Create the Job row and hand it to the task backend (the database queue by default)."""
    from django.db import transaction

    from apps.core.tasks import run_job

    if kind not in _registry:
        raise JobError(_("Unknown kind of job: {}").format(kind))
    job = Job.objects.create(kind=kind, name=name, user=user, params=params or {})

    def send():
        result = run_job.enqueue(job_id=job.pk)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(send)
    return job


def run_in_worker(job_id: int):
    from django.db import connection

    # A worker between tasks may hold a stale connection; inside a transaction (a task run at once
    # by the immediate backend) the connection belongs to the caller and must be left alone.
    if not connection.in_atomic_block:
        close_old_connections()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.PENDING:
        return None
    return run_job_now(job).status
