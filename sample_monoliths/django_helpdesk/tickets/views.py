import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import CreateView, DetailView, ListView

from core.permissions import agent_required, is_agent

from .models import Attachment, Comment, Ticket
from .storage import attachment_full_path, save_attachment


def _visible_tickets(user):
    qs = Ticket.objects.select_related("requester", "assignee__user", "team")
    return qs if is_agent(user) else qs.filter(requester=user)


class TicketListView(LoginRequiredMixin, ListView):
    model = Ticket
    paginate_by = 25
    template_name = "tickets/ticket_list.html"

    def get_queryset(self):
        qs = _visible_tickets(self.request.user)
        status = self.request.GET.get("status")
        if status:
            qs = qs.filter(status=status)
        query = self.request.GET.get("q")
        if query:
            qs = qs.filter(subject__icontains=query)
        return qs.prefetch_related("tags")


class TicketDetailView(LoginRequiredMixin, DetailView):
    model = Ticket
    template_name = "tickets/ticket_detail.html"

    def get_queryset(self):
        return _visible_tickets(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        comments = self.object.comments.select_related("author")
        if not is_agent(self.request.user):
            comments = comments.filter(is_internal=False)
        ctx["comments"] = comments
        ctx["attachments"] = self.object.attachments.all()
        return ctx


class TicketCreateView(LoginRequiredMixin, CreateView):
    model = Ticket
    fields = ["subject", "description", "priority", "tags"]
    template_name = "tickets/ticket_form.html"

    def form_valid(self, form):
        form.instance.requester = self.request.user
        form.instance.channel = Ticket.Channel.WEB
        profile = getattr(self.request.user, "customer_profile", None)
        if profile is not None:
            form.instance.organization = profile.organization
        messages.success(self.request, "Your ticket has been created.")
        return super().form_valid(form)


@login_required
@require_POST
def add_comment(request, pk):
    ticket = get_object_or_404(_visible_tickets(request.user), pk=pk)
    body = request.POST.get("body", "").strip()
    if not body:
        messages.error(request, "Comment cannot be empty.")
        return redirect(ticket)
    comment = Comment.objects.create(
        ticket=ticket,
        author=request.user,
        body=body,
        is_internal=bool(request.POST.get("internal")) and is_agent(request.user),
    )
    for upload in request.FILES.getlist("files"):
        save_attachment(ticket, upload.name, upload.chunks(), request.user, comment, upload.content_type)
    return redirect(ticket)


@login_required
@agent_required
@require_POST
def close_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    if ticket.status == Ticket.Status.CLOSED:
        return JsonResponse({"detail": "already closed"}, status=409)
    ticket.close()
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"status": ticket.status})
    return redirect("tickets:list")


@login_required
@require_http_methods(["GET", "POST"])
def upload_attachment(request, pk):
    ticket = get_object_or_404(_visible_tickets(request.user), pk=pk)
    if request.method == "GET":
        return render(request, "tickets/attachment_form.html", {"ticket": ticket})

    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "no file"}, status=400)
    if upload.size > settings.ATTACHMENT_MAX_SIZE:
        return JsonResponse({"error": "file too large"}, status=413)

    # Keep the original upload next to the others for this ticket.
    folder = os.path.join(settings.MEDIA_ROOT, "attachments", str(ticket.pk))
    os.makedirs(folder, exist_ok=True)
    filename = os.path.basename(upload.name)
    with open(os.path.join(settings.MEDIA_ROOT, "attachments", str(ticket.pk), filename), "wb") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)

    attachment = Attachment.objects.create(
        ticket=ticket,
        uploaded_by=request.user,
        original_name=filename,
        stored_path=os.path.join("attachments", str(ticket.pk), filename),
        content_type=upload.content_type or "",
        size=upload.size,
    )
    return JsonResponse({"id": attachment.pk, "name": attachment.original_name}, status=201)


@login_required
def download_attachment(request, pk, attachment_id):
    ticket = get_object_or_404(_visible_tickets(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, ticket=ticket)
    if attachment.comment_id and attachment.comment.is_internal and not is_agent(request.user):
        raise PermissionDenied
    path = attachment_full_path(attachment)
    if not os.path.exists(path):
        raise Http404("Attachment file is missing")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=attachment.original_name)
