// Browser benchmark of the playback timeline (`scripts/bench.sh timeline`):
// how long Chromium takes to draw the timeline of 16 cameras over 30 days
// (each camera with a 5-minute gap every hour: 720 recorded stretches, and
// 4 events an hour, of which the newest 500 are marked), measured as the
// time from a pan of the view to the painted frame after it, median of 30;
// beside it, in the same browser, the baseline of one camera over one hour.
//
// What is measured is the app's drawing alone, so the app (web/dist, built)
// is served from here and its API answered with generated footage: the
// server's own time for the same 30 days × 16 cameras is `scripts/bench.sh
// ranges`. Prints a table, then JSON on its last line.

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

import { launch } from "./browser.mjs";

const DIST = new URL("../dist/", import.meta.url).pathname;
const REPEATS = Number(process.env.VMS_REPEATS ?? 30);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".map": "application/json" };

/// The built app, with client-side routes falling back to index.html.
function serveApp() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(DIST, path);
    let body = await readFile(file).catch(() => null);
    if (!body || path === "/") {
      file = join(DIST, "index.html");
      body = await readFile(file);
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const cameraIds = (n) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`);

/// Footage from `from` to now with a 5-minute gap every hour.
function ranges(start, end) {
  const out = [];
  for (let t = Math.floor(start / HOUR) * HOUR; t < end; t += HOUR) {
    const a = Math.max(t, start);
    const b = Math.min(t + 55 * 60_000, end, NOW);
    if (b > a) out.push({ start: new Date(a).toISOString(), end: new Date(b).toISOString() });
  }
  return out;
}

/// Four events an hour on each camera asked for, in the window (newest first, at most `limit`).
function events(cameras, start, end, limit) {
  const items = [];
  for (let t = Math.floor(end / (15 * 60_000)) * 15 * 60_000; t >= start && items.length < limit; t -= 15 * 60_000) {
    for (const camera of cameras) {
      if (t > NOW || items.length >= limit) continue;
      items.push({
        id: `${camera}-${t}`, tenant_id: "t", site_id: "s1", site_name: "HQ", camera_id: camera, camera_name: camera.slice(-2),
        type: t % HOUR === 0 ? "object" : "motion", start: new Date(t).toISOString(), end: new Date(t + 20_000).toISOString(),
        attributes: {}, has_snapshot: false, updated_at: new Date(t).toISOString(),
      });
    }
  }
  return { items };
}

/// Answers the app's API calls for a layout of `cameras`.
function answer(cameras) {
  return async (route) => {
    const url = new URL(route.request().url());
    const json = (body, status = 200) => route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });
    const p = url.pathname;
    const all = url.searchParams.getAll("camera_id");
    if (p === "/api/auth/login" || p === "/api/auth/refresh") return json({ access_token: "a", refresh_token: "r", expires_in: 3600 });
    if (p === "/api/auth/me")
      return json({ id: "u", username: "bench", tenant_id: "t", tenant_name: "Bench", super_admin: false, permissions: ["camera.view_archive", "event.read"], access: { t: ["camera.view_archive", "event.read"] } });
    if (p === "/api/sites") return json({ items: [{ id: "s1", name: "HQ", timezone: "UTC" }] });
    if (p === "/api/cameras") return json({ items: cameras.map((id) => ({ id, site_id: "s1", name: `Camera ${id.slice(-2)}`, enabled: true, streams: [] })) });
    if (p === "/api/cameras/deleted" || p === "/api/layouts") return json(p.endsWith("deleted") ? [] : { items: [] });
    if (p === "/api/recordings/ranges") {
      const start = Date.parse(url.searchParams.get("start"));
      const end = Date.parse(url.searchParams.get("end"));
      return json({ cameras: all.map((camera_id) => ({ camera_id, ranges: ranges(start, end) })) });
    }
    if (p === "/api/events") {
      const q = url.searchParams;
      return json(events((q.get("cameras") ?? "").split(","), Date.parse(q.get("start")), Date.parse(q.get("end")), Number(q.get("limit") ?? 50)));
    }
    if (p === "/api/bookmarks") return json({ items: [] });
    if (p === "/api/events/ws-ticket") return json({ code: "forbidden", message: "not in this bench" }, 403);
    // Players: no footage is played in this bench.
    return json({ code: "not_found", message: "not in this bench" }, 404);
  };
}

/// Median draw time (ms) of the timeline of `n` cameras over `span`: from a
/// pan (the arrow key on the timeline) to just after the next frame is
/// painted (a task queued from its animation frame runs after the paint).
async function measure(browser, base, n, span) {
  const cameras = cameraIds(n);
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.route("**/api/**", answer(cameras));
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.fill('input[name="username"]', "bench");
  await page.fill('input[name="password"]', "bench");
  await page.click('button[type="submit"]');
  const query = new URLSearchParams(cameras.map((c) => ["camera", c]));
  query.set("at", new Date(NOW - span / 2).toISOString());
  await page.goto(`${base}/playback?${query}`);
  await page.waitForSelector(".timeline .rows");
  // Zoom out to the span asked for.
  for (let i = 0; i < 20; i += 1) {
    const label = await page.textContent('[aria-label="Timeline span"]');
    if ((span >= DAY && label === `${span / DAY} days`) || (span < DAY && label === `${span / HOUR} h`)) break;
    await page.click('button[aria-label="Zoom out"]');
  }
  const label = await page.textContent('[aria-label="Timeline span"]');
  // Wait for the footage and events of the view.
  await page.waitForFunction((n) => document.querySelectorAll(".timeline .row").length === n && document.querySelectorAll(".timeline .recorded").length >= n, n, { timeout: 30000 });
  await page.waitForTimeout(1500);
  const bars = await page.evaluate(() => document.querySelectorAll(".timeline .recorded, .timeline .mark").length);
  const times = await page.evaluate(async (repeats) => {
    const rows = document.querySelector(".timeline .rows");
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const out = [];
    for (let i = 0; i < repeats; i += 1) {
      await frame();
      const t0 = performance.now();
      rows.dispatchEvent(new KeyboardEvent("keydown", { key: i % 2 ? "ArrowRight" : "ArrowLeft", bubbles: true }));
      await painted();
      out.push(performance.now() - t0);
    }
    return out;
  }, REPEATS);
  await context.close();
  times.sort((a, b) => a - b);
  return { cameras: n, span: label, elements: bars, median_ms: times[Math.floor(times.length / 2)], p90_ms: times[Math.floor(times.length * 0.9)] };
}

const server = await serveApp();
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
try {
  const baseline = await measure(browser, base, 1, HOUR);
  const full = await measure(browser, base, 16, 30 * DAY);
  const line = (what, r) => `| ${what} | ${r.cameras} | ${r.span} | ${r.elements} | ${r.median_ms.toFixed(1)} | ${r.p90_ms.toFixed(1)} |`;
  console.log("| timeline | cameras | span | bars and marks drawn | median ms | p90 ms |");
  console.log("|---|---|---|---|---|---|");
  console.log(line("16 cameras, 30 days", full));
  console.log(line("baseline: 1 camera, 1 hour", baseline));
  console.log(`target: < 100 ms for 16 cameras over 30 days (one frame at 60 Hz is 16.7 ms)`);
  console.log(JSON.stringify({ full, baseline }));
} finally {
  await browser.close();
  server.close();
}
