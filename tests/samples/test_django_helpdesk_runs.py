"""Smoke test: the django_helpdesk sample monolith is a real, working Django project.

Everything runs in a subprocess (cwd = the sample root, its own settings and a
temporary database/media folder) so no Django or Celery state leaks into the
pytest process. No network and no broker: Celery uses ``memory://`` and runs
eagerly for the workflow part, Channels uses the in-memory layer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLE_ROOT = Path(__file__).resolve().parents[2] / "sample_monoliths" / "django_helpdesk"

PROJECT_APPS = ("accounts", "tickets", "knowledge", "notifications", "reporting", "escalations")

SCRIPT = r"""
import asyncio
import json
import os
from io import StringIO

import django

django.setup()

from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = %(project_apps)r
result = {}

check_out = StringIO()
call_command("check", stdout=check_out)
result["check"] = check_out.getvalue().strip()


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            # CBVs carry view_class, DRF views carry cls (api_view renames its wrapper after the function).
            view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            target = view_class or callback
            yield {
                "pattern": prefix + str(entry.pattern),
                "handler": f"{target.__module__}.{target.__name__}",
                "actions": getattr(callback, "actions", None),
                "name": entry.name,
            }


result["urls"] = list(walk(get_resolver().url_patterns))
result["models"] = sorted(
    f"{m._meta.app_label}.{m.__name__}" for m in apps.get_models() if m._meta.app_label in PROJECT_APPS
)

from helpdesk.celery import app as celery_app

celery_app.loader.import_default_modules()
celery_app.autodiscover_tasks(force=True)
result["tasks"] = sorted(name for name in celery_app.tasks if not name.startswith("celery."))
result["beat"] = {key: entry["task"] for key, entry in celery_app.conf.beat_schedule.items()}
result["broker"] = celery_app.conf.broker_url

from helpdesk.asgi import application
from tickets.routing import websocket_urlpatterns

result["asgi"] = type(application).__name__
result["websocket"] = [str(p.pattern) for p in websocket_urlpatterns]

# --- exercise the app end to end on a throw-away database -------------------
from django.core import mail
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
call_command("migrate", run_syncdb=True, verbosity=0)

from accounts.models import Agent, Team, User
from escalations.models import EscalationRequest, SLATimer
from escalations.tasks import start_escalation
from notifications.models import EmailNotification
from reporting.models import DailyTicketStats, ReportExport, TicketStatusChange
from tickets.models import SLAPolicy, Ticket

manager = User.objects.create_user("mona", "mona@example.com", "pw", role="manager")
lead_user = User.objects.create_user("lars", "lars@example.com", "pw", role="agent")
t2_user = User.objects.create_user("tara", "tara@example.com", "pw", role="agent")
customer = User.objects.create_user("cora", "cora@customer.test", "pw")
tier1 = Team.objects.create(name="Tier 1", slug="tier-1", tier=1, manager=manager)
tier2 = Team.objects.create(name="Tier 2", slug="tier-2", tier=2, manager=manager)
lead = Agent.objects.create(user=lead_user, team=tier1, tier=1)
tier1.lead = lead
tier1.save()
tier2_agent = Agent.objects.create(user=t2_user, team=tier2, tier=2)
SLAPolicy.objects.create(name="Standard", priority=1, first_response_minutes=60, resolution_minutes=480)

ticket = Ticket.objects.create(subject="Printer on fire", description="It is on fire.", requester=customer, team=tier1)
flow = {
    "sla_timer": SLATimer.objects.filter(ticket=ticket).exists(),
    "sla_policy": ticket.sla_policy.name,
    "status_changes_after_create": TicketStatusChange.objects.filter(ticket=ticket).count(),
    "emails_after_create": EmailNotification.objects.filter(ticket=ticket, status="sent").count(),
}

client = Client()
client.force_login(customer)
response = client.get("/api/v1/tickets/")
flow["api_list"] = [response.status_code, response.json()["count"]]
response = client.post(f"/api/v1/tickets/{ticket.pk}/comments/", {"body": "Any news?"})
flow["api_comment"] = response.status_code
upload = StringIO("log line\n")
upload.name = "printer.log"
response = client.post(f"/tickets/{ticket.pk}/attachments/", {"file": upload})
flow["upload"] = response.status_code
flow["upload_on_disk"] = os.path.exists(
    os.path.join(os.environ["HELPDESK_MEDIA_ROOT"], "attachments", str(ticket.pk), "printer.log")
)

start_escalation.delay(ticket.pk, "SLA breached")
escalation = EscalationRequest.objects.get(ticket=ticket)
flow["escalation_before_approval"] = escalation.status

