"""Units (the organisation tree), users, their roles in units, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from apps.core.models import ChangeLoggedModel
from apps.core.querysets import ScopedQuerySetMixin
from apps.core.text import fold_join


class UnitQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    def active_on(self, day=None):
        """Units that exist on ``day`` (today by default): merged or renamed ones drop out."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(ChangeLoggedModel, MP_Node):
    """A body inside the province: Party committee, People's Committee, the Union of Friendship
    Organizations, a department, a commune, the Fatherland Front, an association. Units form a tree;
    they are merged and renamed (the 2025 reorganisation), so each carries validity dates and the
    unit it was merged into, and is never deleted once records point to it."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central body")
        PROVINCE = "province", _("Province / city")
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        UNION = "union", _("Union of Friendship Organizations")
        DEPARTMENT = "department", _("Department / agency")
        COMMUNE = "commune", _("Commune / ward")
        DISTRICT = "district", _("District (before 2025)")
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
        ASSOCIATION = "association", _("Friendship association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Short unique code, e.g. LHHN-DT or SNGV-DT."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    is_focal_point = models.BooleanField(
        _("foreign-affairs focal point"),
        default=False,
        help_text=_("The unit the province designates as focal point for foreign affairs."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "short_name", "code")
    scope_field = ""
    changelog_exclude = ("search_text", "last_updated", "numchild")

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
                violation_error_message=_("The end of validity must not be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:unit_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity must not be before its start.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot be merged into itself.")})

    @property
    def indent(self) -> int:
        """Indentation step of the unit in tree-ordered lists (capped so deep trees stay readable)."""
        return min(max((self.depth or 1) - 1, 0), 6)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    def changelog_extra(self) -> dict:
        # Read from the stored path, not treebeard's cached parent: a move must log the new parent.
        parent = None
        if self.depth and self.depth > 1 and self.path:
            parent = type(self)._base_manager.filter(path=self.path[: -self.steplen]).only("pk", "name").first()
        return {"parent": parent.pk if parent else None, "parent_name": parent.name if parent else None}


class UserQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Roles in units (RoleAssignment) decide what they see and change."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedUserManager()

    changelog_exclude = ("password", "search_text", "last_login", "version")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        # A login only touches last_login: that is not an edit and must not bump the version.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def owner_unit_id(self):
        return None

    def build_search_text(self) -> str:
        return fold_join(self.username, self.full_name, self.email, self.position)

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        """People are seen through the units they hold roles in; managing them takes the
        administrator role over those units. Everyone sees themselves."""
        from apps.accounts.scoping import MANAGE, VIEW, units_q

        unit_action = VIEW if action == VIEW else MANAGE
        visible_roles = RoleAssignment.objects.filter(units_q(scope, unit_action, "unit__"), user=OuterRef("pk"))
        q = Q(Exists(visible_roles))
        if action == VIEW:
            q |= Q(pk=user.pk)
        return queryset.filter(q)

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username


class RoleAssignment(ChangeLoggedModel):
    """A user's role in one unit. A user may hold several roles in several units."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        COORDINATOR = "coordinator", _("Coordinator")
        OFFICER = "officer", _("Officer")
        LEADER = "leader", _("Leader (read-only)")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    scope_field = "unit"

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="role_unique_per_unit",
                violation_error_message=_("This user already has this role in this unit."),
            )
        ]

    def __str__(self):
        return "{} — {} — {}".format(self.user, self.get_role_display(), self.unit)

    def get_absolute_url(self):
        return self.user.get_absolute_url()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class APIToken(ChangeLoggedModel):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    scope_field = None
    changelog_exclude = ("search_text", "last_updated", "key_hash", "last_used")

    @classmethod
    def scope_queryset(cls, queryset, user, scope, action):
        # Tokens are personal: nobody but their owner (and a superuser) sees them.
        return queryset.filter(user=user)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return "{}…".format(self.prefix)

    @classmethod
    def generate(cls, *, user, description="", expires=None):
        raw = "hn_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, key_hash=hash_token(raw), prefix=raw[:10], description=description, expires=expires
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()
