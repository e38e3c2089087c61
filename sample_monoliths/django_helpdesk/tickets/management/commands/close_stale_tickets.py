from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tickets.models import Comment, OpenTicket, Ticket


class Command(BaseCommand):
    help = "Close tickets that have been waiting on the customer for too long."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.HELPDESK["STALE_TICKET_DAYS"])
        parser.add_argument("--dry-run", action="store_true", help="Only list the tickets that would be closed")
        parser.add_argument("--system-user", default="helpdesk-bot")

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        cutoff = timezone.now() - timedelta(days=options["days"])
        stale = OpenTicket.objects.filter(status=Ticket.Status.PENDING, updated_at__lt=cutoff)
        bot, _ = get_user_model().objects.get_or_create(
            username=options["system_user"], defaults={"email": "noreply@example.com", "is_active": False}
        )
        closed = 0
        for ticket in stale.iterator():
            if options["dry_run"]:
                self.stdout.write(f"would close {ticket.reference}: {ticket.subject}")
                continue
            with transaction.atomic():
                Comment.objects.create(
                    ticket=ticket,
                    author=bot,
                    body=f"Closed automatically after {options['days']} days without a reply.",
                )
                ticket.close()
            closed += 1
        self.stdout.write(self.style.SUCCESS(f"Closed {closed} stale ticket(s)"))
