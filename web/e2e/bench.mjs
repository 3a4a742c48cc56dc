// Browser figures for `vms-bench live`: the time from opening a camera to its
// first decoded picture in Chromium (median of N, per transport), and the
// WebRTC latency to the screen: from the media plane sending a picture to it
// being shown (the RTCP sender reports' NTP time, as the player measures it),
// and from the RTP timing Chromium reports per picture
// (requestVideoFrameCallback): from its capture time where it has one, and
// from the arrival of its last RTP packet, to its expected display time.
// And glass to glass: each shown picture's clip index, read from the squares
// camsim draws into it (VMS_INDEX_STRIP: "square,left,top" in pixels), with
// its expected display time on the wall clock; vms-bench matches them with
// when camsim sent that picture.
// Prints JSON on its last line.

import { launch, signIn } from "./browser.mjs";

const base = process.env.VMS_URL;
const user = process.env.VMS_USER;
const password = process.env.VMS_PASSWORD;
const camera = process.env.VMS_CAMERA;
const repeats = Number(process.env.VMS_REPEATS ?? 20);
const strip = (process.env.VMS_INDEX_STRIP ?? "").split(",").map(Number);
const TRANSPORT = { webrtc: "auto", mse: "no-webrtc", hls: "hls-only" };

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 960, height: 600 } })).newPage();
await signIn(page, `${base}/?layout=1&latency`, user, password);
await page.waitForSelector(".tile video");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const result = { first_frame_ms: {}, webrtc_latency_ms: null };
for (const [protocol, transport] of Object.entries(TRANSPORT)) {
  const times = [];
  for (let i = 0; i < repeats; i++) {
    await page.goto(`${base}/?layout=1&transport=${transport}&latency`);
    const ms = await page.waitForFunction(
      ([id, p]) => {
        const video = document.querySelector(".tile video");
        const open = performance.getEntriesByName(`vms:open:${id}`)[0];
        const first = performance.getEntriesByName(`vms:first-frame:${id}`)[0];
        return video?.dataset.protocol === p && open && first ? first.startTime - open.startTime : null;
      },
      [camera, protocol],
      { timeout: 30000, polling: 50 },
    );
    times.push(await ms.jsonValue());
  }
  result.first_frame_ms[protocol] = { median: median(times), min: Math.min(...times), max: Math.max(...times), n: times.length };
  console.error(`${protocol}: first picture after ${median(times).toFixed(0)} ms (median of ${times.length})`);
}
// Last, so that vms-bench still has camsim's record of sending the pictures shown.
await page.goto(`${base}/?layout=1&transport=auto&latency`);
await page.waitForFunction(() => document.querySelector(".tile video")?.dataset.protocol === "webrtc", null, { timeout: 30000 });
await page.waitForTimeout(2000);
result.webrtc_latency_ms = await page.evaluate(
  ([square, left, top]) =>
    new Promise((resolve) => {
      const video = document.querySelector(".tile video");
      // The picture's index, from the centres of camsim's squares (bit 0 first).
      const canvas = document.createElement("canvas");
      canvas.width = 8 * square;
      canvas.height = square;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      const shown = [];
      const readIndex = () => {
        context.drawImage(video, left, top, 8 * square, square, 0, 0, 8 * square, square);
        const row = context.getImageData(0, Math.floor(square / 2), 8 * square, 1).data;
        let index = 0;
        for (let bit = 0; bit < 8; bit++) {
          const x = bit * square + Math.floor(square / 2);
          if (row[4 * x] + row[4 * x + 1] + row[4 * x + 2] > 3 * 128) index |= 1 << bit;
        }
        return index;
      };
      // From the frame's capture time, where Chromium reports one (from RTCP sender reports),
      // and from when its last RTP packet arrived, to its expected display.
      const fromCapture = [];
      const fromReceive = [];
      const onFrame = (_, meta) => {
        if (square > 0) shown.push({ index: readIndex(), at_ms: performance.timeOrigin + meta.expectedDisplayTime });
        if (typeof meta.captureTime === "number") fromCapture.push(meta.expectedDisplayTime - meta.captureTime);
        if (typeof meta.receiveTime === "number") fromReceive.push(meta.expectedDisplayTime - meta.receiveTime);
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      const summary = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length ? { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], frames: s.length } : null;
      };
      // What the player itself measures (from the sender reports, where Chromium has them).
      const player = [];
      const sample = setInterval(() => {
        if (video.dataset.latencyBasis === "sender reports") player.push(Number(video.dataset.latencyMs));
      }, 250);
      setTimeout(() => {
        clearInterval(sample);
        resolve({ capture: summary(fromCapture), receive: summary(fromReceive), sender_reports: summary(player), shown });
      }, 5000);
    }),
  strip,
);
await browser.close();
console.log(JSON.stringify(result));
