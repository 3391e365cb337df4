from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditEntry, Organisation, Side, User


@admin.register(User)
class PanmunUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Panmun", {"fields": ("display_name", "organisation", "role", "language")}),
    )
    list_display = ("username", "display_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__side", "organisation__kind", "is_active")


admin.site.register(Side)
admin.site.register(Organisation)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):  # the log is written only by services
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
