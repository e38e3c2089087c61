"""statsd-style counters, flushed by a background thread every few seconds.

Importing this module starts the flusher; call ``incr()`` from anywhere.
"""
import collections
import logging
import os
import socket
import threading
import time

log = logging.getLogger(__name__)

FLUSH_INTERVAL = float(os.environ.get("SHOP_METRICS_FLUSH_SECONDS", "10"))
STATSD_ADDR = os.environ.get("STATSD_HOST")  # "host:port"; unset = log only

_COUNTERS = collections.Counter()
_LOCK = threading.Lock()


def incr(name, value=1):
    with _LOCK:
        _COUNTERS[name] += value


def snapshot():
    with _LOCK:
        return dict(_COUNTERS)


def _flush():
    with _LOCK:
        data = dict(_COUNTERS)
        _COUNTERS.clear()
    if not data:
        return
    if not STATSD_ADDR:
        log.debug("metrics: %s", data)
        return
    host, _, port = STATSD_ADDR.partition(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for name, value in data.items():
            sock.sendto(f"shop.{name}:{value}|c".encode(), (host, int(port or 8125)))
    finally:
        sock.close()


def _flush_forever():
    while True:
        time.sleep(FLUSH_INTERVAL)
        try:
            _flush()
        except Exception:  # never let the flusher die
            log.exception("metrics flush failed")


_flusher = threading.Thread(target=_flush_forever, name="metrics-flusher", daemon=True)
_flusher.start()