client.force_login(manager)
response = client.post(f"/escalations/approve/{escalation.approval_token}/confirm/", {"note": "ok"})
flow["approve"] = response.status_code
escalation.refresh_from_db()
ticket.refresh_from_db()
flow["escalation_after_approval"] = escalation.status
flow["ticket_status"] = ticket.status
flow["ticket_assignee"] = ticket.assignee.user.username
flow["steps"] = list(escalation.steps.values_list("name", flat=True))
flow["escalated_count"] = DailyTicketStats.objects.get(team=tier2).escalated_count

client.force_login(lead_user)
response = client.post("/reports/exports/new/", {"kind": "tickets"})
flow["export"] = [response.status_code, ReportExport.objects.get().status, ReportExport.objects.get().row_count]
flow["emails_sent"] = len(mail.outbox)


async def live_update():
    # channels.testing needs daphne, which the sample does not depend on: drive the ASGI app directly.
    from asgiref.testing import ApplicationCommunicator
    from channels.db import database_sync_to_async
    from channels.routing import URLRouter

    scope = {
        "type": "websocket",
        "path": f"/ws/tickets/{ticket.pk}/",
        "query_string": b"",
        "headers": [],
        "subprotocols": [],
        "user": customer,
    }
    communicator = ApplicationCommunicator(URLRouter(websocket_urlpatterns), scope)
    await communicator.send_input({"type": "websocket.connect"})
    accepted = await communicator.receive_output(5)
    ticket.status = Ticket.Status.RESOLVED
    await database_sync_to_async(ticket.save)()
    message = json.loads((await communicator.receive_output(5))["text"])
    await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
    await communicator.wait(5)
    return [accepted["type"], message["type"], message["event"], message["ticket"]["status"]]


