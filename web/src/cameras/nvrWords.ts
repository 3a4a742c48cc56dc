// How an NVR is told about in words: its vendor, how many of its channels
// are cameras, and what an import or a sync did to its cameras.

import type { NvrDetail, NvrVendor, NvrView } from "./nvrApi";

/// The vendors offered, as people call them, in the order offered.
export const VENDORS: readonly { value: NvrVendor; label: string }[] = [
  { value: "hikvision", label: "Hikvision" },
  { value: "dahua", label: "Dahua" },
  { value: "onvif", label: "ONVIF" },
];

export function vendorName(vendor: NvrVendor): string {
  return VENDORS.find((v) => v.value === vendor)?.label ?? vendor;
}

/// "3 cameras".
function cameras(n: number): string {
  return `${n} camera${n === 1 ? "" : "s"}`;
}

/// "2 of 8 channels are cameras".
export function channelWords({ camera_count, channel_count }: NvrView): string {
  return `${camera_count} of ${channel_count} channel${channel_count === 1 ? "" : "s"} ${camera_count === 1 ? "is a camera" : "are cameras"}`;
}

/// What an import or a sync did, in a sentence: "NVR “Warehouse” imported:
/// 4 cameras added." for a new one, "NVR “Warehouse” updated: 1 camera
/// added, 3 updated." for one imported before (`done` says which).
export function changedWords(done: "imported" | "updated" | "synced", { nvr, cameras_created = [], cameras_updated = [] }: NvrDetail): string {
  const what = [`${cameras(cameras_created.length)} added`];
  if (done !== "imported" || cameras_updated.length > 0) what.push(`${cameras_updated.length} updated`);
  return `NVR “${nvr.name}” ${done}: ${what.join(", ")}.`;
}
