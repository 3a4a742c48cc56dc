#!/usr/bin/env python3
"""A door sensor integration: tells the VMS that a door opened, as an event
on the camera that watches it, so rules, the event list and playback show it.

Usage: door_sensor.py [DOOR]   (e.g. called by the sensor's contact script)

Environment:
  VMS_URL      where control listens, e.g. https://vms.example:8080
  VMS_API_KEY  a key holding event.create on the camera
  VMS_CAMERA   the id of the camera that sees the door

Needs the Python SDK: pip install ./sdk/python
"""

import os
import sys
import time
import uuid

import httpx

from techno_vms_sdk import AuthenticatedClient
from techno_vms_sdk.api.events import create_event
from techno_vms_sdk.models import ErrorBody, PostEvent, PostEventAttributesType0


def main() -> int:
    door = sys.argv[1] if len(sys.argv) > 1 else "front"
    vms = AuthenticatedClient(
        base_url=os.environ["VMS_URL"],
        token=os.environ["VMS_API_KEY"],
        prefix="",
        auth_header_name="X-Api-Key",
        timeout=httpx.Timeout(10.0),
    )
    # One id for the event and its retries: the VMS keeps it once however
    # often it is sent, so no Idempotency-Key is needed here.
    event_id = uuid.uuid4()
    event = PostEvent(
        camera_id=uuid.UUID(os.environ["VMS_CAMERA"]),
        type_="door_opened",
        id=event_id,
        attributes=PostEventAttributesType0.from_dict({"door": door}),
    )
    for attempt in range(5):
        try:
            answer = create_event.sync_detailed(client=vms, body=event)
        except httpx.TransportError as e:
            print(f"VMS unreachable ({e}); trying again", file=sys.stderr)
            time.sleep(2**attempt)
            continue
        if answer.status_code == 202:
            print(f"posted door_opened {event_id} for door {door}")
            return 0
        # 429: over the rate limit; 503: the message bus briefly away. A door
        # event is worth little an hour late: wait at most a minute.
        if answer.status_code in (429, 503):
            time.sleep(min(int(answer.headers.get("retry-after", "1")), 60))
            continue
        why = answer.parsed.message if isinstance(answer.parsed, ErrorBody) else answer.content[:200]
        print(f"refused ({answer.status_code}): {why}", file=sys.stderr)
        return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
