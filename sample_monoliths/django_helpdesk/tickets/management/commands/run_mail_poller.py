"""
Long-running IMAP poller: turns support mailbox messages into tickets.

Runs under supervisord on the app server:  python manage.py run_mail_poller
"""
import imaplib
import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tickets.tasks import process_inbound_email

logger = logging.getLogger("tickets.mail_poller")


class Command(BaseCommand):
    help = "Poll the support mailbox forever and queue each new e-mail for processing."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.HELPDESK_IMAP["POLL_INTERVAL"])
        parser.add_argument("--once", action="store_true", help="Poll a single time and exit")

    def handle(self, *args, **options):
        self._stop = False
        signal.signal(signal.SIGTERM, self._request_stop)
        interval = options["interval"]
        self.stdout.write(f"mail poller started, interval={interval}s")
        while True:
            try:
                queued = self.poll_once()
                if queued:
                    logger.info("queued %d message(s)", queued)
            except (imaplib.IMAP4.error, OSError):
                logger.exception("IMAP poll failed; retrying in %ss", interval)
            if options["once"] or self._stop:
                break
            time.sleep(interval)

    def _request_stop(self, signum, frame):
        self._stop = True

    def poll_once(self):
        conf = settings.HELPDESK_IMAP
        conn = imaplib.IMAP4_SSL(conf["HOST"], conf["PORT"])
        try:
            conn.login(conf["USER"], conf["PASSWORD"])
            conn.select(conf["MAILBOX"])
            _, data = conn.search(None, "UNSEEN")
            queued = 0
            for num in data[0].split():
                _, msg_data = conn.fetch(num, "(RFC822)")
                raw = msg_data[0][1].decode("utf-8", "replace")
                process_inbound_email.delay(raw, message_id=num.decode())
                conn.store(num, "+FLAGS", "\\Seen")
                queued += 1
            return queued
        finally:
            try:
                conn.logout()
            except imaplib.IMAP4.error:
                pass
