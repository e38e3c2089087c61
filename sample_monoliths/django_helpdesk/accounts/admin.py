from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agent, CustomerProfile, Organization, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Helpdesk", {"fields": ("role", "phone", "timezone")}),)
    list_display = ("username", "email", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")


class AgentInline(admin.TabularInline):
    model = Agent
    fk_name = "team"
    extra = 0
    fields = ("user", "tier", "is_available", "max_open_tickets")
    raw_id_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "tier", "lead", "manager", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AgentInline]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "tier", "is_available", "last_seen_at")
    list_filter = ("team", "tier", "is_available")
    search_fields = ("user__username", "user__email")
    filter_horizontal = ("skills",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "email_domain", "is_vip")
    search_fields = ("name", "email_domain")


admin.site.register(CustomerProfile)
