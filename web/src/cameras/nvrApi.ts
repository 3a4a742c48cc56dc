// Importing NVRs (`/api/nvrs`): each channel asked for becomes a camera of a
// site; a sync reads the NVR again with its stored credentials, and removing
// one keeps or deletes its cameras. The shapes are aliases of the types that
// openapi-typescript generates from the server's OpenAPI document
// (sdk/typescript/src/schema.d.ts; `scripts/sdk.sh` regenerates them).

import type { components, operations } from "@techno-vms/sdk/schema";

import type { Api } from "../api/client";

type Schemas = components["schemas"];

/// How an NVR is spoken to: `hikvision` (ISAPI), `dahua` (RPC2) or `onvif`.
export type NvrVendor = Schemas["NvrVendor"];

/// An imported NVR: who it is, where it answers, how many of its channels are cameras.
export type NvrView = Schemas["NvrView"];

/// One channel of an NVR; `camera_id` names the camera made of it.
export type NvrChannel = Schemas["NvrChannelView"];

/// An NVR with its channels, and what an import or a sync did to its cameras.
export type NvrDetail = Schemas["NvrDetail"];

/// What an import is given: the vendor, address and credentials, the site
/// of its cameras, and the channels to make cameras of (all when left out).
export type ImportNvrRequest = Schemas["ImportNvr"];

/// What becomes of an NVR's cameras when it is removed: `keep` or `remove`.
export type NvrCameras = operations["deleteNvr"]["parameters"]["query"]["cameras"];

/// What an import did: the NVR as it is now, and whether it is new (201)
/// rather than imported before and updated (200).
export interface NvrImported {
  created: boolean;
  detail: NvrDetail;
}

const JSON_HEADERS = { "content-type": "application/json" };

/// The NVRs on sites where the caller manages cameras, by name.
export async function listNvrs(api: Api, signal?: AbortSignal): Promise<NvrView[]> {
  return (await api.json<Schemas["NvrList"]>("/api/nvrs", { signal })).items;
}

/// Imports an NVR (or imports it again: that updates it and adds the channels newly asked for).
export async function importNvr(api: Api, body: ImportNvrRequest): Promise<NvrImported> {
  const response = await api.request("/api/nvrs", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
  return { created: response.status === 201, detail: (await response.json()) as NvrDetail };
}

/// One NVR with its channels and their cameras.
export function getNvr(api: Api, id: string, signal?: AbortSignal): Promise<NvrDetail> {
  return api.json(`/api/nvrs/${id}`, { signal });
}

/// Reads the NVR again with its stored credentials: its cameras get the
/// current stream addresses, and an NVR imported with every channel gets
/// cameras of the channels added since.
export function syncNvr(api: Api, id: string): Promise<NvrDetail> {
  return api.json(`/api/nvrs/${id}/sync`, { method: "POST" });
}

/// Removes the NVR, keeping its cameras (and their recordings) or deleting them too.
export async function deleteNvr(api: Api, id: string, cameras: NvrCameras): Promise<void> {
  await api.request(`/api/nvrs/${id}?cameras=${cameras}`, { method: "DELETE" });
}
