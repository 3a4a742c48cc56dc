// Browser test of an MSE viewer on a link too slow for the stream: pictures
// pile up in buffers, the player notices from the media plane's arrival
// stamps (prft) that they arrive seconds late, says so and reconnects at the
// newest keyframe instead of drifting further behind; once the link is fast
// again it plays live.
//
// Driven by the Rust test `crates/vms/tests/browser.rs`, which starts the
// system; run by hand with VMS_URL, VMS_USER and VMS_PASSWORD set.

import { launch, signIn } from "./browser.mjs";

const browser = await launch();
let failed = false;
try {
  const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
  await signIn(page, `${process.env.VMS_URL}/?layout=1&transport=no-webrtc&latency`, process.env.VMS_USER, process.env.VMS_PASSWORD);
  await page.waitForFunction(() => document.querySelector(".player")?.dataset.status === "playing", null, { timeout: 30000 });
  // Every message the tile shows from now on.
  await page.evaluate(() => {
    window.__said = [];
    const player = document.querySelector(".player");
    new MutationObserver(() => {
      const message = player.querySelector(".overlay-message")?.textContent;
      if (message) window.__said.push(message);
    }).observe(player, { attributes: true, attributeFilter: ["data-status"], subtree: true, childList: true });
  });

  // A link of 0.8 Mbit/s for a 3 Mbit/s camera.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: 100_000, uploadThroughput: -1 });
  const noticed = await page
    .waitForFunction(() => window.__said.find((m) => m.includes("late")), null, { timeout: 45000, polling: 200 })
    .then((h) => h.jsonValue())
    .catch(() => null);

  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const recovered = await page
    .waitForFunction(
      () => {
        const player = document.querySelector(".player");
        const video = player.querySelector("video");
        const latency = Number(video.dataset.latencyMs ?? Number.NaN);
        const stamped = video.dataset.latencyBasis === "media plane stamps";
        return player.dataset.status === "playing" && stamped && latency < 1500 ? latency : null;
      },
      null,
      { timeout: 45000, polling: 250 },
    )
    .then((h) => h.jsonValue())
    .catch(() => null);
  const ok = noticed !== null && recovered !== null;
  console.log(`slow link: ${ok ? "ok" : "FAILED"} (noticed: ${noticed ?? "never"}; then live again, ${recovered ?? "-"} ms behind)`);
  if (!ok) {
    failed = true;
    console.log(JSON.stringify(await page.evaluate(() => window.__said)));
  }
} catch (e) {
  failed = true;
  console.log(`slow link: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
