// Browser test of events and bookmarks: an operator opens the events screen
// and sees its live feed connect; an integration posts an event, which a
// rule snapshots and notifies about. The event arrives at the top of the
// list without a reload, with the rule's picture, and the notification
// shows; the operator acknowledges it, a reload still shows it acknowledged,
// a filter hides it, and "play from here" opens playback at it. Then an
// administrator bookmarks the recorded minute from playback, locks its
// footage, finds it by tag, and unlocks it; then exports a minute from
// playback, follows it to the end, verifies it in the browser (hash and
// signature) and downloads it (`export.mp4` in the artifacts), and sees on
// the health screen the camera recording and the recorder's storage root.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`; run by hand with
// VMS_URL, VMS_USER and VMS_PASSWORD (an operator), VMS_CAMERA (a recording
// camera with a rule that snapshots and notifies on `door_forced`),
// VMS_POST_TOKEN (a bearer token that may post events for it) and
// VMS_ADMIN_USER, VMS_ADMIN_PASSWORD (holding evidence.lock).

import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { violations } from "./axe.mjs";
import { launch, signIn } from "./browser.mjs";

const base = required("VMS_URL");
const camera = required("VMS_CAMERA");
const out = process.env.VMS_ARTIFACTS ?? "test-results";
mkdirSync(out, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

let failed = false;
const check = (what, ok, detail) => {
  console.log(`${what}: ${ok ? "ok" : "FAILED"} (${detail})`);
  if (!ok) failed = true;
};

/// Posts an event as an integration would, through the API, as having
/// started `ago` ms before.
async function post(type, attributes, ago) {
  const response = await fetch(`${base}/api/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${required("VMS_POST_TOKEN")}`, "content-type": "application/json" },
    body: JSON.stringify({ camera_id: camera, type, attributes, start: new Date(Date.now() - ago).toISOString() }),
  });
  if (!response.ok) throw new Error(`posting the event: ${response.status} ${await response.text()}`);
  return (await response.json()).id;
}

const row = (id) => `.event-list li[data-event="${id}"]`;

/// Screens checked with axe-core, and what it found on each.
const audited = [];
async function audit(page, screen) {
  audited.push([screen, await violations(page).catch((e) => [`axe could not run: ${e.message}`])]);
}

