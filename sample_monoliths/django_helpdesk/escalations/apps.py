from django.apps import AppConfig
from django.db.models.signals import post_save


class EscalationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "escalations"
    verbose_name = "Escalations & SLA"

    def ready(self):
        from tickets.models import Ticket

        from . import signals

        post_save.connect(signals.sync_sla_timer, sender=Ticket, dispatch_uid="escalations.sync_sla_timer")
