import email
import logging
import re
from datetime import timedelta
from email.utils import parseaddr

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import CustomerProfile, Organization

from .models import Comment, SLAPolicy, Ticket
from .storage import save_attachment

logger = logging.getLogger(__name__)

REFERENCE_RE = re.compile(r"\[(HD-[A-Z0-9]{6})\]")


@shared_task
def check_sla_breaches():
    """Find open tickets past their SLA and start the escalation workflow for each."""
    from escalations.tasks import start_escalation

    now = timezone.now()
    breached = (
        Ticket.objects.breaching(now)
        .filter(escalation_level=0)
        .exclude(escalation_requests__status__in=["pending", "awaiting_approval", "approved"])
        .values_list("pk", flat=True)
    )
    started = 0
    for ticket_id in breached:
        start_escalation.delay(ticket_id, "SLA breached")
        started += 1
    if started:
        channel_layer = get_channel_layer()
        async_to_sync(channel_layer.group_send)(
            "ticket_dashboard",
            {"type": "ticket.update", "ticket": {"breaches": started}, "event": "sla_breach_sweep"},
        )
    logger.info("SLA sweep: %d tickets escalated", started)
    return started


@shared_task
def auto_close_resolved_tickets(days=None):
    days = days or settings.HELPDESK["AUTO_CLOSE_RESOLVED_AFTER_DAYS"]
    cutoff = timezone.now() - timedelta(days=days)
    closed = 0
    for ticket in Ticket.objects.filter(status=Ticket.Status.RESOLVED, resolved_at__lt=cutoff):
        ticket.close()
        closed += 1
    return closed


@shared_task
def recalculate_sla_deadlines(policy_id):
    policy = SLAPolicy.objects.get(pk=policy_id)
    updated = 0
    for ticket in Ticket.objects.open().filter(sla_policy=policy):
        ticket.apply_sla(policy)
        ticket.save(update_fields=["sla_policy", "first_response_due_at", "resolution_due_at", "updated_at"])
        updated += 1
    return updated


def _customer_for_address(address):
    User = get_user_model()
    name, addr = parseaddr(address)
    user = User.objects.filter(email__iexact=addr).first()
    if user is None:
        user = User.objects.create_user(username=addr.lower()[:150], email=addr, first_name=name[:150])
        domain = addr.rsplit("@", 1)[-1].lower()
        CustomerProfile.objects.create(
            user=user, organization=Organization.objects.filter(email_domain=domain).first()
        )
    return user


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def process_inbound_email(self, raw_message, message_id=""):
    """Turn one e-mail into a new ticket or a comment on an existing one."""
    msg = email.message_from_string(raw_message)
    subject = msg.get("Subject", "(no subject)")
    author = _customer_for_address(msg.get("From", ""))
    body_parts, files = [], []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            continue
        if part.get_filename():
            files.append((part.get_filename(), part.get_payload(decode=True) or b""))
        elif part.get_content_type() == "text/plain":
            body_parts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace"))
    body = "\n".join(body_parts).strip() or "(empty message)"

    try:
        with transaction.atomic():
            match = REFERENCE_RE.search(subject)
            ticket = Ticket.objects.filter(reference=match.group(1)).first() if match else None
            comment = None
            if ticket is not None:
                comment = Comment.objects.create(
                    ticket=ticket, author=author, body=body, source_message_id=message_id
                )
                if ticket.status == Ticket.Status.PENDING:
                    ticket.status = Ticket.Status.OPEN
                    ticket.save(update_fields=["status", "updated_at"])
            else:
                ticket = Ticket.objects.create(
                    subject=subject[:255], description=body, requester=author, channel=Ticket.Channel.EMAIL
                )
            for filename, payload in files:
                save_attachment(ticket, filename, [payload], uploaded_by=author, comment=comment)
    except Exception as exc:  # database locked, disk full, ...
        logger.exception("could not process inbound mail %s", message_id)
        raise self.retry(exc=exc)
    return ticket.pk
