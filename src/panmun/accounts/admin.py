from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from . import audit
from .models import ApiToken, AuditEntry, Organisation, Side, User


def _staff(request: HttpRequest) -> User:
    """Who is using the admin site: a signed-in staff member, as the site lets no one else in."""
    user = request.user
    assert isinstance(user, User)
    return user


# ModelAdmin is generic only in django-stubs: `admin.ModelAdmin[Model]` fails at run time.
class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin site writes the audit log too (inside the admin's own transaction), so changes
    to users, roles and organisations are as traceable as any other write."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj)
        after.pop("password", None)
        before.pop("password", None)
        changes = audit.diff(before, after)
        if "password" in form.changed_data:
            changes["password"] = ["…", "changed"]
        verb = "change" if change else "create"
        audit.record(
            actor=_staff(request),
            action=f"admin.{obj._meta.model_name}.{verb}",
            obj=obj,
            changes=changes,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        related = [
            name
            for name in form.changed_data
            if name in {f.name for f in form.instance._meta.many_to_many}
        ]
        if related:
            audit.record(
                actor=_staff(request),
                action=f"admin.{form.instance._meta.model_name}.relations",
                obj=form.instance,
                changes={"changed": related},
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        snapshot = audit.snapshot(obj)
        snapshot.pop("password", None)
        label, pk, kind = str(obj), str(obj.pk), obj._meta.label_lower
        super().delete_model(request, obj)
        audit.record(
            actor=_staff(request),
            action=f"admin.{obj._meta.model_name}.delete",
            object_type=kind,
            object_id=pk,
            object_label=label,
            changes={"deleted": snapshot},
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class PanmunUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Panmun", {"fields": ("display_name", "organisation", "role", "language")}),
    )
    list_display = ("username", "display_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__side", "organisation__kind", "is_active")


@admin.register(Side)
class SideAdmin(AuditedAdmin):
    list_display = ("code", "name_ko", "name_en")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name_ko", "name_en", "kind", "side")
    list_filter = ("kind", "side")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("digest", "prefix")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request: HttpRequest) -> bool:  # written only by services
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
