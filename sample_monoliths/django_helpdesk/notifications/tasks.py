import json
import logging
import smtplib
import urllib.error
import urllib.request
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from tickets.models import Comment, Ticket

from .models import EmailNotification, Notification, NotificationPreference, SlackNotification, SMSNotification

logger = logging.getLogger(__name__)


def _preferences(user):
    prefs, _ = NotificationPreference.objects.get_or_create(user=user)
    return prefs


def create_notifications(user, event, title, body, ticket=None):
    """Create one record per enabled channel and return them (not yet sent)."""
    prefs = _preferences(user)
    created = [Notification.objects.create(recipient=user, ticket=ticket, event=event, title=title)]
    if prefs.email_enabled and user.email:
        created.append(
            EmailNotification.objects.create(
                recipient=user, ticket=ticket, event=event, title=title, channel=Notification.Channel.EMAIL,
                to_address=user.email, subject=title, body_text=body,
            )
        )
    if prefs.sms_enabled and user.phone:
        created.append(
            SMSNotification.objects.create(
                recipient=user, ticket=ticket, event=event, title=title, channel=Notification.Channel.SMS,
                phone_number=user.phone, message=f"{title}: {body}"[:480],
            )
        )
    if prefs.slack_enabled and prefs.slack_channel:
        created.append(
            SlackNotification.objects.create(
                recipient=user, ticket=ticket, event=event, title=title, channel=Notification.Channel.SLACK,
                slack_channel=prefs.slack_channel, text=f"*{title}*\n{body}",
            )
        )
    return created


def queue_delivery(notifications):
    for notification in notifications:
        if notification.channel != Notification.Channel.IN_APP:
            deliver_notification.delay(notification.pk)


@shared_task
def notify_user(user_id, event, title, body, ticket_id=None):
    user = get_user_model().objects.get(pk=user_id)
    ticket = Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None
    queue_delivery(create_notifications(user, event, title, body, ticket))


@shared_task
def notify_ticket_created(ticket_id):
    ticket = Ticket.objects.select_related("requester", "team").get(pk=ticket_id)
    queue_delivery(
        create_notifications(
            ticket.requester,
            "ticket_created",
            f"[{ticket.reference}] We received your request",
            f"Thanks for contacting support. Your ticket \"{ticket.subject}\" has reference {ticket.reference}.",
            ticket,
        )
    )
    if ticket.team and ticket.team.lead:
        notify_user.delay(
            ticket.team.lead.user_id, "team_ticket_created", f"New ticket {ticket.reference}", ticket.subject, ticket.pk
        )


@shared_task
def notify_ticket_assigned(ticket_id):
    ticket = Ticket.objects.select_related("assignee__user").get(pk=ticket_id)
    if ticket.assignee is None:
        return
    queue_delivery(
        create_notifications(
            ticket.assignee.user,
            "ticket_assigned",
            f"[{ticket.reference}] assigned to you",
            ticket.subject,
            ticket,
        )
    )


@shared_task
def notify_comment_added(comment_id):
    comment = Comment.objects.select_related("ticket__requester", "author").get(pk=comment_id)
    ticket = comment.ticket
    if comment.is_internal or comment.author_id == ticket.requester_id:
        return
    queue_delivery(
        create_notifications(
            ticket.requester, "agent_reply", f"[{ticket.reference}] New reply from support", comment.body, ticket
        )
    )


@shared_task
def deliver_notification(notification_id):
    notification = Notification.objects.get(pk=notification_id)
    sender = {
        Notification.Channel.EMAIL: send_email_notification,
        Notification.Channel.SMS: send_sms_notification,
        Notification.Channel.SLACK: send_slack_notification,
    }.get(notification.channel)
    if sender is not None:
        sender.delay(notification_id)


@shared_task(bind=True, autoretry_for=(smtplib.SMTPException, ConnectionError), retry_backoff=True, max_retries=5)
def send_email_notification(self, notification_id):
    notification = EmailNotification.objects.get(pk=notification_id)
    notification.attempts += 1
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_address],
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    message.send()
    notification.mark_sent()


@shared_task(bind=True, autoretry_for=(urllib.error.URLError,), retry_backoff=30, max_retries=3)
def send_sms_notification(self, notification_id):
    notification = SMSNotification.objects.get(pk=notification_id)
    notification.attempts += 1
    if not settings.SMS_GATEWAY_URL:
        notification.status = Notification.Status.SKIPPED
        notification.save(update_fields=["status", "attempts", "updated_at"])
        return
    payload = json.dumps({"to": notification.phone_number, "text": notification.message}).encode()
    request = urllib.request.Request(
        settings.SMS_GATEWAY_URL,
        data=payload,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        notification.provider_message_id = json.loads(response.read()).get("id", "")
    notification.save(update_fields=["provider_message_id"])
    notification.mark_sent()


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def send_slack_notification(self, notification_id):
    notification = SlackNotification.objects.get(pk=notification_id)
    notification.attempts += 1
    if not settings.SLACK_WEBHOOK_URL:
        notification.status = Notification.Status.SKIPPED
        notification.save(update_fields=["status", "attempts", "updated_at"])
        return
    body = json.dumps({"channel": notification.slack_channel, "text": notification.text}).encode()
    request = urllib.request.Request(
        settings.SLACK_WEBHOOK_URL, data=body, headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.URLError as exc:
        if self.request.retries >= self.max_retries:
            notification.mark_failed(exc)
            return
        raise self.retry(exc=exc)
    notification.mark_sent()


@shared_task
def purge_old_notifications(days=90):
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff, status__in=["sent", "skipped"]).delete()
    logger.info("purged %d old notifications", deleted)
    return deleted
