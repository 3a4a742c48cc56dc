// @vitest-environment node
// Node's own Blob and WebCrypto, as a browser has them (jsdom's Blob hands
// out buffers WebCrypto will not take).

import FIXTURE from "./testdata/signed-manifest.json?raw";
import { verified, verifyExport } from "./verify";

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/// A manifest signed as the recorder signs it: Ed25519 over the compact JSON.
async function signed(file: Uint8Array<ArrayBuffer>, fields: Record<string, unknown> = {}) {
  const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const manifest = {
    version: 1,
    camera_name: "Gate «north»\n",
    start: "2026-12-03T05:39:34.828123Z",
    bytes: file.length,
    sha256: hex(await crypto.subtle.digest("SHA-256", file)),
    public_key: hex(await crypto.subtle.exportKey("raw", keys.publicKey)),
    ...fields,
  };
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, new TextEncoder().encode(JSON.stringify(manifest)));
  return { signed: { manifest, signature: base64(signature) }, key: manifest.public_key };
}

describe("verifying an export in the browser", () => {
  const file = new Uint8Array(new TextEncoder().encode("an mp4, as far as this test cares"));

  it("accepts a file and manifest as the server made them", async () => {
    const made = await signed(file, { watermark: { user: "alice", time: "2026-12-03T06:00:00Z", camera: "Gate" } });
    const check = await verifyExport(new Blob([file]), JSON.stringify(made.signed), made.key.toUpperCase());
    expect(check).toMatchObject({ keyTrusted: true, hashMatches: true, signatureValid: true });
    expect(verified(check)).toBe(true);
    expect(check.watermark).toBe("alice · 2026-12-03T06:00:00Z · Gate");
  });

  it("tells a changed file from a changed manifest", async () => {
    const { signed: good, key } = await signed(file);
    const changedFile = await verifyExport(new Blob([file, "!"]), JSON.stringify(good), key);
    expect(changedFile).toMatchObject({ hashMatches: false, signatureValid: true });
    expect(verified(changedFile)).toBe(false);
    const changedManifest = await verifyExport(new Blob([file]), JSON.stringify({ ...good, manifest: { ...good.manifest, camera_name: "Yard" } }), key);
    expect(changedManifest).toMatchObject({ hashMatches: true, signatureValid: false });
    expect(verified(changedManifest)).toBe(false);
  });

  it("refuses a forgery signed well with another key", async () => {
    const { key: server } = await signed(file);
    const forged = await signed(new Uint8Array(new TextEncoder().encode("another film")));
    const check = await verifyExport(new Blob([new TextEncoder().encode("another film")]), JSON.stringify(forged.signed), server);
    expect(check).toMatchObject({ keyTrusted: false, hashMatches: true, signatureValid: true });
    expect(verified(check)).toBe(false);
  });

  it("accepts a manifest as the recorder signs it, escapes and non-ASCII names included", async () => {
    // Written by the recorder's test `the_browser_fixture_is_what_the_recorder_signs`.
    const text = FIXTURE;
    const key = JSON.parse(text).manifest.public_key;
    const check = await verifyExport(new Blob(["an exported file"]), text, key);
    expect(check).toMatchObject({ keyTrusted: true, hashMatches: true, signatureValid: true });
    const edited = text.replace("Portão", "Portao");
    expect((await verifyExport(new Blob(["an exported file"]), edited, key)).signatureValid).toBe(false);
  });

  it("refuses what is not a manifest", async () => {
    await expect(verifyExport(new Blob([file]), "<html>", "00")).rejects.toThrow("not JSON");
    await expect(verifyExport(new Blob([file]), '{"manifest": {}}', "00")).rejects.toThrow("lacks");
  });
});
