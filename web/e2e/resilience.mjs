// Browser test of the player's resilience, driven by the Rust test
// `crates/vms/tests/browser.rs`:
// 1. tiles scrolled out of view stop their stream, and start when scrolled back;
// 2. after it prints "reconnect: ready", the test restarts the media plane and
//    creates VMS_SIGNAL_FILE; every tile must play again by itself.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { launch, signIn } from "./browser.mjs";

const base = process.env.VMS_URL;
const out = process.env.VMS_ARTIFACTS ?? "test-results";
const signal = process.env.VMS_SIGNAL_FILE;
mkdirSync(out, { recursive: true });

const statuses = (page) => page.evaluate(() => [...document.querySelectorAll(".player")].map((p) => p.dataset.status));
const browser = await launch();
let failed = false;
try {
  // Short enough that the second row of a 2×2 grid is out of view.
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 340 } })).newPage();
  await signIn(page, `${base}/?layout=4`, process.env.VMS_USER, process.env.VMS_PASSWORD);
  await page.waitForFunction(
    () => {
      const p = [...document.querySelectorAll(".player")];
      return p.length === 4 && p[0].dataset.status === "playing" && p[1].dataset.status === "playing";
    },
    null,
    { timeout: 30000 },
  );
  await page.waitForTimeout(1000);
  const before = await statuses(page);
  await page.evaluate(() => document.querySelector(".grid").scrollTo(0, 100000));
  await page.waitForFunction(
    () => [...document.querySelectorAll(".player")].slice(2).every((p) => p.dataset.status === "playing"),
    null,
    { timeout: 30000 },
  );
  const after = await statuses(page);
  const offscreenOk = before.join() === "playing,playing,paused,paused" && after[0] === "paused" && after[1] === "paused";
  console.log(`offscreen: ${offscreenOk ? "ok" : "FAILED"} (in view ${before}; scrolled ${after})`);
  if (!offscreenOk) failed = true;

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForFunction(() => [...document.querySelectorAll(".player")].every((p) => p.dataset.status === "playing"), null, { timeout: 30000 });
  console.log("reconnect: ready");
  while (!existsSync(signal)) await new Promise((r) => setTimeout(r, 100));
  const restarted = Date.now();
  // Count the pictures each tile shows from now on: the media plane is down, so
  // two seconds' worth can only come after the player reconnected.
  await page.evaluate(() => {
    // What each tile went through, for the log.
    const t0 = performance.now();
    window.__steps = [];
    document.querySelectorAll(".player").forEach((player, i) =>
      new MutationObserver(() => {
        const message = player.querySelector(".overlay-message")?.textContent ?? "";
        window.__steps.push(`${((performance.now() - t0) / 1000).toFixed(1)}s tile ${i} ${player.dataset.status} ${message}`.trim());
      }).observe(player, { attributes: true, attributeFilter: ["data-status"] }),
    );
    window.__shown = [...document.querySelectorAll(".tile video")].map((video, i) => {
      const count = () => {
        window.__shown[i] += 1;
        video.requestVideoFrameCallback(count);
      };
      video.requestVideoFrameCallback(count);
      return 0;
    });
  });
  try {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll(".player")].every((p, i) => p.dataset.status === "playing" && window.__shown[i] >= 50),
      null,
      { timeout: 60000, polling: 250 },
    );
    console.log(`reconnect: ok (all tiles playing again ${((Date.now() - restarted) / 1000).toFixed(1)} s after the media plane restarted)`);
    console.log((await page.evaluate(() => window.__steps)).join("\n"));
  } catch (e) {
    failed = true;
    const why = await page.evaluate(() =>
      [...document.querySelectorAll(".player")].map((p) => p.querySelector(".overlay-message")?.textContent ?? ""),
    );
    console.log(`reconnect: FAILED ${JSON.stringify(await statuses(page))} ${JSON.stringify(why)} (${e.message})`);
    console.log((await page.evaluate(() => window.__steps)).join("\n"));
  }
  await page.screenshot({ path: join(out, "live-after-restart.png") });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
