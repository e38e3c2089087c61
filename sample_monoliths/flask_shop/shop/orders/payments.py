"""Thin client for the card gateway (REST, JSON).  No SDK: this predates it."""
import json
import logging
import socket
import urllib.error
import urllib.request
import uuid

log = logging.getLogger(__name__)


class PaymentError(Exception):
    pass


class PaymentDeclined(PaymentError):
    pass


class GatewayUnavailable(PaymentError):
    pass


class PaymentGateway:
    def __init__(self, base_url, api_key, timeout=10):
        self.base_url = base_url.rstrip("/") if base_url else None
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_config(cls, config):
        return cls(config.get("PAYMENT_GATEWAY_URL"), config.get("PAYMENT_API_KEY", ""))

    def _post(self, path, payload, idempotency_key):
        headers = {"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json",
                   "Idempotency-Key": idempotency_key}
        request = urllib.request.Request(self.base_url + path, data=json.dumps(payload).encode(),
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 402:
                raise PaymentDeclined(exc.read().decode(errors="replace")) from exc
            raise GatewayUnavailable(f"gateway returned {exc.code}") from exc
        except (urllib.error.URLError, socket.timeout) as exc:
            raise GatewayUnavailable(str(exc)) from exc

    def charge(self, amount_cents, currency, token, reference):
        """Capture ``amount_cents``; returns the gateway's charge id."""
        if self.base_url is None:  # sandbox (dev, tests)
            if token == "tok_declined":
                raise PaymentDeclined("card declined (sandbox)")
            return "sandbox_" + uuid.uuid4().hex[:16]
        payload = {"amount": amount_cents, "currency": currency.lower(), "source": token,
                   "reference": reference}
        data = self._post("/v1/charges", payload, idempotency_key=f"charge-{reference}")
        return data["id"]
