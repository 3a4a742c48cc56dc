// Finding ONVIF devices on the network (`/api/discovery/scan`) and making
// cameras of them (`/api/cameras/onboard`), and their shapes: aliases of the
// types that openapi-typescript generates from the server's OpenAPI document
// (sdk/typescript/src/schema.d.ts; `scripts/sdk.sh` regenerates them).

import type { components } from "@techno-vms/sdk/schema";

import type { Api } from "../api/client";

type Schemas = components["schemas"];

/// What a scan is asked to probe (`POST /api/discovery/scan`).
export type ScanRequest = Schemas["StartScan"];

/// A scan's state: `running`, `done`, `cancelled` or `failed`.
export type ScanState = Schemas["ScanState"];

/// A scan, how far it got and the devices that answered so far.
export type ScanView = Schemas["ScanView"];

/// A device that answered a scan; `camera_id` names the camera already made from it.
export type FoundDevice = Schemas["FoundDeviceView"];

/// What onboarding is given: the device's `address` or the `device_url` a
/// scan found, its credentials and the site of a new camera.
export type OnboardRequest = Schemas["OnboardCamera"];

/// What onboarding did: the camera (`created`, or updated when the device
/// was onboarded before) and what it learnt about the device.
export type Onboarded = Schemas["Onboarded"];

const JSON_HEADERS = { "content-type": "application/json" };

/// Starts a scan running in the background (needs `camera.manage` tenant-wide); answers its id.
export async function startScan(api: Api, body: ScanRequest): Promise<string> {
  const started = await api.json<Schemas["ScanStarted"]>("/api/discovery/scan", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
  return started.id;
}

/// A scan as it is now (404 once the server forgot it).
export function scanStatus(api: Api, id: string, signal?: AbortSignal): Promise<ScanView> {
  return api.json(`/api/discovery/scan/${id}`, { signal });
}

/// Cancels a running scan; what it found so far stays readable.
export async function cancelScan(api: Api, id: string): Promise<void> {
  await api.request(`/api/discovery/scan/${id}`, { method: "DELETE" });
}

/// Adds the device's camera (or updates it, if the device was onboarded before).
export function onboardCamera(api: Api, body: OnboardRequest): Promise<Onboarded> {
  return api.json("/api/cameras/onboard", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
}
