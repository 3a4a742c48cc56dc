#!/usr/bin/env python3
"""Receives the VMS's webhook calls and checks that each one is genuine: its
signature (HMAC-SHA256 under the webhook's secret) and its age, so a forged
call, or one captured and sent again later, is refused. A call the VMS sends
again (it did not hear the answer) carries the same delivery id: it is
acknowledged without being acted on twice.

Usage: webhook_receiver.py [PORT]   (default 8099; point the webhook's URL at it)

Environment:
  VMS_WEBHOOK_SECRET  the secret the VMS showed once when the webhook was created

Only the standard library is needed.
"""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["VMS_WEBHOOK_SECRET"].encode()
MAX_BODY = 1 << 20
# Delivery ids already acted on (the most recent ones; a signature is only
# good for five minutes, so older repeats are refused by their age anyway).
SEEN: OrderedDict[str, None] = OrderedDict()
SEEN_MAX = 10_000
SEEN_LOCK = threading.Lock()


def first_time(delivery: str) -> bool:
    """True the first time a delivery id is seen."""
    with SEEN_LOCK:
        if delivery in SEEN:
            return False
        SEEN[delivery] = None
        if len(SEEN) > SEEN_MAX:
            SEEN.popitem(last=False)
        return True


def verify(headers, body: bytes) -> bool:
    """True when the call was signed with the secret less than five minutes ago."""
    timestamp = headers.get("X-VMS-Timestamp", "")
    signature = headers.get("X-VMS-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    mac = hmac.new(SECRET, timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + mac.hexdigest(), signature)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_BODY:
            self.send_response(413)
            self.end_headers()
            return
        body = self.rfile.read(length)
        if not verify(self.headers, body):
            print("refused a call with a bad or stale signature", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        delivery = self.headers.get("X-VMS-Delivery", "")
        if first_time(delivery):
            call = json.loads(body)
            event = call["event"]
            print(
                f"{event['type']} on {event.get('camera_name')} at {event['start']}: "
                f"{json.dumps(event.get('attributes', {}))} (rule {call['rule']['name']}, delivery {delivery})",
                flush=True,
            )
        # Any 2xx tells the VMS the call arrived; anything else is retried.
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8099
    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on port {port}", flush=True)
    server.serve_forever()
