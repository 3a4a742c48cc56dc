// Press-and-hold steering, sent to the server in order and not too fast.
// Commands go one at a time, so a stop never overtakes the move before it;
// a move goes at most once every MOVE_GAP_MS (the newest velocity wins,
// those in between are dropped), well under the server's 10 a second per
// camera; a stop goes at once, and only after a move. Each move stops by
// itself after HOLD_TIMEOUT_MS and is renewed every RENEW_MS while held, so
// a camera never keeps turning after the browser went away mid-press.
// A nudge is one short move, neither renewed nor stopped. A stop that
// fails is tried once more STOP_RETRY_MS later, and the driver still
// counts as moved, so the next stop sends it again.

import type { PtzVelocity } from "./ptzApi";

/// The least time between two moves sent (at most 5 a second).
export const MOVE_GAP_MS = 200;
/// How long a move lasts unless renewed or stopped.
export const HOLD_TIMEOUT_MS = 2000;
/// How often a held move is sent again.
export const RENEW_MS = 1000;
/// How long a nudge (one click, not a hold) moves.
export const NUDGE_MS = 500;
/// How long after a failed stop it is tried again (once).
export const STOP_RETRY_MS = 500;

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

/// A move to send: its velocity and how long it lasts.
interface Move {
  velocity: Velocity;
  timeout_ms: number;
}

export class PtzDriver {
  /// The next command to send ("retry": a failed stop, sent again), or null when none waits.
  private wanted: Move | "stop" | "retry" | null = null;
  /// The velocity held now, renewed while it is.
  private held: Velocity | null = null;
  private sending = false;
  /// Whether a move went out since the last stop.
  private moved = false;
  private lastMove = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: PtzSink,
    private readonly now: () => number = Date.now,
  ) {}

  /// Moves at `velocity` until `stop` (a new velocity replaces the last).
  move(velocity: Velocity) {
    this.held = velocity;
    this.command({ velocity, timeout_ms: HOLD_TIMEOUT_MS });
  }

  /// Moves at `velocity` for NUDGE_MS only, then stops by itself.
  nudge(velocity: Velocity) {
    this.held = null;
    this.command({ velocity, timeout_ms: NUDGE_MS });
  }

  /// Stops moving, at once (nothing is sent if nothing moved).
  stop() {
    this.held = null;
    this.command("stop");
  }

  /// Sends `wanted` next; a retry of a failed stop waiting is dropped.
  private command(wanted: Move | "stop") {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.wanted = wanted;
    this.pump();
  }

  /// Tries a failed stop again in a while, unless another command came.
  private retryStop() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wanted !== null || this.held) return;
      this.wanted = "retry";
      this.pump();
    }, STOP_RETRY_MS);
  }

  private pump() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending) return; // the send in flight pumps again when it ends
    const wanted = this.wanted;
    if (wanted === "stop" || wanted === "retry") {
      this.wanted = null;
      if (this.moved) this.send(false, () => this.sink.stop(), wanted === "stop");
      return;
    }
    if (wanted === null) {
      // Renew a held move before it stops by itself.
      if (this.held && this.moved) {
        this.timer = setTimeout(() => {
          if (this.held) this.wanted = { velocity: this.held, timeout_ms: HOLD_TIMEOUT_MS };
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
    this.send(true, () => this.sink.move({ ...wanted.velocity, timeout_ms: wanted.timeout_ms }));
  }

  /// Sends a move, or a stop (tried once more on failure if `retry`).
  private send(move: boolean, command: () => Promise<void>, retry = false) {
    this.sending = true;
    this.moved = move;
    command()
      .catch((error: unknown) => {
        if (move) this.held = null;
        else {
          // The camera may still be moving: a later stop must be sent.
          this.moved = true;
          if (retry) this.retryStop();
        }
        this.sink.failed(error);
      })
      .finally(() => {
        this.sending = false;
        this.pump();
      });
  }
}
