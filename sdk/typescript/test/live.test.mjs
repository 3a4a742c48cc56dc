// The TypeScript SDK against a running system (crates/vms/tests/sdk.rs starts
// one and sets VMS_URL, VMS_USER, VMS_PASSWORD and VMS_CAMERA). Run with
// `node --test sdk/typescript/test/` after `npx tsc -p sdk/typescript`.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { VmsClient, VmsError, createVmsClient } from "../dist/index.js";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through crates/vms/tests/sdk.rs`);
  return value;
};
const baseUrl = env("VMS_URL");
const camera = env("VMS_CAMERA");
const user = createVmsClient({ baseUrl, credentials: { username: env("VMS_USER"), password: env("VMS_PASSWORD") } });

/** A fresh API key with `permissions`, made by the signed-in user. */
async function apiKey(name, permissions) {
  const created = await VmsClient.ok(await user.api.POST("/api/api-keys", { body: { name, permissions } }));
  return created.key;
}

async function eventually(what, check, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("a login lists the cameras", async () => {
  const cameras = await VmsClient.ok(await user.api.GET("/api/cameras"));
  const cam = cameras.items.find((c) => c.id === camera);
  assert.ok(cam, `camera ${camera} is listed`);
  assert.equal(cam.name, "cam");
  assert.deepEqual(
    cam.streams.map((s) => s.role),
    ["main"],
  );
  const me = await VmsClient.ok(await user.api.GET("/api/auth/me"));
  assert.equal(me.username, env("VMS_USER"));
});

test("a login whose session ends on the server signs in again, with its new grants", async () => {
  const username = `ts-op-${Date.now()}`;
  const password = "Ts-operator-password-1";
  const created = await VmsClient.ok(await user.api.POST("/api/users", { body: { username, password, roles: ["operator"] } }));
  const op = createVmsClient({ baseUrl, credentials: { username, password } });
  const before = await VmsClient.ok(await op.api.GET("/api/auth/me"));
  assert.ok(before.permissions.includes("camera.export"), before.permissions.join());
  // Changing a user's grants ends their sessions: the next call meets a 401.
  await VmsClient.ok(
    await user.api.PATCH("/api/users/{id}", { params: { path: { id: created.id } }, body: { roles: ["viewer"] } }),
  );
  const after = await VmsClient.ok(await op.api.GET("/api/auth/me"));
  assert.ok(!after.permissions.includes("camera.export"), after.permissions.join());
  assert.ok(after.permissions.includes("camera.view_live"));
});

test("an API key posts events and pages through them with the cursor", async () => {
  const vms = createVmsClient({ baseUrl, credentials: { apiKey: await apiKey("ts-events", ["event.create", "event.read"]) } });
  const type = `sdk_ts_${Date.now()}`;
  for (let i = 0; i < 3; i++) {
    const posted = await VmsClient.ok(
      await vms.api.POST("/api/events", { body: { camera_id: camera, type, attributes: { door: `d${i}` } } }),
    );
    assert.match(posted.id, /^[0-9a-f-]{36}$/);
  }
  const seen = [];
  await eventually("the three events stored", async () => {
    seen.length = 0;
    let cursor;
    do {
      const page = await VmsClient.ok(await vms.api.GET("/api/events", { params: { query: { types: [type], limit: 1, cursor } } }));
      assert.ok(page.items.length <= 1, "a page holds at most `limit` events");
      seen.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return seen.length === 3;
  });
  assert.deepEqual(seen.map((e) => e.attributes.door).sort(), ["d0", "d1", "d2"]);
  assert.ok(seen.every((e) => e.camera_id === camera && e.type === type));
});

test("an export of recorded footage is made, downloaded and matches its hash", async () => {
  const vms = createVmsClient({ baseUrl, credentials: { apiKey: await apiKey("ts-export", ["camera.view_archive", "camera.export"]) } });
  const now = new Date();
  const hour = new Date(now.getTime() - 3600_000);
  const recorded = await VmsClient.ok(
    await vms.api.GET("/api/cameras/{id}/streams/{role}/recordings", {
      params: { path: { id: camera, role: "main" }, query: { start: hour.toISOString(), end: now.toISOString() } },
    }),
  );
  assert.ok(recorded.ranges.length > 0, "something is recorded");
  const start = new Date(recorded.ranges[0].start);
  const end = new Date(Math.min(start.getTime() + 3000, new Date(recorded.ranges[0].end).getTime()));
  const created = await VmsClient.ok(
    await vms.api.POST("/api/exports", {
      body: { camera_id: camera, stream: "main", start: start.toISOString(), end: end.toISOString(), watermark: false },
    }),
  );
  const done = await eventually("the export", async () => {
    const view = await VmsClient.ok(await vms.api.GET("/api/exports/{id}", { params: { path: { id: created.id } } }));
    assert.notEqual(view.status, "failed", view.error ?? "");
    return view.status === "done" ? view : undefined;
  });
  const file = await vms.api.GET("/api/exports/{id}/file", { params: { path: { id: created.id } }, parseAs: "arrayBuffer" });
  assert.equal(file.response.status, 200);
  const bytes = Buffer.from(await VmsClient.ok(file));
  assert.equal(bytes.length, done.bytes);
  assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp", "an MP4");
  assert.equal(createHash("sha256").update(bytes).digest("hex"), done.sha256);
});

test("a bad API key is a 401 with the common error body", async () => {
  const vms = createVmsClient({ baseUrl, credentials: { apiKey: "vms_not-a-real-key" } });
  await assert.rejects(VmsClient.ok(await vms.api.GET("/api/cameras")), (e) => {
    assert.ok(e instanceof VmsError);
    assert.equal(e.status, 401);
    assert.equal(e.code, "unauthenticated");
    return true;
  });
  const wrong = createVmsClient({ baseUrl, credentials: { username: env("VMS_USER"), password: "Not-the-password-1" } });
  await assert.rejects(wrong.api.GET("/api/cameras"), (e) => e instanceof VmsError && e.status === 401);
});

test("a caller over the rate limit gets a 429 with Retry-After", async () => {
  const vms = createVmsClient({ baseUrl, credentials: { apiKey: await apiKey("ts-limited", ["camera.view_live"]) } });
  let limited;
  // The default limit is 600 calls a minute per caller.
  for (let i = 0; i < 800 && !limited; i++) {
    const answer = await vms.api.GET("/api/sites");
    if (answer.response.status === 429) limited = answer;
    else assert.equal(answer.response.status, 200);
  }
  assert.ok(limited, "a 429 within 800 calls");
  await assert.rejects(VmsClient.ok(limited), (e) => {
    assert.equal(e.code, "resource_exhausted");
    assert.ok(e.retryAfter >= 1 && e.retryAfter <= 60, `Retry-After ${e.retryAfter}`);
    return true;
  });
});
