from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self):
        # Register signal receivers.
        from . import signals  # noqa: F401
