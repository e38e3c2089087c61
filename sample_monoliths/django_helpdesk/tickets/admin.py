from django.contrib import admin

from .models import Attachment, Comment, OpenTicket, SLAPolicy, Tag, Ticket


class CommentInline(admin.StackedInline):
    model = Comment
    extra = 0
    raw_id_fields = ("author",)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ("original_name", "stored_path", "size", "content_type")
    exclude = ("comment",)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("reference", "subject", "status", "priority", "assignee", "team", "created_at")
    list_filter = ("status", "priority", "channel", "team")
    search_fields = ("reference", "subject", "requester__email")
    raw_id_fields = ("requester", "assignee", "merged_into")
    filter_horizontal = ("tags", "watchers")
    date_hierarchy = "created_at"
    inlines = [CommentInline, AttachmentInline]
    actions = ["mark_resolved"]

    @admin.action(description="Mark selected tickets as resolved")
    def mark_resolved(self, request, queryset):
        for ticket in queryset:
            ticket.mark_resolved()


@admin.register(OpenTicket)
class OpenTicketAdmin(TicketAdmin):
    list_display = ("reference", "subject", "priority", "first_response_due_at", "resolution_due_at")
    ordering = ("resolution_due_at",)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "priority", "first_response_minutes", "resolution_minutes", "business_hours_only")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "color")
    prepopulated_fields = {"slug": ("name",)}
