from django.contrib import admin

from .models import EmailNotification, NotificationPreference, SlackNotification, SMSNotification


class NotificationAdminBase(admin.ModelAdmin):
    list_display = ("recipient", "event", "status", "attempts", "sent_at", "created_at")
    list_filter = ("status", "event")
    raw_id_fields = ("recipient", "ticket")
    readonly_fields = ("attempts", "last_error", "sent_at")


@admin.register(EmailNotification)
class EmailNotificationAdmin(NotificationAdminBase):
    search_fields = ("to_address", "subject")


@admin.register(SMSNotification)
class SMSNotificationAdmin(NotificationAdminBase):
    search_fields = ("phone_number",)


@admin.register(SlackNotification)
class SlackNotificationAdmin(NotificationAdminBase):
    pass


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "sms_enabled", "slack_enabled", "digest_weekly")
