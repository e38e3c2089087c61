from django.contrib import admin

from .models import EscalationRequest, EscalationStep, SLATimer


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0
    readonly_fields = ("name", "status", "detail", "created_at")


@admin.register(EscalationRequest)
class EscalationRequestAdmin(admin.ModelAdmin):
    list_display = ("ticket", "level", "status", "team_lead", "new_assignee", "created_at")
    list_filter = ("status", "level")
    raw_id_fields = ("ticket", "requested_by", "approver")
    readonly_fields = ("approval_token",)
    inlines = [EscalationStepInline]


@admin.register(SLATimer)
class SLATimerAdmin(admin.ModelAdmin):
    list_display = ("ticket", "started_at", "resolution_due_at", "breached_at", "stopped_at")
    raw_id_fields = ("ticket",)
