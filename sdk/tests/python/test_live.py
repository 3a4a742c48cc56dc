"""The Python SDK against a running system.

crates/vms/tests/sdk.rs starts one and runs these with VMS_URL, VMS_USER,
VMS_PASSWORD and VMS_CAMERA set, and sdk/python on PYTHONPATH.
"""

import hashlib
import os
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from techno_vms_sdk import AuthenticatedClient, Client
from techno_vms_sdk.api.api_keys import create_api_key
from techno_vms_sdk.api.auth import login
from techno_vms_sdk.api.cameras import list_cameras
from techno_vms_sdk.api.events import create_event, search_events
from techno_vms_sdk.api.exports import create_export, download_export, get_export
from techno_vms_sdk.api.playback import list_recordings
from techno_vms_sdk.api.sites import list_sites
from techno_vms_sdk.models import (
    CameraList,
    CreateApiKey,
    CreateExport,
    ErrorBody,
    LoginRequest,
    PostEvent,
    PostEventAttributesType0,
    TokenResponse,
)


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this through crates/vms/tests/sdk.rs")
    return value


URL = env("VMS_URL")
CAMERA = uuid.UUID(env("VMS_CAMERA"))


def eventually(what, check, seconds=30):
    until = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > until:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def user() -> AuthenticatedClient:
    tokens = login.sync(
        client=Client(base_url=URL), body=LoginRequest(username=env("VMS_USER"), password=env("VMS_PASSWORD"))
    )
    assert isinstance(tokens, TokenResponse), tokens
    return AuthenticatedClient(base_url=URL, token=tokens.access_token)


def with_key(user: AuthenticatedClient, name: str, permissions: list[str]) -> AuthenticatedClient:
    """A client authenticated by a fresh API key with `permissions`."""
    created = create_api_key.sync(client=user, body=CreateApiKey(name=name, permissions=permissions))
    assert not isinstance(created, ErrorBody), created
    return AuthenticatedClient(base_url=URL, token=created.key, prefix="", auth_header_name="X-Api-Key")


def test_a_login_lists_the_cameras(user):
    cameras = list_cameras.sync(client=user)
    assert isinstance(cameras, CameraList), cameras
    [cam] = [c for c in cameras.items if c.id == CAMERA]
    assert cam.name == "cam"
    assert [s.role for s in cam.streams] == ["main"]


def test_an_api_key_posts_events_and_pages_through_them(user):
    vms = with_key(user, "py-events", ["event.create", "event.read"])
    kind = f"sdk_py_{int(time.time() * 1000)}"
    for i in range(3):
        attributes = PostEventAttributesType0.from_dict({"door": f"d{i}"})
        posted = create_event.sync(client=vms, body=PostEvent(camera_id=CAMERA, type_=kind, attributes=attributes))
        assert not isinstance(posted, ErrorBody), posted

    def all_pages():
        seen, cursor = [], None
        while True:
            kwargs = {"cursor": cursor} if cursor else {}
            page = search_events.sync(client=vms, types=[kind], limit=1, **kwargs)
            assert not isinstance(page, ErrorBody), page
            assert len(page.items) <= 1
            seen.extend(page.items)
            cursor = page.next_cursor if isinstance(page.next_cursor, str) else None
            if not cursor:
                return seen if len(seen) == 3 else None

    seen = eventually("the three events stored", all_pages)
    assert sorted(e.attributes.to_dict()["door"] for e in seen) == ["d0", "d1", "d2"]
    assert all(e.camera_id == CAMERA and e.type_ == kind for e in seen)


def test_an_export_is_made_downloaded_and_matches_its_hash(user):
    vms = with_key(user, "py-export", ["camera.view_archive", "camera.export"])
    now = datetime.now(UTC)
    recorded = list_recordings.sync(
        client=vms, id=CAMERA, role="main", start=(now - timedelta(hours=1)).isoformat(), end=now.isoformat()
    )
    assert not isinstance(recorded, ErrorBody), recorded
    assert recorded.ranges, "something is recorded"
    first = recorded.ranges[0]
    start = first.start
    end = min(start + timedelta(seconds=3), first.end)
    created = create_export.sync(
        client=vms, body=CreateExport(camera_id=CAMERA, start=start.isoformat(), end=end.isoformat())
    )
    assert not isinstance(created, ErrorBody), created

    def finished():
        view = get_export.sync(client=vms, id=created.id)
        assert not isinstance(view, ErrorBody), view
        assert view.status != "failed", view.error
        return view if view.status == "done" else None

    done = eventually("the export", finished)
    file = download_export.sync_detailed(client=vms, id=created.id)
    assert file.status_code == 200
    assert len(file.content) == done.bytes_
    assert file.content[4:8] == b"ftyp", "an MP4"
    assert hashlib.sha256(file.content).hexdigest() == done.sha256


def test_a_bad_api_key_is_a_401_with_the_common_error_body():
    vms = AuthenticatedClient(base_url=URL, token="vms_not-a-real-key", prefix="", auth_header_name="X-Api-Key")
    answer = list_cameras.sync_detailed(client=vms)
    assert answer.status_code == 401
    assert isinstance(answer.parsed, ErrorBody)
    assert answer.parsed.code == "unauthenticated"


def test_a_caller_over_the_rate_limit_gets_a_429_with_retry_after(user):
    vms = with_key(user, "py-limited", ["camera.view_live"])
    # The default limit is 600 calls a minute per caller.
    for _ in range(800):
        answer = list_sites.sync_detailed(client=vms)
        if answer.status_code == 429:
            break
        assert answer.status_code == 200, answer.content
    else:
        pytest.fail("no 429 within 800 calls")
    assert isinstance(answer.parsed, ErrorBody)
    assert answer.parsed.code == "resource_exhausted"
    assert 1 <= int(answer.headers["retry-after"]) <= 60
