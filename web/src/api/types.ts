// The API's shapes, as far as the app uses them.

export type StreamRole = "main" | "sub";

export interface Me {
  id: string;
  username: string;
  tenant_id: string;
  tenant_name?: string;
  super_admin: boolean;
  permissions: string[];
}

export interface Site {
  id: string;
  name: string;
  timezone: string;
}

export interface StreamState {
  status: string;
  reason?: string | null;
  detail?: string | null;
  codec?: string | null;
  codec_string?: string | null;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
  bitrate_kbps?: number | null;
}

export interface Stream {
  id: string;
  role: StreamRole;
  state: StreamState;
}

export interface Camera {
  id: string;
  site_id: string;
  name: string;
  enabled: boolean;
  streams: Stream[];
}

/// The camera's overall live status: that of its main stream.
export function cameraStatus(camera: Camera): string {
  if (!camera.enabled) return "disabled";
  return camera.streams.find((s) => s.role === "main")?.state.status ?? "unknown";
}
