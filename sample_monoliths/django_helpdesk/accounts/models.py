from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from core.models import ActiveQuerySet, TimeStampedModel


class User(AbstractUser):
    class Role(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AGENT = "agent", "Agent"
        MANAGER = "manager", "Manager"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    phone = models.CharField(max_length=32, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/Berlin")
    avatar_path = models.CharField(max_length=255, blank=True)

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class Organization(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    email_domain = models.CharField(max_length=120, blank=True, db_index=True)
    sla_policy = models.ForeignKey(
        "tickets.SLAPolicy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_vip = models.BooleanField(default=False)

    def __str__(self):
        return self.name


class CustomerProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_profile"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    job_title = models.CharField(max_length=120, blank=True)
    preferred_language = models.CharField(max_length=8, default="en")

    def __str__(self):
        return f"{self.user} ({self.organization or 'no org'})"


class Team(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    email = models.EmailField(blank=True)
    tier = models.PositiveSmallIntegerField(default=1)
    lead = models.ForeignKey(
        "accounts.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self):
        return self.name


class Agent(TimeStampedModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="agents")
    tier = models.PositiveSmallIntegerField(default=1)
    skills = models.ManyToManyField("tickets.Tag", blank=True, related_name="skilled_agents")
    max_open_tickets = models.PositiveIntegerField(default=25)
    is_available = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self):
        return self.user.display_name

    @property
    def open_ticket_count(self):
        return self.assigned_tickets.exclude(status__in=["resolved", "closed"]).count()

    def has_capacity(self):
        return self.is_available and self.open_ticket_count < self.max_open_tickets
