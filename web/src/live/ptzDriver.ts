// Press-and-hold steering, sent to the server in order and not too fast.
// Commands go one at a time, so a stop never overtakes the move before it;
// a move goes at most once every MOVE_GAP_MS (the newest velocity wins,
// those in between are dropped), well under the server's 10 a second per
// camera; a stop goes at once, and only after a move. Each move stops by
// itself after HOLD_TIMEOUT_MS and is renewed every RENEW_MS while held, so
// a camera never keeps turning after the browser went away mid-press.

import type { PtzVelocity } from "./ptzApi";

/// The least time between two moves sent (at most 5 a second).
export const MOVE_GAP_MS = 200;
/// How long a move lasts unless renewed or stopped.
export const HOLD_TIMEOUT_MS = 2000;
/// How often a held move is sent again.
export const RENEW_MS = 1000;

/// Pan, tilt and zoom velocities, each −1..1.
export interface Velocity {
  pan: number;
  tilt: number;
  zoom: number;
}

/// Where the commands go.
export interface PtzSink {
  move: (velocity: PtzVelocity) => Promise<void>;
  stop: () => Promise<void>;
  /// A command failed (a move is then no longer renewed).
  failed: (error: unknown) => void;
}

export class PtzDriver {
  /// The next command to send, or null when none waits.
  private wanted: Velocity | "stop" | null = null;
  /// The velocity held now, renewed while it is.
  private held: Velocity | null = null;
  private sending = false;
  /// Whether a move went out since the last stop.
  private moved = false;
  private lastMove = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: PtzSink,
    private readonly now: () => number = Date.now,
  ) {}

  /// Moves at `velocity` until `stop` (a new velocity replaces the last).
  move(velocity: Velocity) {
    this.held = velocity;
    this.wanted = velocity;
    this.pump();
  }

  /// Stops moving, at once (nothing is sent if nothing moved).
  stop() {
    this.held = null;
    this.wanted = "stop";
    this.pump();
  }

  private pump() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending) return; // the send in flight pumps again when it ends
    const wanted = this.wanted;
    if (wanted === "stop") {
      this.wanted = null;
      if (this.moved) this.send(false, () => this.sink.stop());
      return;
    }
    if (wanted === null) {
      // Renew a held move before it stops by itself.
      if (this.held && this.moved) {
        this.timer = setTimeout(() => {
          this.wanted = this.held;
          this.pump();
        }, Math.max(0, this.lastMove + RENEW_MS - this.now()));
      }
      return;
    }
    const wait = this.lastMove + MOVE_GAP_MS - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.pump(), wait);
      return;
    }
    this.wanted = null;
    this.lastMove = this.now();
    this.send(true, () => this.sink.move({ ...wanted, timeout_ms: HOLD_TIMEOUT_MS }));
  }

  private send(move: boolean, command: () => Promise<void>) {
    this.sending = true;
    this.moved = move;
    command()
      .catch((error: unknown) => {
        if (move) this.held = null;
        this.sink.failed(error);
      })
      .finally(() => {
        this.sending = false;
        this.pump();
      });
  }
}
