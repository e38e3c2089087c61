"""Outbound email (SMTP) and SMS (HTTP gateway).

With ``MAIL_SUPPRESS_SEND`` on, messages are appended to
``app.extensions["outbox"]`` instead, which the tests inspect.
"""
import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def _outbox():
    return current_app.extensions.setdefault("outbox", [])


def send_email(to, subject, body):
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if cfg["MAIL_SUPPRESS_SEND"]:
        _outbox().append({"channel": "email", "to": to, "subject": subject, "body": body})
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=15) as smtp:
        smtp.send_message(msg)


def send_text(phone, body):
    cfg = current_app.config
    if cfg["MAIL_SUPPRESS_SEND"] or not cfg.get("SMS_GATEWAY_URL"):
        _outbox().append({"channel": "sms", "to": phone, "body": body})
        return
    request = urllib.request.Request(
        cfg["SMS_GATEWAY_URL"],
        data=json.dumps({"to": phone, "text": body[:480]}).encode(),
        headers={"Content-Type": "application/json", "X-Api-Key": cfg["SMS_API_KEY"] or ""},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        log.debug("sms gateway answered %s", response.status)
