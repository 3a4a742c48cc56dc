// Steering a camera (`/api/cameras/{id}/ptz/…`, needs `camera.ptz` on it),
// and the shapes: aliases of the types that openapi-typescript generates
// from the server's OpenAPI document (sdk/typescript/src/schema.d.ts;
// `scripts/sdk.sh` regenerates them). A camera without PTZ answers 409
// (`failed_precondition`); moves sent too fast, 429.

import type { components } from "@techno-vms/sdk/schema";

import { type Api, ApiError } from "../api/client";

type Schemas = components["schemas"];

/// Pan, tilt and zoom velocities, each −1..1 (left, down, out to right,
/// up, in); `timeout_ms` stops the move by itself.
export type PtzVelocity = Schemas["PtzMove"];

/// A stored position: its `token` goes to or removes it.
export type PtzPreset = Schemas["PresetView"];

const JSON_HEADERS = { "content-type": "application/json" };

const base = (camera: string) => `/api/cameras/${camera}/ptz`;

/// Whether `error` is the server saying the camera has no PTZ.
export function isNoPtz(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/// Moves at `velocity` until stopped (or its `timeout_ms` passes).
export async function ptzMove(api: Api, camera: string, velocity: PtzVelocity): Promise<void> {
  await api.request(`${base(camera)}/move`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(velocity) });
}

/// Stops pan, tilt and zoom (never refused for coming too fast).
export async function ptzStop(api: Api, camera: string): Promise<void> {
  await api.request(`${base(camera)}/stop`, { method: "POST" });
}

/// Goes to the camera's home position.
export async function ptzHome(api: Api, camera: string): Promise<void> {
  await api.request(`${base(camera)}/home`, { method: "POST" });
}

export async function ptzPresets(api: Api, camera: string): Promise<PtzPreset[]> {
  return (await api.json<Schemas["PresetList"]>(`${base(camera)}/presets`)).items;
}

/// Stores where the camera points now as a preset named `name` (1–64 characters).
export function savePtzPreset(api: Api, camera: string, name: string): Promise<PtzPreset> {
  return api.json(`${base(camera)}/presets`, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ name } satisfies Schemas["NewPreset"]) });
}

export async function deletePtzPreset(api: Api, camera: string, token: string): Promise<void> {
  await api.request(`${base(camera)}/presets/${encodeURIComponent(token)}`, { method: "DELETE" });
}

export async function gotoPtzPreset(api: Api, camera: string, token: string): Promise<void> {
  await api.request(`${base(camera)}/presets/${encodeURIComponent(token)}/goto`, { method: "POST" });
}
