from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.forms import ScopedModelForm
from apps.core.querysets import MANAGE


class UnitForm(ScopedModelForm):
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Parent unit"),
        help_text=_("Leave empty only for a top-level unit (a province or a central body)."),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "is_focal_point",
            "valid_from",
            "valid_to",
            "successor",
            "email",
            "phone",
            "address",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        manageable = Unit.objects.for_user(self.user, MANAGE)
        if self.instance.pk:
            manageable = manageable.exclude(path__startswith=self.instance.path)
            parent = Unit.objects.get_parent(self.instance)
            self.fields["parent"].initial = parent.pk if parent else None
        self.fields["parent"].queryset = manageable
        self.fields["successor"].queryset = Unit.objects.for_user(self.user)
        self.fields["successor"].empty_label = _("— not merged —")
        self.fields["parent"].empty_label = _("— choose the parent unit —")
        if not self.instance.pk:
            # No silent default: the officer must say what kind of unit this is.
            self.fields["kind"].choices = [("", _("— choose —")), *Unit.Kind.choices]
            self.initial.pop("kind", None)
            self.fields["kind"].initial = None
        if not self.user.is_superuser:
            self.fields["parent"].required = True
            self.fields["parent"].help_text = ""

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()


class UserForm(ScopedModelForm):
    password1 = forms.CharField(
        label=_("Password"), required=False, widget=forms.PasswordInput(render_value=False), strip=False
    )
    password2 = forms.CharField(
        label=_("Password again"), required=False, widget=forms.PasswordInput(render_value=False), strip=False
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "position", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["password1"].required = True
            self.fields["password2"].required = True
            # A new person needs a first role, in a unit the administrator manages.
            self.fields["unit"] = forms.ModelChoiceField(
                queryset=Unit.objects.for_user(self.user, MANAGE).active_on(), label=_("Unit")
            )
            self.fields["role"] = forms.ChoiceField(
                choices=RoleAssignment.Role.choices, label=_("Role"), initial="officer"
            )
            self.apply_bootstrap()
        else:
            self.fields["password1"].help_text = _("Leave empty to keep the current password.")

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 or p2:
            if p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
            else:
                try:
                    password_validation.validate_password(p1, self.instance)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "unit", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, MANAGE).active_on()
        self.fields["user"].queryset = User.objects.for_user(self.user, MANAGE) | User.objects.filter(
            roles__isnull=True
        )
        self.fields["user"].queryset = self.fields["user"].queryset.distinct()