const browser = await launch();
try {
  // The app's Content Security Policy refuses injected scripts; axe-core is one, in tests only.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  try {
    await signIn(page, `${base}/events`, required("VMS_USER"), required("VMS_PASSWORD"));
    await page.waitForSelector('.feed-status.open', { timeout: 20000 });
    check("events screen with its live feed", true, await page.textContent(".feed-status"));

    // An event posted now arrives without a reload, and the rule's
    // notification with it. It began 20 s ago (the integration noticed
    // late), so its picture and its playback come from the archive.
    const id = await post("door_forced", { door: "north" }, 20000);
    await page.waitForSelector(`${row(id)}.fresh`, { timeout: 20000 });
    const first = await page.evaluate(() => document.querySelector(".event-list li")?.dataset.event);
    check("a new event arrives live at the top", first === id, `first row ${first}, posted ${id}`);
    const notice = await page
      .waitForSelector('.notice:has-text("Door forced open")', { timeout: 20000 })
      .then((n) => n.textContent())
      .catch(() => null);
    check("the rule's notification shows", notice !== null, notice ?? "no notification");
    const picture = await page
      .waitForFunction((selector) => {
        const img = document.querySelector(`${selector} .snapshot img`);
        return img?.complete && img.naturalWidth > 0 ? img.naturalWidth : null;
      }, row(id), { timeout: 30000 })
      .then((h) => h.jsonValue())
      .catch(() => null);
    check("the rule's snapshot shows in the row", picture !== null, picture ? `${picture} px wide` : "no picture");
    await page.screenshot({ path: join(out, "events.png") });
    await audit(page, "events");

    // Acknowledge, and a reload finds it acknowledged from the search.
    await page.click(`${row(id)} button:has-text("Acknowledge")`);
    await page.waitForSelector(`${row(id)} .acked`, { timeout: 10000 });
    await page.reload();
    const acked = await page
      .waitForSelector(`${row(id)} .acked`, { timeout: 20000 })
      .then(() => true)
      .catch(() => false);
    check("acknowledged, and still after a reload", acked, acked ? "shown acknowledged" : "not acknowledged after reload");

    // A filter on another type hides it; the address keeps the filter.
    await page.fill('form[aria-label="Event filters"] input[list="event-types"]', "motion");
    await page.click('form[aria-label="Event filters"] button:has-text("Search")');
    await page.waitForFunction(() => new URL(location.href).searchParams.get("type") === "motion", null, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelector(".event-list")?.getAttribute("aria-busy") === "false", null, { timeout: 10000 });
    const hidden = (await page.$(row(id))) === null;
    check("a filter hides it", hidden, page.url());
    await page.click('form[aria-label="Event filters"] button:has-text("Clear")');
    await page.waitForSelector(row(id), { timeout: 10000 });

    // Play from here: playback of its camera, a little before the event.
    await page.click(`${row(id)} a:has-text("Play from here")`);
    await page.waitForSelector('[role="group"][aria-label="Transport"]', { timeout: 20000 });
    const address = new URL(page.url());
    const tile = await page
      .waitForFunction(
        (id) => ["paused", "playing"].includes(document.querySelector(`.player.archive[data-camera="${id}"]`)?.dataset.status),
        camera,
        { timeout: 30000 },
      )
      .then(() => true)
      .catch(() => false);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, "playback-event.png") });
    check(
      "play from here",
      address.pathname === "/playback" && address.searchParams.get("camera") === camera && tile,
      `${address.pathname}${address.search}, tile ${tile ? "loaded" : "did not load"}`,
    );
    if (problems.length) check("no page errors", false, problems.join("; "));
  } catch (e) {
    failed = true;
    console.log(`events: ${e.message}`);
    await page.screenshot({ path: join(out, "events-failed.png") }).catch(() => {});
  } finally {
    await context.close();
  }

  // An administrator bookmarks a past minute from playback and locks it.
  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page2 = await admin.newPage();
  try {
    const at = new Date(Date.now() - 90_000).toISOString();
    await signIn(page2, `${base}/playback?camera=${camera}&at=${encodeURIComponent(at)}`, required("VMS_ADMIN_USER"), required("VMS_ADMIN_PASSWORD"));
    await page2.waitForSelector('[role="group"][aria-label="Transport"]', { timeout: 20000 });
    await page2.click('button:has-text("Bookmark")');
    const form = 'form[aria-label="New bookmark"]';
    await page2.waitForSelector(form, { timeout: 10000 });
    await page2.fill(`${form} label:has-text("Name") input`, "Door forced, north");
    await page2.fill(`${form} label:has-text("Tags") input`, "door, e2e");
    await page2.check(`${form} label:has-text("Lock the footage") input`);
    await page2.click(`${form} button:has-text("Save bookmark")`);
    const saved = await page2.waitForSelector('.notice-line', { timeout: 10000 }).then((n) => n.textContent());
    const locked = await page2.waitForSelector('.bookmark.locked:has-text("Door forced, north")', { timeout: 10000 }).then(() => true).catch(() => false);
    check("bookmark and lock from playback", locked && saved.includes("locked"), saved);
    await page2.screenshot({ path: join(out, "bookmarks.png") });
    await audit(page2, "bookmarks");

    // Found by its tag; unlocked, it may be deleted again.
    await page2.goto(`${base}/bookmarks?tag=e2e`);
    await page2.waitForSelector('.bookmark:has-text("Door forced, north")', { timeout: 10000 });
    await page2.click('.bookmark:has-text("Door forced, north") button:has-text("Unlock")');
    const unlocked = await page2
      .waitForSelector('.bookmark:has-text("Door forced, north") button:has-text("Delete")', { timeout: 10000 })
      .then(() => true)
      .catch(() => false);
    check("found by tag, and unlocked", unlocked, page2.url());

    // Export a minute from playback, follow it to the end, check and download it.
    const from = new Date(Date.now() - 60_000).toISOString();
    await page2.goto(`${base}/playback?camera=${camera}&at=${encodeURIComponent(from)}`);
    await page2.waitForSelector('[role="group"][aria-label="Transport"]', { timeout: 20000 });
    await audit(page2, "playback");
    await page2.click('.transport button:has-text("Export")');
    await page2.waitForSelector('form[aria-label="New export"]', { timeout: 10000 });
    await page2.click('form[aria-label="New export"] button:has-text("Export")');
    const exported = await page2
      .waitForSelector('.export[data-status="done"]', { timeout: 60000 })
      .then(() => page2.textContent(".export"))
      .catch(async () => `not done: ${await page2.textContent(".export-screen").catch(() => "")}`);
    check("export runs to the end", exported.includes("Ready"), exported.replace(/\s+/g, " ").slice(0, 200));
    await page2.click('.export button:has-text("Verify")');
    const verdict = await page2
      .waitForSelector(".export .verification", { timeout: 30000 })
      .then((v) => v.textContent())
      .catch(() => "no verdict");
    check("export verified in the browser", verdict.startsWith("Verified: signed with this server's export key; signature valid; file matches its manifest"), verdict);
    const [download] = await Promise.all([
      page2.waitForEvent("download", { timeout: 30000 }),
      page2.click('.export button:has-text("Download MP4")'),
    ]);
    await download.saveAs(join(out, "export.mp4"));
    check("export downloads", download.suggestedFilename().endsWith(".mp4"), download.suggestedFilename());
    await page2.screenshot({ path: join(out, "export.png") });
    await audit(page2, "export");

    // Add a camera by its RTSP address; it comes online.
    if (process.env.VMS_CAMERA_URL) {
      await page2.goto(`${base}/cameras?new=1`);
      const form = 'form[aria-label="New camera"]';
      await page2.waitForSelector(form, { timeout: 10000 });
      await page2.fill(`${form} label:has-text("Name") input`, "Gate, second view");
      await page2.fill(`${form} label:has-text("Main RTSP address") input`, process.env.VMS_CAMERA_URL);
      await page2.click(`${form} button:has-text("Add camera")`);
      const online = await page2
        .waitForFunction(
          () => [...document.querySelectorAll(".cameras-screen tr")].find((r) => r.textContent.includes("Gate, second view"))?.textContent.includes("online"),
          null,
          { timeout: 30000, polling: 1000 },
        )
        .then(() => true)
        .catch(() => false);
      // The list is read when the screen opens: a reload shows the state the media plane reports.
      const shown = online || (await page2.reload().then(() => page2.waitForSelector('.cameras-screen tr:has-text("Gate, second view"):has-text("online")', { timeout: 20000 })).then(() => true).catch(() => false));
      check("add a camera by its RTSP address", shown, shown ? "online" : await page2.textContent(".cameras-screen"));
      await page2.screenshot({ path: join(out, "cameras.png") });
      await audit(page2, "cameras");
    }

    // Analytics: a line and a zone drawn on the camera's picture, saved, and there when the editor opens again.
    {
      const form = 'form[aria-label^="Analytics of"]';
      await page2.goto(`${base}/cameras?analytics=${camera}`);
      await page2.waitForSelector(`${form} svg`, { timeout: 15000 });
      // The camera's picture loaded (it sets the drawing's shape), or the grey area saying it is unavailable.
      const picture = await page2
        .waitForFunction(
          (f) => {
            const img = document.querySelector(`${f} .picture img`);
            if (img?.complete && img.naturalWidth > 0) return "the camera's picture";
            return document.querySelector(`${f} .no-picture`)?.textContent.includes("unavailable") && "no picture";
          },
          form,
          { timeout: 15000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => "still loading");
      check("the analytics editor shows the camera's picture", picture === "the camera's picture", picture);
      const box = await page2.locator(`${form} svg`).boundingBox();
      const at = (x, y) => page2.mouse.click(box.x + x * box.width, box.y + y * box.height);
      await page2.click(`${form} button:has-text("Add line")`);
      await at(0.3, 0.8);
      await at(0.3, 0.2);
      await page2.click(`${form} button:has-text("Add zone")`);
      for (const [x, y] of [[0.05, 0.3], [0.2, 0.3], [0.2, 0.7], [0.05, 0.7], [0.05, 0.3]]) await at(x, y);
      await page2.screenshot({ path: join(out, "analytics.png") });
      await audit(page2, "analytics");
      await page2.click(`${form} button[type="submit"]`);
      await page2.waitForSelector(form, { state: "detached", timeout: 10000 }).catch(() => {});
      await page2.goto(`${base}/cameras?analytics=${camera}`);
      const listed = await page2
        .waitForFunction(
          (f) => {
            const text = document.querySelector(`${f} ul[aria-label="Zones, lines and masks"]`)?.textContent ?? "";
            return text.includes("Line 1") && text.includes("Zone 1") && text;
          },
          form,
          { timeout: 10000 },
        )
        .then((h) => h.jsonValue())
        .catch(async () => `not listed: ${await page2.textContent("main").catch(() => "")}`);
      check("draw a line and a zone and save them", !listed.startsWith("not listed"), listed.slice(0, 200));
    }

    // Administration: a guard who may watch the Gate camera only.
    await page2.goto(`${base}/admin/users`);
    await page2.click('section[aria-label="Users"] button:has-text("New user")');
    const userForm = 'form[aria-label="New user"]';
    await page2.waitForSelector(userForm, { timeout: 10000 });
    await page2.fill(`${userForm} label:has-text("Login name") input`, "guard");
    await page2.fill(`${userForm} label:has-text("Password") >> nth=0 >> input`, "Guard-password-1");
    await page2.fill(`${userForm} label:has-text("Repeat the password") input`, "Guard-password-1");
    await page2.click(`${userForm} button:has-text("Add a grant on a site or camera")`);
    await page2.selectOption(`${userForm} label:has-text("Role of grant 1") select`, "viewer");
    await page2.selectOption(`${userForm} label:has-text("Place of grant 1") select`, `camera:${camera}`);
    await page2.click(`${userForm} button:has-text("Create user")`);
    const listed = await page2
      .waitForSelector('table[aria-label="User list"] tr:has-text("guard")', { timeout: 10000 })
      .then((r) => r.textContent())
      .catch(async () => `not listed: ${await page2.textContent('section[aria-label="Users"]').catch(() => "")}`);
    check("create a user with a camera-scoped role", !listed.startsWith("not listed"), listed.replace(/\s+/g, " ").slice(0, 200));
    await page2.screenshot({ path: join(out, "admin-users.png") });
    await audit(page2, "admin");
    const guardContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const guard = await guardContext.newPage();
    try {
      await signIn(guard, `${base}/live`, "guard", "Guard-password-1");
      await guard.waitForSelector(".tree .camera", { timeout: 20000 });
      await guard.waitForTimeout(1000);
      const seen = await guard.evaluate(() => [...document.querySelectorAll(".tree .camera")].map((c) => c.textContent.trim()));
      const screens = await guard.evaluate(() => [...document.querySelectorAll('nav[aria-label="Screens"] a')].map((a) => a.textContent));
      check(
        "the guard sees only that camera",
        seen.length === 1 && seen[0].includes("Gate") && !seen[0].includes("second") && !screens.includes("Admin"),
        `cameras: ${seen.join(", ")}; screens: ${screens.join(", ")}`,
      );
      await guard.click('button:has-text("Sign out")');
      const signedOut = await guard.waitForSelector('input[name="username"]', { timeout: 10000 }).then(() => true).catch(() => false);
      check("sign out", signedOut, signedOut ? "back at the sign-in form" : "still signed in");
    } finally {
      await guardContext.close();
    }

    // On a phone, every screen fits its width (tables scroll inside their panels).
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const small = await phone.newPage();
    try {
      await signIn(small, `${base}/events`, required("VMS_ADMIN_USER"), required("VMS_ADMIN_PASSWORD"));
      await small.waitForSelector(".appbar", { timeout: 20000 });
      const overflowing = [];
      for (const [name, path, ready] of [
        ["events", "/events", ".event-list"],
        ["bookmarks", "/bookmarks", ".bookmarks-screen"],
        ["export", "/export", 'form[aria-label="New export"]'],
        ["cameras", "/cameras", ".cameras-screen tr[data-camera]"],
        ["health", "/health", 'section[aria-label="Storage"]'],
        ["admin", "/admin/users", 'table[aria-label="User list"]'],
        ["playback", `/playback?camera=${camera}`, ".timeline .rows"],
      ]) {
        await small.goto(`${base}${path}`);
        const shown = await small.waitForSelector(ready, { timeout: 20000 }).then(() => true).catch(() => false);
        if (!shown) {
          overflowing.push(`${name} did not show (${ready})`);
          await small.screenshot({ path: join(out, `phone-${name}-failed.png`) });
          continue;
        }
        await small.waitForTimeout(300);
        const wide = await small.evaluate(() => {
          const screen = document.querySelector(".screen");
          return Math.max(document.documentElement.scrollWidth, screen?.scrollWidth ?? 0) - window.innerWidth;
        });
        if (wide > 1) overflowing.push(`${name} is ${wide} px too wide`);
        await small.screenshot({ path: join(out, `phone-${name}.png`) });
      }
      check("every screen fits a phone", overflowing.length === 0, overflowing.join("; ") || "7 screens at 390 px");
    } finally {
      await phone.close();
    }

    // Health: the planes, the recorder's storage root and the camera, recording.
    await page2.goto(`${base}/health`);
    const health = await page2
      .waitForFunction(
        (id) => {
          const row = document.querySelector(`tr[data-camera="${id}"]`);
          const root = document.querySelector('section[aria-label="Storage"] tr[data-root]');
          return row?.dataset.status === "online" && row.textContent.includes("recording") && root ? `${row.textContent} | ${root.textContent}` : null;
        },
        camera,
        { timeout: 30000 },
      )
      .then((h) => h.jsonValue())
      .catch(async () => `not shown: ${await page2.textContent(".health-screen").catch(() => "")}`);
    check("health shows the camera recording and the storage root", !health.startsWith("not shown"), health.slice(0, 300));
    await page2.screenshot({ path: join(out, "health.png"), fullPage: true });
    await audit(page2, "health");
  } catch (e) {
    failed = true;
    console.log(`bookmarks: ${e.message}`);
    await page2.screenshot({ path: join(out, "bookmarks-failed.png") }).catch(() => {});
  } finally {
    await admin.close();
  }
} finally {
  await browser.close();
}
const found = audited.filter(([, v]) => v.length > 0);
check(
  "no serious accessibility violations",
  audited.length >= 6 && found.length === 0,
  found.length ? found.map(([screen, v]) => `${screen}: ${v.join(" | ")}`).join(" || ") : `axe-core on ${audited.map(([s]) => s).join(", ")}`,
);
process.exit(failed ? 1 : 0);
