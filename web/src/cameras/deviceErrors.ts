// What went wrong talking to a device, in words an operator can act on:
// the server's codes for a refused password and a silent device, its own
// message for anything else (it names the field at fault: `address: …`).

import { ApiError } from "../api/client";

/// The fields of an onboarding a refusal may name.
export type OnboardField = "address" | "username" | "password" | "name" | "site_id";

const FIELDS: readonly OnboardField[] = ["address", "username", "password", "name", "site_id"];

/// Why onboarding (or any device call) failed, as a sentence.
export function deviceProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "device_auth_failed") return "The device refused the user name or password.";
    if (error.code === "device_unreachable") return "The device did not answer. Check the address and that it is switched on.";
  }
  return `Cannot add the device: ${error instanceof Error ? error.message : String(error)}`;
}

/// The field a refusal names (`address: not a valid host`), if any; a
/// refused password names the credentials.
export function faultyField(error: unknown): OnboardField | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "device_auth_failed") return "password";
  const field = error.message.split(":", 1)[0].trim();
  return (FIELDS as readonly string[]).includes(field) ? (field as OnboardField) : null;
}
