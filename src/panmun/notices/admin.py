"""The outbox in the admin site, to read only: notices are written by the services and moved by
delivery, never by hand."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "channel", "recipient", "topic", "state", "attempts", "sent_at")
    list_filter = ("state", "channel")
    search_fields = ("recipient", "topic")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False
