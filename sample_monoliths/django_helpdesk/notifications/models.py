from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import TimeStampedModel


class Notification(TimeStampedModel):
    """One message to one person over one channel; subclassed per channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "SMS"
        SLACK = "slack", "Slack"
        IN_APP = "in_app", "In-app"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.IN_APP)
    event = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel}:{self.event} -> {self.recipient_id}"

    def mark_sent(self):
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.save(update_fields=["status", "sent_at", "attempts", "updated_at"])

    def mark_failed(self, error):
        self.status = self.Status.FAILED
        self.last_error = str(error)[:2000]
        self.save(update_fields=["status", "last_error", "attempts", "updated_at"])


class EmailNotification(Notification):
    to_address = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)


class SMSNotification(Notification):
    phone_number = models.CharField(max_length=32)
    message = models.CharField(max_length=480)
    provider_message_id = models.CharField(max_length=100, blank=True)


class SlackNotification(Notification):
    slack_channel = models.CharField(max_length=80)
    text = models.TextField()


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    slack_enabled = models.BooleanField(default=False)
    slack_channel = models.CharField(max_length=80, blank=True)
    digest_weekly = models.BooleanField(default=True)

    def __str__(self):
        return f"Preferences of {self.user}"
