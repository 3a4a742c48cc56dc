// WebRTC over WHEP: one recvonly video transceiver, the offer POSTed as
// application/sdp, the answer applied; DELETE on the session ends it.

import { errorMessage } from "../api/session";
import { type Engine, type EngineContext, type Latency, Unsupported, waitFor, waitForPicture } from "./engine";
import { NTP_UNIX_OFFSET_MS } from "./ntp";

const CONNECT_MS = 8000;
/// How long the server may take to answer the offer.
const ANSWER_MS = 15000;

export class WebRtcEngine implements Engine {
  readonly protocol = "webrtc" as const;
  private pc: RTCPeerConnection | null = null;
  private location: string | null = null;

  constructor(private readonly ctx: EngineContext) {}

  async start(): Promise<void> {
    if (typeof RTCPeerConnection === "undefined") throw new Unsupported("this browser has no WebRTC");
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.ontrack = (event) => {
      this.ctx.video.srcObject = event.streams[0] ?? new MediaStream([event.track]);
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const ticket = await this.ctx.ticket();
    const response = await fetch(`${this.ctx.base}/whep?ticket=${encodeURIComponent(ticket)}`, {
      method: "POST",
      headers: { "content-type": "application/sdp" },
      body: pc.localDescription?.sdp ?? offer.sdp,
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    if (response.status === 415) throw new Unsupported(await errorMessage(response));
    if (response.status !== 201) throw new Error(`WHEP: ${await errorMessage(response)}`);
    this.location = response.headers.get("location");
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed" || pc.connectionState === "disconnected") {
        this.ctx.onFailure(`WebRTC connection ${pc.connectionState}`);
      }
    };
    if (pc.connectionState !== "connected") {
      await waitFor(pc, "connectionstatechange", CONNECT_MS, "the WebRTC connection").then(() => {
        if (pc.connectionState !== "connected" && pc.connectionState !== "connecting") {
          throw new Error(`WebRTC connection ${pc.connectionState}`);
        }
      });
    }
    await this.ctx.video.play().catch(() => {});
    await waitForPicture(this.ctx.video, CONNECT_MS, "the first WebRTC picture");
  }

  stop(): void {
    this.pc?.close();
    this.pc = null;
    if (this.location) {
      void fetch(this.location, { method: "DELETE" }).catch(() => {});
      this.location = null;
    }
    this.ctx.video.srcObject = null;
  }

  /// From the sender reports: how long ago (by this machine's clock) the media
  /// plane sent the picture being shown now. Chromium gives that picture's
  /// send time as `estimatedPlayoutTimestamp`, in the sender's NTP clock; with
  /// the server's clock in sync (NTP), now minus it is the delay to the screen.
  /// Without it, the jitter buffer's delay plus half the round trip.
  async latency(): Promise<Latency | null> {
    if (!this.pc) return null;
    const stats = await this.pc.getStats();
    let playout: number | null = null;
    let buffer: number | null = null;
    let rtt = 0;
    stats.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        if (typeof s.estimatedPlayoutTimestamp === "number") playout = s.estimatedPlayoutTimestamp;
        if (s.jitterBufferEmittedCount > 0) buffer = s.jitterBufferDelay / s.jitterBufferEmittedCount;
      }
      if (s.type === "candidate-pair" && s.nominated && typeof s.currentRoundTripTime === "number") {
        rtt = s.currentRoundTripTime;
      }
    });
    if (playout !== null) {
      const delay = (Date.now() + NTP_UNIX_OFFSET_MS - playout) / 1000;
      if (delay >= 0 && delay < 30) return { seconds: delay, basis: "sender reports" };
    }
    return buffer === null ? null : { seconds: buffer + rtt / 2, basis: "jitter buffer" };
  }
}
