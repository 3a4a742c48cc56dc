// Checking an export in the browser as `vms export verify` does: the
// manifest names the server's export key (`GET /api/exports/public-key`),
// its Ed25519 signature over its compact JSON holds (serde's output, which
// `JSON.stringify` of the parsed manifest reproduces: same key order, same
// escapes), and the file's SHA-256 is the manifest's. A manifest signed by
// any other key is refused, however well signed: anyone can sign.

export interface Verification {
  /// The manifest names the server's export key.
  keyTrusted: boolean;
  /// The file's SHA-256 is the manifest's.
  hashMatches: boolean;
  /// The signature holds (null: this browser cannot check Ed25519, or the
  /// page is not a secure context).
  signatureValid: boolean | null;
  /// The key that signed it, hex.
  publicKey: string;
  /// What the manifest says the file is.
  sha256: string;
  /// Present when the pictures carry a burnt-in watermark.
  watermark: string | null;
}

interface SignedManifest {
  manifest: { sha256: string; public_key: string; watermark?: { user: string; time: string; camera: string } } & Record<string, unknown>;
  signature: string;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})+$/i.test(text)) throw new Error("the manifest's public key is not hex");
  return new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16)));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/// The verdict: verified only when the key is the server's, the signature
/// holds and the file is the one signed for.
export function verified(check: Verification): boolean {
  return check.keyTrusted && check.signatureValid === true && check.hashMatches;
}

/// Verifies `file` against the signed `manifest` (its text as downloaded)
/// and the server's export key (`trusted`, hex).
export async function verifyExport(file: Blob, manifest: string, trusted: string): Promise<Verification> {
  let signed: SignedManifest;
  try {
    signed = JSON.parse(manifest);
  } catch {
    throw new Error("the manifest is not JSON");
  }
  if (typeof signed?.manifest?.sha256 !== "string" || typeof signed.manifest.public_key !== "string" || typeof signed.signature !== "string") {
    throw new Error("the manifest lacks its hash, key or signature");
  }
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("this page is not a secure context (HTTPS), so the browser cannot compute hashes");
  const sha256 = hex(await subtle.digest("SHA-256", await file.arrayBuffer()));
  let signatureValid: boolean | null = null;
  try {
    const key = await subtle.importKey("raw", fromHex(signed.manifest.public_key), { name: "Ed25519" }, false, ["verify"]);
    const body = new TextEncoder().encode(JSON.stringify(signed.manifest));
    signatureValid = await subtle.verify({ name: "Ed25519" }, key, fromBase64(signed.signature), body);
  } catch (e) {
    // An older browser without Ed25519 says NotSupportedError; a bad key or signature is a failed check.
    signatureValid = e instanceof DOMException && e.name === "NotSupportedError" ? null : false;
  }
  return {
    keyTrusted: signed.manifest.public_key.toLowerCase() === trusted.toLowerCase(),
    hashMatches: sha256 === signed.manifest.sha256.toLowerCase(),
    signatureValid,
    publicKey: signed.manifest.public_key,
    sha256: signed.manifest.sha256,
    watermark: signed.manifest.watermark ? `${signed.manifest.watermark.user} · ${signed.manifest.watermark.time} · ${signed.manifest.watermark.camera}` : null,
  };
}
