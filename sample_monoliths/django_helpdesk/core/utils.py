import secrets
import string
from datetime import timedelta

from django.utils import timezone

BUSINESS_DAY_START = 8
BUSINESS_DAY_END = 18
_ALPHABET = string.ascii_uppercase + string.digits


def generate_reference(prefix="HD", length=6):
    """Human friendly reference such as ``HD-7QK2ZP``."""
    return f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def add_business_minutes(start, minutes):
    """Add ``minutes`` of business time (Mon-Fri, 08:00-18:00) to ``start``."""
    current = timezone.localtime(start)
    remaining = minutes
    while remaining > 0:
        if current.weekday() >= 5:
            current = (current + timedelta(days=1)).replace(hour=BUSINESS_DAY_START, minute=0)
            continue
        if current.hour < BUSINESS_DAY_START:
            current = current.replace(hour=BUSINESS_DAY_START, minute=0)
        end_of_day = current.replace(hour=BUSINESS_DAY_END, minute=0, second=0, microsecond=0)
        if current >= end_of_day:
            current = (current + timedelta(days=1)).replace(hour=BUSINESS_DAY_START, minute=0)
            continue
        available = int((end_of_day - current).total_seconds() // 60)
        step = min(available, remaining)
        current += timedelta(minutes=step)
        remaining -= step
    return current


def client_ip(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def safe_filename(name, max_length=120):
    keep = "".join(c for c in name if c.isalnum() or c in "._- ").strip()
    return (keep or "file")[:max_length]
