// Browser test of live view: signs in, opens a 2×2 layout of cameras and
// checks that every tile really decodes pictures (the video's time advances
// and requestVideoFrameCallback fires) over WebRTC, then over MSE with WebRTC
// turned off, then over HLS. Saves a screenshot of each run.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`, which starts the
// system; run by hand with VMS_URL, VMS_USER and VMS_PASSWORD set.

import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { violations } from "./axe.mjs";
import { launch, signIn } from "./browser.mjs";

const base = required("VMS_URL");
const user = required("VMS_USER");
const password = required("VMS_PASSWORD");
const out = process.env.VMS_ARTIFACTS ?? "test-results";
const runs = (process.env.VMS_PROTOCOLS ?? "webrtc,mse,hls").split(",");
const TRANSPORT = { webrtc: "auto", mse: "no-webrtc", hls: "hls-only" };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

mkdirSync(out, { recursive: true });
const browser = await launch();

let failed = false;
try {
  for (const protocol of runs) {
    // bypassCSP: axe-core is injected in tests only, which the app's policy refuses.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    try {
      await signIn(page, `${base}/?layout=4&transport=${TRANSPORT[protocol]}`, user, password);
      await page.waitForSelector('.grid[data-size="4"] .tile video', { timeout: 20000 });
      await page.waitForFunction(
        (p) => {
          const videos = [...document.querySelectorAll(".tile video")];
          return videos.length === 4 && videos.every((v) => v.dataset.protocol === p);
        },
        protocol,
        { timeout: 45000 },
      ).catch(async (e) => {
        const states = await page.evaluate(() =>
          [...document.querySelectorAll(".player")].map(
            (p) => `${p.dataset.status} over ${p.querySelector("video")?.dataset.protocol}: ${p.querySelector("video")?.dataset.skipped ?? p.textContent}`,
          ),
        );
        throw new Error(`not every tile plays over ${protocol}: ${states.join(" | ")} (${e.message})`);
      });
      const tiles = await page.evaluate(async () => {
        const videos = [...document.querySelectorAll(".tile video")];
        return Promise.all(
          videos.map(
            (video) =>
              new Promise((resolve) => {
                const start = video.currentTime;
                let frames = 0;
                const count = () => {
                  frames += 1;
                  video.requestVideoFrameCallback(count);
                };
                video.requestVideoFrameCallback(count);
                setTimeout(() => resolve({
                  camera: video.dataset.camera,
                  advanced: video.currentTime - start,
                  frames,
                  width: video.videoWidth,
                  height: video.videoHeight,
                }), 3000);
              }),
          ),
        );
      });
      for (const t of tiles) {
        const ok = t.advanced > 1.5 && t.frames >= 20 && t.width > 0;
        console.log(`${protocol} ${t.camera}: ${t.frames} frames in 3 s, time +${t.advanced.toFixed(2)} s, ${t.width}x${t.height} ${ok ? "ok" : "FAILED"}`);
        if (!ok) failed = true;
      }
      await page.screenshot({ path: join(out, `live-2x2-${protocol}.png`) });
      if (protocol === runs[0]) {
        const found = await violations(page).catch((e) => [`axe could not run: ${e.message}`]);
        console.log(`live screen accessibility: ${found.length === 0 ? "ok" : "FAILED"} (${found.join(" | ") || "axe-core: no serious violations"})`);
        if (found.length) failed = true;
        // A custom layout is saved for the user and offered again.
        page.once("dialog", (dialog) => dialog.accept("Entrance"));
        await page.click('button:has-text("Save")');
        await page.waitForSelector('select[aria-label="Saved layouts"] option[value="Entrance"]', { state: "attached", timeout: 10000 });
        console.log("layout saved: ok");
      }
      if (problems.length) {
        console.log(problems.join("\n"));
        failed = true;
      }
    } catch (e) {
      failed = true;
      console.log(`${protocol}: ${e.message}`);
      await page.screenshot({ path: join(out, `live-2x2-${protocol}-failed.png`) }).catch(() => {});
    } finally {
      await context.close();
    }
  }
  // On a phone: the tree hides behind the menu button and the tiles still play.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await phone.newPage();
    await signIn(page, `${base}/?layout=4&transport=no-webrtc`, user, password);
    await page.waitForFunction(() => [...document.querySelectorAll(".tile video")].some((v) => v.dataset.protocol), null, { timeout: 30000 });
    const treeHidden = await page.evaluate(() => document.querySelector(".tree").getBoundingClientRect().right <= 0);
    await page.click('button[aria-label="Cameras"]');
    await page.waitForTimeout(400);
    const treeShown = await page.evaluate(() => document.querySelector(".tree").getBoundingClientRect().left >= 0);
    await page.screenshot({ path: join(out, "live-phone.png") });
    const ok = treeHidden && treeShown;
    console.log(`phone layout: ${ok ? "ok" : "FAILED"} (tree hidden ${treeHidden}, opens ${treeShown})`);
    if (!ok) failed = true;
  } catch (e) {
    failed = true;
    console.log(`phone layout: ${e.message}`);
  } finally {
    await phone.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
