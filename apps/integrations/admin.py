from django.contrib import admin

from apps.integrations.models import Delivery, Schedule, Webhook


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["dataset", "cron", "paused", "next_run_at", "last_run_at", "last_status", "consecutive_failures"]
    list_filter = ["paused", "last_status"]
    readonly_fields = ["etag", "last_modified", "content_hash", "pending_version", "job"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "workspace", "active", "created_at"]
    list_filter = ["active"]
    exclude = ["secret"]  # shown once, to the owner who created it


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["webhook", "event", "attempt", "status_code", "created_at"]
    list_filter = ["event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
