from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import services
from accounts.models import User
from hms.admin_base import SafeAutocompleteMixin
from hms.phones import normalize_phone


def disable_selected(modeladmin, request, users) -> None:
    """Disable each person through the service (sessions ended, reason kept)."""
    reason = _("Disabled in the back office by %(person)s.") % {
        "person": request.user.get_full_name() or request.user.email
    }
    done = 0
    for user in users:
        try:
            services.user_disable(user=user, reason=reason, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(
                request,
                _("%(person)s: %(problem)s") % {"person": user, "problem": " ".join(exc.messages)},
                messages.WARNING,
            )
        else:
            done += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d account disabled.", "%(count)d accounts disabled.", done)
        % {"count": done},
        messages.SUCCESS,
    )


def enable_selected(modeladmin, request, users) -> None:
    for user in users:
        services.user_enable(user=user, by=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(count)d account enabled.", "%(count)d accounts enabled.", len(users))
        % {"count": len(users)},
        messages.SUCCESS,
    )


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_phone(self) -> str:
        # The services' rule (accounts.services.user_update): E.164 or an error here.
        try:
            return normalize_phone(self.cleaned_data.get("phone", ""))
        except ValidationError as exc:
            raise ValidationError(exc.error_dict["phone"]) from exc


@admin.register(User)
class UserAdmin(SafeAutocompleteMixin, BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("email", "first_name", "last_name", "phone", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "first_name", "last_name", "phone")
    ordering = ("last_name", "first_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            gettext_lazy("Personal info"),
            {"fields": ("first_name", "last_name", "phone", "preferred_language")},
        ),
        (
            gettext_lazy("Access"),
            {"fields": ("is_active", "disabled_reason", "is_staff", "is_superuser", "groups")},
        ),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ("groups",)
    date_hierarchy = "date_joined"
    actions = ("disable_accounts", "enable_accounts")

    @admin.action(description=gettext_lazy("Disable the selected accounts"))
    def disable_accounts(self, request, queryset):
        disable_selected(self, request, list(queryset))

    @admin.action(description=gettext_lazy("Enable the selected accounts"))
    def enable_accounts(self, request, queryset):
        enable_selected(self, request, list(queryset))
