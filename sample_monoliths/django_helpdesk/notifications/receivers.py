from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from escalations.signals import ticket_escalated
from tickets.models import Comment, Ticket

from . import tasks


@receiver(post_save, sender=Ticket)
def queue_ticket_notifications(sender, instance, created, update_fields=None, **kwargs):
    if created:
        transaction.on_commit(lambda: tasks.notify_ticket_created.delay(instance.pk))
    elif update_fields and "assignee" in update_fields and instance.assignee_id:
        transaction.on_commit(lambda: tasks.notify_ticket_assigned.delay(instance.pk))


@receiver(post_save, sender=Comment)
def queue_reply_notification(sender, instance, created, **kwargs):
    if created and not instance.is_internal:
        transaction.on_commit(lambda: tasks.notify_comment_added.delay(instance.pk))


@receiver(ticket_escalated)
def notify_watchers_of_escalation(sender, ticket, level, **kwargs):
    for user_id in ticket.watchers.values_list("pk", flat=True):
        tasks.notify_user.delay(
            user_id, "ticket_escalated", f"[{ticket.reference}] escalated to tier {level}", ticket.subject, ticket.pk
        )
