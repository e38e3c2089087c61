from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.models import TimeStampedModel
from core.utils import add_business_minutes, generate_reference

# priority -> SLAPolicy; filled lazily, lives as long as the worker process
_SLA_CACHE = {}


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    color = models.CharField(max_length=7, default="#6c757d")

    class Meta:
        ordering = ["name"]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class SLAPolicy(TimeStampedModel):
    name = models.CharField(max_length=100)
    priority = models.PositiveSmallIntegerField(unique=True)
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    business_hours_only = models.BooleanField(default=True)
    escalate_to_tier = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        ordering = ["-priority"]

    def __str__(self):
        return f"{self.name} (P{self.priority})"


def get_sla_policy(priority):
    """Return the SLA policy for a priority, cached per process."""
    if priority not in _SLA_CACHE:
        _SLA_CACHE[priority] = SLAPolicy.objects.filter(priority__lte=priority).order_by("-priority").first()
    return _SLA_CACHE[priority]


def clear_sla_cache():
    _SLA_CACHE.clear()


class TicketQuerySet(models.QuerySet):
    OPEN_STATES = ("new", "open", "pending", "on_hold", "escalated")

    def open(self):
        return self.filter(status__in=self.OPEN_STATES)

    def for_agent(self, agent):
        return self.filter(models.Q(assignee=agent) | models.Q(team=agent.team, assignee__isnull=True))

    def breaching(self, now=None):
        now = now or timezone.now()
        return self.open().filter(
            models.Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
            | models.Q(resolution_due_at__lt=now)
        )


class Ticket(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        PENDING = "pending", "Waiting on customer"
        ON_HOLD = "on_hold", "On hold"
        ESCALATED = "escalated", "Escalated"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        EMAIL = "email", "E-mail"
        API = "api", "API"
        PHONE = "phone", "Phone"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    subject = models.CharField(max_length=255)
    description = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_tickets"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    assignee = models.ForeignKey(
        "accounts.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    sla_policy = models.ForeignKey(SLAPolicy, null=True, blank=True, on_delete=models.SET_NULL)
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_tickets")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_tickets"
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    attachment_count = models.PositiveIntegerField(default=0)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "priority"]), models.Index(fields=["team", "status"])]
        permissions = [
            ("assign_ticket", "Can assign tickets to agents"),
            ("escalate_ticket", "Can escalate tickets"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("tickets:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = generate_reference()
        if self._state.adding and self.sla_policy_id is None:
            self.apply_sla(get_sla_policy(self.priority))
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in TicketQuerySet.OPEN_STATES

    def apply_sla(self, policy):
        if policy is None:
            return
        start = self.created_at or timezone.now()
        self.sla_policy = policy
        if policy.business_hours_only:
            self.first_response_due_at = add_business_minutes(start, policy.first_response_minutes)
            self.resolution_due_at = add_business_minutes(start, policy.resolution_minutes)
        else:
            self.first_response_due_at = start + timedelta(minutes=policy.first_response_minutes)
            self.resolution_due_at = start + timedelta(minutes=policy.resolution_minutes)

    def assign_to(self, agent, save=True):
        self.assignee = agent
        self.team = agent.team if agent is not None else self.team
        if self.status == self.Status.NEW:
            self.status = self.Status.OPEN
        if save:
            self.save(update_fields=["assignee", "team", "status", "updated_at"])

    def mark_resolved(self):
        self.status = self.Status.RESOLVED
        self.resolved_at = timezone.now()
        self.save(update_fields=["status", "resolved_at", "updated_at"])

    def close(self):
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at", "updated_at"])


class OpenTicketManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status__in=TicketQuerySet.OPEN_STATES)


class OpenTicket(Ticket):
    """Proxy used by the admin queue and the stale-ticket command."""

    objects = OpenTicketManager()

    class Meta:
        proxy = True
        verbose_name = "open ticket"


class Comment(TimeStampedModel):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_comments")
    body = models.TextField()
    is_internal = models.BooleanField(default=False, help_text="Internal notes are hidden from the customer")
    source_message_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment #{self.pk} on {self.ticket.reference}"


class Attachment(TimeStampedModel):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, help_text="Path relative to MEDIA_ROOT")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return self.original_name