flow["websocket"] = asyncio.run(live_update())
result["flow"] = flow
print("RESULT=" + json.dumps(result, sort_keys=True))
"""


def run_sample(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "HELPDESK_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(SAMPLE_ROOT),
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "HELPDESK_DB_PATH": str(tmp_path / "db.sqlite3"),
            "HELPDESK_MEDIA_ROOT": str(tmp_path / "media"),
            "HELPDESK_SESSION_DIR": str(tmp_path),
        }
    )
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT % {"project_apps": PROJECT_APPS}],
        cwd=SAMPLE_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT=")]
    assert lines, completed.stdout[-2000:] + completed.stderr[-2000:]
    return json.loads(lines[-1][len("RESULT=") :])


def test_django_helpdesk_sample_runs(tmp_path: Path) -> None:
    result = run_sample(tmp_path)

    assert result["check"] == "System check identified no issues (0 silenced)."

    urls = {u["pattern"]: u["handler"] for u in result["urls"]}
    expected_urls = {
        "api/v1/^tickets/$": "tickets.api.TicketViewSet",
        "api/v1/^tickets/(?P<pk>[^/.]+)/$": "tickets.api.TicketViewSet",
        "api/v1/^tickets/(?P<pk>[^/.]+)/assign/$": "tickets.api.TicketViewSet",
        "api/v1/^tickets/(?P<pk>[^/.]+)/escalate/$": "tickets.api.TicketViewSet",
        "api/v1/^tickets/mine/$": "tickets.api.TicketViewSet",
        "api/v1/^tags/(?P<slug>[^/.]+)/$": "tickets.api.TagViewSet",
        "api/v1/^sla-policies/$": "tickets.api.SLAPolicyViewSet",
        "api/v1/^agents/(?P<pk>[^/.]+)/availability/$": "accounts.views.AgentViewSet",
        "api/v1/tickets/<int:ticket_id>/comments/": "tickets.api.ticket_comments",
        "api/v1/escalations/<int:pk>/": "escalations.views.escalation_status",
        "tickets/": "tickets.views.TicketListView",
        "tickets/new/": "tickets.views.TicketCreateView",
        "tickets/<int:pk>/": "tickets.views.TicketDetailView",
        "tickets/<int:pk>/close/": "tickets.views.close_ticket",
        "tickets/<int:pk>/attachments/": "tickets.views.upload_attachment",
        "tickets/<int:pk>/attachments/<int:attachment_id>/": "tickets.views.download_attachment",
        "accounts/profile/": "accounts.views.profile",
        "kb/^articles/(?P<slug>[-\\w]+)/$": "knowledge.views.ArticleDetailView",
        "kb/^showarticle\\.php$": "knowledge.views.legacy_article_redirect",
        "notifications/<int:pk>/read/": "notifications.views.mark_read",
        "reports/exports/new/": "reporting.views.request_export",
        "reports/exports/<int:pk>/download/": "reporting.views.download_export",
        "escalations/approve/<uuid:token>/confirm/": "escalations.views.approve_escalation",
        "escalations/approve/<uuid:token>/reject/": "escalations.views.reject_escalation",
        "healthz/": "helpdesk.urls.healthcheck",
    }
    for pattern, handler in expected_urls.items():
        assert urls.get(pattern) == handler, (pattern, urls.get(pattern))
    # DRF adds "head" next to "get" by itself; compare the declared mapping.
    actions = {
        u["pattern"]: {method: name for method, name in u["actions"].items() if method != "head"}
        for u in result["urls"]
        if u["actions"]
    }
    assert actions["api/v1/^tickets/$"] == {"get": "list", "post": "create"}
    assert actions["api/v1/^tickets/(?P<pk>[^/.]+)/$"] == {
        "get": "retrieve",
        "put": "update",
        "patch": "partial_update",
        "delete": "destroy",
    }
    assert actions["api/v1/^tickets/(?P<pk>[^/.]+)/assign/$"] == {"post": "assign"}
    assert any(p.startswith("admin/") for p in urls)

    expected_models = {
        "accounts.User",
        "accounts.Agent",
        "accounts.Team",
        "accounts.Organization",
        "accounts.CustomerProfile",
        "tickets.Ticket",
        "tickets.OpenTicket",
        "tickets.Comment",
        "tickets.Attachment",
        "tickets.Tag",
        "tickets.SLAPolicy",
        "knowledge.Category",
        "knowledge.Article",
        "knowledge.ArticleFeedback",
        "notifications.Notification",
        "notifications.EmailNotification",
        "notifications.SMSNotification",
        "notifications.SlackNotification",
        "notifications.NotificationPreference",
        "reporting.DailyTicketStats",
        "reporting.TicketStatusChange",
        "reporting.ReportExport",
        "escalations.SLATimer",
        "escalations.EscalationRequest",
        "escalations.EscalationStep",
    }
    assert set(result["models"]) == expected_models

    expected_tasks = {
        "helpdesk.celery.debug_task",
        "tickets.tasks.check_sla_breaches",
        "tickets.tasks.auto_close_resolved_tickets",
        "tickets.tasks.recalculate_sla_deadlines",
        "tickets.tasks.process_inbound_email",
        "notifications.tasks.notify_user",
        "notifications.tasks.notify_ticket_created",
        "notifications.tasks.notify_ticket_assigned",
        "notifications.tasks.notify_comment_added",
        "notifications.tasks.deliver_notification",
        "notifications.tasks.send_email_notification",
        "notifications.tasks.send_sms_notification",
        "notifications.tasks.send_slack_notification",
        "notifications.tasks.purge_old_notifications",
        "helpdesk.reports.daily",  # reporting.tasks.generate_daily_report, explicit name=
        "reporting.tasks.generate_weekly_report",
        "reporting.tasks.export_tickets_csv",
        "escalations.tasks.start_escalation",
        "escalations.tasks.snapshot_ticket",
        "escalations.tasks.notify_team_lead",
        "escalations.tasks.request_manager_approval",
        "escalations.tasks.reassign_to_tier2",
        "escalations.tasks.notify_customer",
        "escalations.tasks.notify_new_assignee",
        "escalations.tasks.notify_team_lead_done",
        "escalations.tasks.finalize_escalation",
        "escalations.tasks.expire_pending_approvals",
    }
    assert set(result["tasks"]) == expected_tasks
    assert result["beat"] == {
        "auto-close-resolved-tickets": "tickets.tasks.auto_close_resolved_tickets",
        "check-sla-breaches": "tickets.tasks.check_sla_breaches",
        "expire-pending-escalation-approvals": "escalations.tasks.expire_pending_approvals",
        "generate-daily-report": "helpdesk.reports.daily",
        "generate-weekly-report": "reporting.tasks.generate_weekly_report",
        "purge-old-notifications": "notifications.tasks.purge_old_notifications",
    }
    assert set(result["beat"].values()) <= set(result["tasks"])
    assert result["broker"] == "memory://"

    assert result["asgi"] == "ProtocolTypeRouter"
    assert result["websocket"] == ["^ws/tickets/(?P<ticket_id>\\d+)/$", "ws/tickets/", "ws/presence/"]

    flow = result["flow"]
    assert flow["sla_timer"] is True
    assert flow["sla_policy"] == "Standard"
    assert flow["status_changes_after_create"] == 1
    assert flow["emails_after_create"] == 2  # the customer and the team lead
    assert flow["api_list"] == [200, 1]
    assert flow["api_comment"] == 201
    assert flow["upload"] == 201
    assert flow["upload_on_disk"] is True
    assert flow["escalation_before_approval"] == "awaiting_approval"
    assert flow["approve"] == 200
    assert flow["escalation_after_approval"] == "completed"
    assert flow["ticket_status"] == "escalated"
    assert flow["ticket_assignee"] == "tara"
    assert flow["steps"] == [
        "started",
        "notify_team_lead",
        "approval_requested",
        "approved",
        "reassign",
        "completed",
    ]
    assert flow["escalated_count"] == 1
    assert flow["export"] == [202, "done", 1]
    assert flow["emails_sent"] >= 4
    assert flow["websocket"] == ["websocket.accept", "ticket.update", "status_changed", "resolved"]
