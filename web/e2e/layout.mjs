// Browser test of working with a layout by hand: a camera dragged from the
// resource tree onto a tile plays there (swapping places with the tile it
// came from when it was already shown), one tile goes full screen and back,
// and then the whole grid does.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`, which starts the
// system; run by hand with VMS_URL, VMS_USER and VMS_PASSWORD set.

import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { launch, signIn } from "./browser.mjs";

const out = process.env.VMS_ARTIFACTS ?? "test-results";
mkdirSync(out, { recursive: true });

const shown = (page) => page.evaluate(() => [...document.querySelectorAll(".tile")].map((t) => t.querySelector(".player")?.dataset.camera ?? null));
const playing = (page, index) =>
  page.waitForFunction(
    (i) => {
      const player = document.querySelectorAll(".tile")[i]?.querySelector(".player");
      const video = player?.querySelector("video");
      return player?.dataset.status === "playing" && video && video.readyState >= 2 && video.videoWidth > 0;
    },
    index,
    { timeout: 30000 },
  );
const fullscreen = (page) =>
  page.evaluate(() => {
    const element = document.fullscreenElement;
    if (!element) return null;
    if (element.classList.contains("grid")) return "grid";
    return element.classList.contains("player") ? `tile:${element.dataset.camera}` : element.className;
  });

const browser = await launch();
let failed = false;
const check = (what, ok, detail) => {
  console.log(`${what}: ${ok ? "ok" : "FAILED"} (${detail})`);
  if (!ok) failed = true;
};
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(page, `${process.env.VMS_URL}/?layout=4`, process.env.VMS_USER, process.env.VMS_PASSWORD);
  await page.waitForFunction(() => [...document.querySelectorAll(".tile .player")].length === 4, null, { timeout: 30000 });
  await playing(page, 0);

  // Drag the camera of the third tile from the tree onto the first: they swap.
  const before = await shown(page);
  await page.dragAndDrop(`.tree li.camera[data-camera="${before[2]}"]`, ".tile >> nth=0");
  await page.waitForFunction((id) => document.querySelector(".tile .player")?.dataset.camera === id, before[2], { timeout: 10000 });
  await playing(page, 0);
  await playing(page, 2);
  const after = await shown(page);
  check(
    "drag onto a tile",
    after[0] === before[2] && after[2] === before[0] && after[1] === before[1] && after[3] === before[3],
    `tiles ${before.map((c) => c?.slice(0, 8))} → ${after.map((c) => c?.slice(0, 8))}`,
  );

  // One tile full screen, still playing; then back.
  await page.hover(".tile >> nth=1");
  await page.click('.tile >> nth=1 >> button[aria-label="Full screen"]');
  await page.waitForFunction(() => document.fullscreenElement !== null, null, { timeout: 5000 });
  const tile = await fullscreen(page);
  const size = await page.evaluate(() => {
    const r = document.fullscreenElement.getBoundingClientRect();
    return { width: r.width, height: r.height, screen: window.innerWidth };
  });
  await playing(page, 1);
  await page.screenshot({ path: join(out, "live-tile-fullscreen.png") });
  check("tile full screen", tile === `tile:${after[1]}` && size.width === size.screen, `${tile}, ${size.width}×${size.height}`);
  await page.evaluate(() => document.exitFullscreen());
  await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });

  // The whole grid full screen.
  await page.click('button[aria-label="Full screen grid"]');
  await page.waitForFunction(() => document.fullscreenElement !== null, null, { timeout: 5000 });
  const grid = await fullscreen(page);
  const tiles = await page.evaluate(() => document.fullscreenElement.querySelectorAll(".tile video").length);
  check("grid full screen", grid === "grid" && tiles === 4, `${grid} with ${tiles} videos`);
  await page.evaluate(() => document.exitFullscreen());
} catch (e) {
  failed = true;
  console.log(`layout: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
