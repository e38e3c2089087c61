from django.contrib import admin

from .models import DailyTicketStats, ReportExport, TicketStatusChange


@admin.register(DailyTicketStats)
class DailyTicketStatsAdmin(admin.ModelAdmin):
    list_display = ("date", "team", "created_count", "resolved_count", "breached_count", "escalated_count")
    list_filter = ("team",)
    date_hierarchy = "date"


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ("kind", "requested_by", "status", "row_count", "created_at", "finished_at")
    list_filter = ("kind", "status")


@admin.register(TicketStatusChange)
class TicketStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("ticket", "from_status", "to_status", "changed_at")
    raw_id_fields = ("ticket",)
