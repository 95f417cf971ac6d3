"""Base models and the cross-cutting records every registry shares: change log, journal notes,
attachments and background jobs."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import ScopedManager, ScopedQuerySet
from apps.core.text import fold_join


class ChangeLoggedModel(models.Model):
    """Abstract base: timestamps, an edit version for conflict detection, a folded search text,
    and automatic change logging (apps.core.signals)."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    #: fields whose folded text feeds the search box
    search_fields: tuple[str, ...] = ()
    #: path to the owning Unit ("" for Unit itself); see apps.core.querysets
    scope_field: str | None = "unit"
    scope_shared_field: str | None = None
    #: fields never copied into the change log
    changelog_exclude: tuple[str, ...] = ("search_text", "last_updated")

    objects = ScopedManager()

    class Meta:
        abstract = True

    def build_search_text(self) -> str:
        return fold_join(*(getattr(self, name, "") for name in self.search_fields))

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = set(kwargs["update_fields"]) | {"version", "search_text", "last_updated"}
        super().save(*args, **kwargs)

    def changelog_extra(self) -> dict:
        """Derived values worth keeping in a snapshot (e.g. a tree parent)."""
        return {}

    def owner_unit_id(self):
        """The Unit a change to this row is filed under, for scoping the change log."""
        if self.scope_field == "":
            return self.pk
        if self.scope_field:
            # Follow a path such as "task__lead_unit" to the unit's id (the first hop's id is a
            # task's, not a unit's); the last hop is read as its "_id" column.
            *hops, last = self.scope_field.split("__")
            owner = self
            for hop in hops:
                owner = getattr(owner, hop, None)
                if owner is None:
                    return None
            return getattr(owner, last + "_id", None)
        return None


class ObjectChange(models.Model):
    """One create, update or delete of a change-logged object: who, when, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request ID"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    changed_object_id = models.PositiveBigIntegerField(_("object ID"))
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prechange_data = models.JSONField(_("before"), null=True, blank=True)
    postchange_data = models.JSONField(_("after"), null=True, blank=True)

    scope_field = "unit"
    objects = models.Manager.from_queryset(ScopedQuerySet)()

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """Changes filed under a unit the user may see, plus changes to people the user may see
        (a person belongs to several units, so their changes are filed under none)."""
        from django.contrib.auth import get_user_model

        from apps.accounts.scoping import units_q

        people = get_user_model()
        person_type = ContentType.objects.get_for_model(people)
        visible_people = people.objects.for_user(user).values("pk")
        return queryset.filter(
            units_q(scope, action, "unit__")
            | models.Q(changed_object_type=person_type, changed_object_id__in=visible_people)
        )

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["changed_object_type", "changed_object_id", "-time"], name="objchange_object_idx"),
            models.Index(fields=["-time", "-id"], name="objchange_time_idx"),
        ]

    def __str__(self):
        return "{} {}".format(self.get_action_display(), self.object_repr)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:objectchange_detail", args=[self.pk])

    def object_url(self) -> str | None:
        """Link to the changed object while it still exists and has a page."""
        if self.action == self.Action.DELETE:
            return None
        model = self.changed_object_type.model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            return None
        try:
            obj = model(pk=self.changed_object_id)
            if hasattr(model, "user_id") and model.__name__ == "RoleAssignment":
                return None
            return obj.get_absolute_url()
        except Exception:  # some models need more than a pk for their URL
            return None

    def humanized(self) -> list[dict]:
        from apps.core.changelog import humanize_diff

        return humanize_diff(self)

    @property
    def who(self) -> str:
        """The person's name for display; changes made by commands or the system say so."""
        from django.utils.translation import gettext as _

        if self.user is not None:
            return self.user.get_full_name()
        return _("System") if self.user_name in ("", "system") else self.user_name

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AttachedToObject(models.Model):
    """Abstract: a row that belongs to any other object (journal notes, attachments)."""

    object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object ID"))
    parent = GenericForeignKey("object_type", "object_id")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Filed under the parent's unit so the change log of a note is scoped like its parent.
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        indexes = []


class JournalEntry(AttachedToObject):
    """A dated note written on an object's page ("ghi chú")."""

    class Kind(models.TextChoices):
        INFO = "info", _("Information")
        SUCCESS = "success", _("Success")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Problem")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INFO)
    comments = models.TextField(_("comments"))

    changelog_exclude = ()

    class Meta:
        verbose_name = _("journal note")
        verbose_name_plural = _("journal notes")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created"], name="journal_object_idx")]

    def __str__(self):
        return (self.comments or "")[:60]

    def owner_unit_id(self):
        return self.unit_id


def attachment_path(instance, filename):
    # Random names: the stored name never comes from the user, so it cannot traverse or collide.
    suffix = PurePath(filename).suffix.lower()
    return "{}/{}/{}{}".format(instance.object_type.model, instance.created_on_path(), uuid.uuid4().hex, suffix)


class Attachment(AttachedToObject):
    """A file attached to an object; stored outside the web root, served only through a view
    that checks the user may see the parent object."""

    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created"], name="attachment_object_idx")]

    def __str__(self):
        return self.name

    def created_on_path(self):
        from django.utils import timezone

        return timezone.now().strftime("%Y/%m")

    def owner_unit_id(self):
        return self.unit_id


class JobQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        # A job belongs to whoever started it; system administrators see every job.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)


class Job(models.Model):
    """A piece of long work run by the background worker, with its progress and outcome."""

    objects = JobQuerySet.as_manager()

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress_done = models.PositiveBigIntegerField(_("done"), default=0)
    progress_total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.COMPLETED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)
