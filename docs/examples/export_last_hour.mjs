// Exports the last hour (or the last N minutes) of a camera into an MP4,
// waits for it, downloads it with its signed manifest, and checks the file
// against the SHA-256 the manifest names (`vms export verify FILE MANIFEST`
// checks the manifest's signature too).
//
// Usage: node export_last_hour.mjs CAMERA_ID [MINUTES] [OUT.mp4]
// Environment: VMS_URL, VMS_API_KEY (a key holding camera.export on the camera)
// Needs the TypeScript SDK: npm install ./sdk/typescript

import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";

import { VmsClient, createVmsClient } from "@techno-vms/sdk";

const [camera, minutes = "60", out = "export.mp4"] = process.argv.slice(2);
if (!camera) {
  console.error("usage: node export_last_hour.mjs CAMERA_ID [MINUTES] [OUT.mp4]");
  process.exit(2);
}
const vms = createVmsClient({ baseUrl: process.env.VMS_URL, credentials: { apiKey: process.env.VMS_API_KEY } });

const end = new Date();
const start = new Date(end.getTime() - Number(minutes) * 60_000);
const created = await VmsClient.ok(
  await vms.api.POST("/api/exports", {
    body: { camera_id: camera, start: start.toISOString(), end: end.toISOString() },
  }),
);
let view = created;
while (view.status === "running") {
  process.stderr.write(`\rexporting… ${Math.round(view.progress * 100)}%`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  view = await VmsClient.ok(await vms.api.GET("/api/exports/{id}", { params: { path: { id: created.id } } }));
}
process.stderr.write("\n");
if (view.status !== "done") {
  console.error(`export ${view.status}: ${view.error ?? ""}`);
  process.exit(1);
}
const path = { params: { path: { id: created.id } } };
const bytes = Buffer.from(await VmsClient.ok(await vms.api.GET("/api/exports/{id}/file", { ...path, parseAs: "arrayBuffer" })));
const manifest = await VmsClient.ok(await vms.api.GET("/api/exports/{id}/manifest", { ...path, parseAs: "text" }));
const sha256 = createHash("sha256").update(bytes).digest("hex");
const named = JSON.parse(manifest).manifest.sha256;
if (sha256 !== named) {
  console.error(`the download does not match its manifest: ${sha256} != ${named}`);
  process.exit(1);
}
await writeFile(out, bytes);
await writeFile(`${out}.manifest.json`, manifest);
console.log(`${out}: ${bytes.length} bytes, sha256 ${sha256}; manifest in ${out}.manifest.json`);
