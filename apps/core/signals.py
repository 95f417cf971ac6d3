"""Change-log receivers: every create, update and delete of a logged model writes an ObjectChange.

Logged models are subclasses of ChangeLoggedModel plus journal notes and attachments. Signals are
used (as NetBox does) so pages, the API, services and the admin all log through one path.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from apps.core.changelog import current_context, snapshot
from apps.core.models import Attachment, ChangeLoggedModel, JournalEntry, ObjectChange

_EXTRA_LOGGED = (JournalEntry, Attachment)


def is_logged(sender) -> bool:
    return issubclass(sender, (ChangeLoggedModel, *_EXTRA_LOGGED, get_user_model()))


def _unit_for(instance, action, before):
    unit_id = instance.owner_unit_id()
    if action == ObjectChange.Action.DELETE and getattr(instance, "scope_field", None) == "":
        # A deleted unit cannot own its own deletion record: file it under its parent.
        return (before or {}).get("parent")
    return unit_id


def record_change(instance, action, before, after):
    ctx = current_context()
    user = ctx.current_user() if ctx else None
    if user is None and ctx is not None and ctx.user is not None:
        user = ctx.user
    ObjectChange.objects.create(
        user=user,
        user_name=(user.get_username() if user else "system"),
        request_id=ctx.request_id if ctx else None,
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        changed_object_id=instance.pk,
        object_repr=str(instance)[:200],
        unit_id=_unit_for(instance, action, before),
        prechange_data=before,
        postchange_data=after,
    )


@receiver(pre_save)
def take_prechange_snapshot(sender, instance, raw=False, **kwargs):
    if raw or not is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    if getattr(instance, "_prechange_snapshot", None) is not None:
        return  # a service took it before changing what save() cannot see (e.g. a tree move)
    try:
        current = sender._base_manager.get(pk=instance.pk)
    except sender.DoesNotExist:
        instance._prechange_snapshot = None
        return
    instance._prechange_snapshot = snapshot(current)


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_logged(sender):
        return
    before = None if created else getattr(instance, "_prechange_snapshot", None)
    after = snapshot(instance)
    instance._prechange_snapshot = None
    if not created and before == after:
        return  # nothing a reader could see changed
    record_change(instance, ObjectChange.Action.CREATE if created else ObjectChange.Action.UPDATE, before, after)


@receiver(pre_delete)
def keep_snapshot_before_delete(sender, instance, **kwargs):
    if is_logged(sender):
        instance._deleted_snapshot = snapshot(instance)


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if is_logged(sender):
        record_change(instance, ObjectChange.Action.DELETE, getattr(instance, "_deleted_snapshot", None), None)


@receiver(m2m_changed)
def log_m2m(sender, instance, action, reverse, **kwargs):
    if reverse or not is_logged(type(instance)):
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._m2m_before = snapshot(instance)
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_m2m_before", None)
        after = snapshot(instance)
        if before != after:
            record_change(instance, ObjectChange.Action.UPDATE, before, after)
