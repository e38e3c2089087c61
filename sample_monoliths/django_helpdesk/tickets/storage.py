"""Attachment storage on the app server's disk (under MEDIA_ROOT)."""
import logging
import mimetypes
import os
import uuid

from django.conf import settings

from core.utils import safe_filename

from .models import Attachment

logger = logging.getLogger(__name__)

ATTACHMENT_DIR = "attachments"


def attachment_relpath(ticket, filename):
    return os.path.join(ATTACHMENT_DIR, str(ticket.pk), f"{uuid.uuid4().hex[:8]}-{safe_filename(filename)}")


def save_attachment(ticket, filename, chunks, uploaded_by=None, comment=None, content_type=""):
    """Write ``chunks`` (an iterable of bytes) to MEDIA_ROOT and record it."""
    relpath = attachment_relpath(ticket, filename)
    full_path = os.path.join(settings.MEDIA_ROOT, relpath)
    os.makedirs(os.path.dirname(full_path), exist_ok=True)
    size = 0
    with open(full_path, "wb") as fh:
        for chunk in chunks:
            size += len(chunk)
            if size > settings.ATTACHMENT_MAX_SIZE:
                fh.close()
                os.remove(full_path)
                raise ValueError(f"Attachment {filename!r} is larger than the allowed maximum")
            fh.write(chunk)
    logger.info("stored attachment %s for ticket %s (%d bytes)", relpath, ticket.reference, size)
    return Attachment.objects.create(
        ticket=ticket,
        comment=comment,
        uploaded_by=uploaded_by,
        original_name=filename,
        stored_path=relpath,
        content_type=content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        size=size,
    )


def attachment_full_path(attachment):
    return os.path.join(settings.MEDIA_ROOT, attachment.stored_path)


def delete_attachment_file(attachment):
    try:
        os.remove(attachment_full_path(attachment))
    except FileNotFoundError:
        logger.warning("attachment file already gone: %s", attachment.stored_path)
