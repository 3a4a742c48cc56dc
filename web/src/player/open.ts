// Makes the engine for a protocol.

import type { Engine, EngineContext, Protocol } from "./engine";
import { HlsEngine } from "./hls";
import { MseEngine } from "./mse";
import { WebRtcEngine } from "./webrtc";

export function openEngine(protocol: Protocol, ctx: EngineContext): Engine {
  switch (protocol) {
    case "webrtc":
      return new WebRtcEngine(ctx);
    case "mse":
      return new MseEngine(ctx);
    case "hls":
      return new HlsEngine(ctx);
  }
}
