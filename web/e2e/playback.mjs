// Browser test of playback: signs in at the playback address of one camera
// (a deep link), sees its recorded stretches on the timeline, plays the
// recording (the video's time advances, pictures are drawn, and the tile
// shows the clock's moment), steps a frame, fast-forwards at 8× from the
// I-frame playlist, and reloads into the same screen at the same moment.
// Then a user without archive rights follows the same link and is refused.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`, which starts the
// system with the recorder; run by hand with VMS_URL, VMS_USER,
// VMS_PASSWORD, VMS_CAMERA (a camera with some recorded seconds) and,
// optionally, VMS_VIEWER_USER and VMS_VIEWER_PASSWORD (live rights only).

import { mkdirSync } from "node:fs";
import { join } from "node:path";

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

const tile = `.player.archive[data-camera="${camera}"]`;
/** Waits until the tile has loaded footage (paused or playing). */
const loaded = (page, timeout = 30000) =>
  page
    .waitForFunction(
      (selector) => ["paused", "playing"].includes(document.querySelector(selector)?.dataset.status),
      tile,
      { timeout },
    )
    .catch(async (e) => {
      const state = await page.evaluate((selector) => {
        const p = document.querySelector(selector);
        return p ? `${p.dataset.status}: ${p.textContent}` : "no tile";
      }, tile);
      throw new Error(`the tile did not load its recording (${state}): ${e.message}`);
    });

