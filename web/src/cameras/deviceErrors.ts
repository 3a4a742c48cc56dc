// What went wrong talking to a device (a camera onboarded, an NVR imported),
// in words an operator can act on: the server's codes for a refused
// password, a silent device and too many devices asked at once, its own
// message for anything else (it names the field at fault: `address: …`,
// or says the device is already there on another site, or lacks the
// service asked for).

import { ApiError } from "../api/client";

/// The fields of an onboarding a refusal may name.
export type OnboardField = "address" | "username" | "password" | "name" | "site_id";

/// The fields of an NVR import a refusal may name.
export type NvrField = OnboardField | "vendor" | "channels";

export const ONBOARD_FIELDS: readonly OnboardField[] = ["address", "username", "password", "name", "site_id"];

export const NVR_FIELDS: readonly NvrField[] = [...ONBOARD_FIELDS, "vendor", "channels"];

/// What is being talked to, and what failed: the words of each.
const WORDS = {
  device: { thing: "The device", failed: "Cannot add the device" },
  nvr: { thing: "The NVR", failed: "Cannot import the NVR" },
} as const;

export type DeviceKind = keyof typeof WORDS;

/// Why a device call failed, when the server's code says it in words of its
/// own (a refused password, a silent device, too many asked at once); null
/// otherwise.
export function deviceRefusal(error: unknown, kind: DeviceKind = "device"): string | null {
  if (!(error instanceof ApiError)) return null;
  const { thing } = WORDS[kind];
  if (error.code === "device_auth_failed") return `${thing} refused the user name or password.`;
  if (error.code === "device_unreachable") return `${thing} did not answer. Check the address and that it is switched on.`;
  if (error.status === 429) return "The server is talking to as many devices as it may at once: try again in a minute.";
  if (kind === "nvr" && unsupported(error)) return `${thing} did not answer as the vendor chosen (${error.message}): check the vendor.`;
  return null;
}

/// Why onboarding (or an NVR import, as `kind` says) failed, as a sentence.
export function deviceProblem(error: unknown, kind: DeviceKind = "device"): string {
  return deviceRefusal(error, kind) ?? `${WORDS[kind].failed}: ${error instanceof Error ? error.message : String(error)}`;
}

/// Whether the device lacks the service it was asked through (an NVR
/// asked over ISAPI that is not a Hikvision one).
function unsupported(error: ApiError): boolean {
  return error.code === "failed_precondition" && error.message.includes("does not support");
}

/// The field a refusal names (`address: not a valid host`) among `fields`,
/// if any; a refused password names the credentials, a device already
/// there on another site names the site, and a service the device lacks
/// names the vendor.
export function faultyField<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "device_auth_failed") return pick(fields, "password");
  if (error.code === "failed_precondition") return pick(fields, unsupported(error) ? "vendor" : error.message.includes("another site") ? "site_id" : "");
  return pick(fields, error.message.split(":", 1)[0].trim());
}

/// `field` if it is one of `fields`.
function pick<F extends string>(fields: readonly F[], field: string): F | null {
  return (fields as readonly string[]).includes(field) ? (field as F) : null;
}
