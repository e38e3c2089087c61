"""Ticket lifecycle hooks: live updates over Channels and bookkeeping."""
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from escalations.signals import ticket_escalated

from .consumers import DASHBOARD_GROUP, ticket_group
from .models import Attachment, Comment, Ticket
from .storage import delete_attachment_file

logger = logging.getLogger(__name__)


def _ticket_payload(ticket):
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee": ticket.assignee_id,
        "escalation_level": ticket.escalation_level,
    }


def broadcast(ticket, event):
    channel_layer = get_channel_layer()
    if channel_layer is None:
        return
    message = {"type": "ticket.update", "ticket": _ticket_payload(ticket), "event": event}
    async_to_sync(channel_layer.group_send)(ticket_group(ticket.pk), message)
    async_to_sync(channel_layer.group_send)(DASHBOARD_GROUP, message)


@receiver(pre_save, sender=Ticket)
def remember_previous_status(sender, instance, **kwargs):
    if instance.pk:
        instance._previous_status = (
            Ticket.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        )
    else:
        instance._previous_status = None


@receiver(post_save, sender=Ticket)
def push_ticket_change(sender, instance, created, **kwargs):
    if created:
        event = "created"
    elif getattr(instance, "_previous_status", None) != instance.status:
        event = "status_changed"
    else:
        event = "updated"
    broadcast(instance, event)


@receiver(post_save, sender=Comment)
def comment_posted(sender, instance, created, **kwargs):
    if not created:
        return
    ticket = instance.ticket
    author_is_staff = hasattr(instance.author, "agent")
    if author_is_staff and ticket.first_responded_at is None and not instance.is_internal:
        Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=timezone.now())
    if instance.is_internal:
        return
    channel_layer = get_channel_layer()
    async_to_sync(channel_layer.group_send)(
        ticket_group(ticket.pk),
        {
            "type": "ticket.comment",
            "ticket": ticket.pk,
            "comment": {"id": instance.pk, "author": instance.author.username, "body": instance.body},
        },
    )


@receiver([post_save, post_delete], sender=Attachment)
def refresh_attachment_count(sender, instance, **kwargs):
    count = Attachment.objects.filter(ticket_id=instance.ticket_id).count()
    Ticket.objects.filter(pk=instance.ticket_id).update(attachment_count=count)


@receiver(post_delete, sender=Attachment)
def remove_attachment_file(sender, instance, **kwargs):
    delete_attachment_file(instance)


@receiver(m2m_changed, sender=Ticket.tags.through)
def tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Ticket):
        logger.debug("tags changed on %s", instance.reference)


@receiver(ticket_escalated)
def push_escalation(sender, ticket, level, **kwargs):
    broadcast(ticket, f"escalated_l{level}")
