from datetime import timedelta

from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Team
from notifications.models import NotificationPreference
from reporting.models import DailyTicketStats
from tickets.models import Ticket


class Command(BaseCommand):
    help = "E-mail every team a digest of last week's ticket numbers."

    def add_arguments(self, parser):
        parser.add_argument("--team", help="Only send the digest for this team slug")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        teams = Team.objects.active().select_related("manager")
        if options["team"]:
            teams = teams.filter(slug=options["team"])
            if not teams.exists():
                raise CommandError(f"No active team with slug {options['team']!r}")

        since = timezone.localdate() - timedelta(days=7)
        messages = []
        for team in teams:
            totals = DailyTicketStats.objects.filter(team=team, date__gte=since).aggregate(
                created=Sum("created_count"), resolved=Sum("resolved_count"), breached=Sum("breached_count")
            )
            still_open = Ticket.objects.open().filter(team=team).count()
            body = (
                f"Team {team.name}, week starting {since:%d %b}\n\n"
                f"  created:  {totals['created'] or 0}\n"
                f"  resolved: {totals['resolved'] or 0}\n"
                f"  breached: {totals['breached'] or 0}\n"
                f"  open now: {still_open}\n"
            )
            opted_out = set(
                NotificationPreference.objects.filter(digest_weekly=False).values_list("user_id", flat=True)
            )
            recipients = [a.user.email for a in team.agents.select_related("user") if a.user_id not in opted_out]
            if team.manager and team.manager.email:
                recipients.append(team.manager.email)
            recipients = sorted({r for r in recipients if r})
            if not recipients:
                continue
            if options["dry_run"]:
                self.stdout.write(f"--- {team.name} -> {', '.join(recipients)}\n{body}")
                continue
            messages.append((f"Weekly digest: {team.name}", body, None, recipients))

        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} digest e-mail(s)"))
