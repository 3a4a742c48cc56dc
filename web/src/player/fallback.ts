// Which transports the player tries, in order, and how it retries.

import { CannotDecode, type Engine, PROTOCOL_LABELS, type Protocol } from "./engine";

/// The user's transport choice.
export type TransportSetting = "auto" | "no-webrtc" | "hls-only";

export const TRANSPORT_ORDER: Record<TransportSetting, Protocol[]> = {
  auto: ["webrtc", "mse", "hls"],
  "no-webrtc": ["mse", "hls"],
  "hls-only": ["hls"],
};

export const TRANSPORT_LABELS: Record<TransportSetting, string> = {
  auto: "Auto (WebRTC → MSE → HLS)",
  "no-webrtc": "WebRTC off (MSE → HLS)",
  "hls-only": "HLS only",
};

/// Why no transport played; `undecodable` when the browser cannot decode the
/// stream's codec at all.
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly undecodable: boolean,
  ) {
    super(message);
  }
}

/// Tries each protocol in turn; returns the first engine that starts, and
/// why those before it did not. The error lists why each failed. Once the
/// browser says it cannot decode the codec, the later transports (which
/// carry the same pictures) are not tried. `cancelled` stops between attempts.
export async function connect(
  order: Protocol[],
  open: (protocol: Protocol) => Engine,
  cancelled: () => boolean,
): Promise<{ engine: Engine; skipped: string[] }> {
  const reasons: string[] = [];
  for (const protocol of order) {
    if (cancelled()) break;
    const engine = open(protocol);
    try {
      await engine.start();
      if (cancelled()) {
        engine.stop();
        break;
      }
      return { engine, skipped: reasons };
    } catch (e) {
      engine.stop();
      reasons.push(`${PROTOCOL_LABELS[protocol]}: ${e instanceof Error ? e.message : String(e)}`);
      if (e instanceof CannotDecode) throw new ConnectError(reasons.join("; "), true);
    }
  }
  throw new ConnectError(reasons.length ? reasons.join("; ") : "cancelled", false);
}

/// Milliseconds to wait before reconnect attempt `attempt` (0-based): half a
/// second (most breaks are brief), doubling, at most 15 s.
export function backoff(attempt: number): number {
  return Math.min(15000, 500 * 2 ** Math.min(attempt, 5));
}
