"""Staff accounts in the Django admin: to look up, and to correct a name, an address or switch an
account off. Roles, passwords and second factors are changed in Halte's own screens ("Comptes"),
which apply the managers' scope and write the audit trail; here they are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from halte.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fields = ("role", "site", "operator", "is_active", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active", "memberships__role")
    search_fields = ("username", "first_name", "last_name")
    fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "staff_screen",
        "must_change_password",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    readonly_fields = (
        "username",
        "staff_screen",
        "must_change_password",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    inlines = [MembershipInline]

    @admin.display(description=_("Rôles, mot de passe, second facteur"))
    def staff_screen(self, obj: User) -> str:
        url = reverse("staff:detail", kwargs={"user_id": obj.public_id})
        return format_html('<a href="{}">{}</a>', url, _("Gérer dans l'écran des comptes"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the screens: a temporary password and a role come with it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # audited records point at accounts: switch one off instead


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "site", "operator", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "site__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