/** Watches the tile's video for `ms`: how far its time and the clock moved, and the pictures drawn. */
const watch = (page, ms) =>
  page.evaluate(
    ({ selector, ms }) =>
      new Promise((resolve) => {
        const video = document.querySelector(`${selector} video`);
        const screen = document.querySelector(".playback");
        const start = video.currentTime;
        const clock = Number(screen.dataset.clockMs);
        let frames = 0;
        const count = () => {
          frames += 1;
          video.requestVideoFrameCallback(count);
        };
        video.requestVideoFrameCallback(count);
        setTimeout(
          () =>
            resolve({
              advanced: video.currentTime - start,
              clock: (Number(screen.dataset.clockMs) - clock) / 1000,
              // How far the picture is from the clock's moment, in seconds.
              offset: (Number(video.dataset.momentMs) - Number(screen.dataset.clockMs)) / 1000,
              playlist: video.dataset.playlist,
              frames,
              width: video.videoWidth,
              height: video.videoHeight,
            }),
          ms,
        );
      }),
    { selector: tile, ms },
  );

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  try {
    // The deep link: the sign-in form appears at it, and the app stays there.
    await signIn(page, `${base}/playback?camera=${camera}`, process.env.VMS_USER, process.env.VMS_PASSWORD);
    await page.waitForSelector('[role="group"][aria-label="Transport"]', { timeout: 20000 });
    const bars = await page
      .waitForFunction((id) => document.querySelectorAll(`.timeline .row[data-row="${id}"] .recorded`).length, camera, { timeout: 20000 })
      .then((h) => h.jsonValue());
    check("deep link opens playback", new URL(page.url()).pathname === "/playback", page.url());
    check("recorded ranges on the timeline", bars >= 1, `${bars} stretch(es) drawn`);
    await loaded(page);

    // Hovering over the recorded stretch shows its picture at that moment.
    const bar = await page.locator(`.timeline .row[data-row="${camera}"] .recorded`).first().boundingBox();
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    const thumb = await page
      .waitForFunction(() => {
        const img = document.querySelector(".timeline .hover-card img");
        return img?.complete && img.naturalWidth > 0 ? { width: img.naturalWidth, alt: img.alt } : null;
      }, null, { timeout: 10000 })
      .then((h) => h.jsonValue())
      .catch(() => null);
    check("thumbnail while hovering", thumb !== null, thumb ? `${thumb.width} px wide: ${thumb.alt}` : "no picture");

    // The wheel over the timeline zooms in (from 1 h).
    const span = () => page.textContent('[aria-label="Timeline span"]');
    const wide = await span();
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((w) => document.querySelector('[aria-label="Timeline span"]').textContent !== w, wide, { timeout: 5000 }).catch(() => {});
    const narrow = await span();
    check("wheel zoom", wide === "1 h" && narrow !== wide && narrow.endsWith("min"), `${wide} → ${narrow}`);
    await page.mouse.move(640, 300);

    // Play at 1×.
    await page.click('button[aria-label="Play"]');
    await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === "playing", tile, { timeout: 20000 });
    const played = await watch(page, 3000);
    check(
      "plays the recording",
      played.advanced > 2 && played.frames >= 20 && played.width > 0 && Math.abs(played.offset) < 1.5,
      `time +${played.advanced.toFixed(2)} s, clock +${played.clock.toFixed(2)} s, ${played.frames} frames in 3 s, ` +
        `${played.width}x${played.height}, ${played.offset.toFixed(2)} s from the clock`,
    );
    await page.screenshot({ path: join(out, "playback-1x.png") });

    // Pause and step one frame forward, then back: the clock moves by one
    // frame (25 fps), and the picture with it.
    await page.click('button[aria-label="Pause"]');
    await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === "paused", tile, { timeout: 10000 });
    await page.waitForTimeout(500);
    const state = () =>
      page.evaluate((s) => ({
        clock: Number(document.querySelector(".playback").dataset.clockMs),
        time: document.querySelector(`${s} video`).currentTime,
      }), tile);
    const settle = (from) =>
      page
        .waitForFunction(
          ({ s, from }) => Math.abs(document.querySelector(`${s} video`).currentTime - from) > 0.01 && !document.querySelector(`${s} video`).seeking,
          { s: tile, from },
          { timeout: 5000 },
        )
        .catch(() => {});
    const before = await state();
    await page.click('button[aria-label="Frame forward"]');
    await settle(before.time);
    const stepped = await state();
    await page.click('button[aria-label="Frame back"]');
    await settle(stepped.time);
    const back = await state();
    check(
      "frame step",
      // A frame of 25 fps (or the camera's reported rate), give or take the rounding of `data-clock-ms`.
      Math.abs(stepped.clock - before.clock - 40) <= 2 && Math.abs(back.clock - before.clock) <= 1 &&
        Math.abs(stepped.time - before.time - 0.04) < 0.025 && Math.abs(back.time - before.time) < 0.025,
      `clock +${stepped.clock - before.clock} ms then ${back.clock - stepped.clock} ms; ` +
        `picture ${before.time.toFixed(3)} → ${stepped.time.toFixed(3)} → ${back.time.toFixed(3)} s`,
    );

    // 8× from the I-frame playlist, from where the clock is (about half a minute before the latest footage).
    await page.selectOption('select[aria-label="Speed"]', "8");
    await page.click('button[aria-label="Play"]');
    await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === "playing", tile, { timeout: 20000 });
    const fast = await watch(page, 2000);
    check(
      "fast forward 8× (I-frame playlist)",
      fast.playlist === "iframes" && fast.advanced > 6 && fast.frames >= 3 && fast.width > 0,
      `${fast.playlist} playlist, time +${fast.advanced.toFixed(2)} s, clock +${fast.clock.toFixed(2)} s in 2 s, ${fast.frames} pictures drawn`,
    );
    await page.screenshot({ path: join(out, "playback-8x.png") });
    await page.click('button[aria-label="Pause"]');
    await page.selectOption('select[aria-label="Speed"]', "1");

    // A reload keeps the screen, the camera and the moment.
    await page.waitForFunction(() => new URL(location.href).searchParams.get("speed") === null, null, { timeout: 5000 });
    const address = new URL(page.url());
    const moment = Date.parse(address.searchParams.get("at"));
    await page.reload();
    await page.waitForSelector('[role="group"][aria-label="Transport"]', { timeout: 20000 });
    await loaded(page);
    const reloaded = new URL(page.url());
    const clock = Number(await page.evaluate(() => document.querySelector(".playback").dataset.clockMs));
    check(
      "reload keeps the screen",
      reloaded.pathname === "/playback" && reloaded.searchParams.get("camera") === camera && Math.abs(clock - moment) < 2000,
      `${address.pathname}${address.search} → ${reloaded.pathname}${reloaded.search}, clock ${((clock - moment) / 1000).toFixed(2)} s from the saved moment`,
    );
    await page.screenshot({ path: join(out, "playback-reloaded.png") });
    if (problems.length) check("no page errors", false, problems.join("; "));
  } catch (e) {
    failed = true;
    console.log(`playback: ${e.message}`);
    await page.screenshot({ path: join(out, "playback-failed.png") }).catch(() => {});
  } finally {
    await context.close();
  }

  // A user who may watch live but not recordings follows the same link.
  if (process.env.VMS_VIEWER_USER) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await signIn(page, `${base}/playback?camera=${camera}`, process.env.VMS_VIEWER_USER, process.env.VMS_VIEWER_PASSWORD);
      await page.waitForSelector('[role="alert"][aria-label="Not allowed"]', { timeout: 20000 });
      const offered = await page.evaluate(() => [...document.querySelectorAll('nav[aria-label="Screens"] a')].map((a) => a.textContent));
      const transport = await page.$('[aria-label="Transport"]');
      check("no archive rights, no playback", !offered.includes("Playback") && transport === null, `screens offered: ${offered.join(", ")}`);
    } catch (e) {
      failed = true;
      console.log(`no archive rights, no playback: FAILED (${e.message})`);
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
