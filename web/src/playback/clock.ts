// The one clock a playback layout follows: the moment of footage every tile
// shows. It runs at the chosen speed (backwards below zero), stops at the
// present, and waits while a tile that has footage is still loading it
// (a "hold"), though never longer than `holdLimit`, so one broken tile
// cannot stop the rest. Time is injected: `now` is a monotonic clock in
// milliseconds, `wall` the real time, so tests move both by hand.

export type ClockChange = "seek" | "play" | "pause" | "rate";

/// The speeds offered, slowest first; negative plays backwards.
export const SPEEDS = [-16, -8, -4, -2, -1, -0.5, -0.25, 0.25, 0.5, 1, 2, 4, 8, 16] as const;

/// The J/L shuttle of editing desks: L plays forward at 1×, and each
/// further L while going forward doubles the speed (up to 16×); J does the
/// same backward. Returns the rate to play at.
export function shuttle(rate: number, running: boolean, direction: 1 | -1): number {
  if (!running || Math.sign(rate) !== direction || Math.abs(rate) < 1) return direction;
  return direction * Math.min(16, Math.abs(rate) * 2);
}

/// Above this speed tiles play the I-frame playlist.
export const IFRAME_SPEED = 4;

export interface ClockOptions {
  now?: () => number;
  wall?: () => number;
  holdLimit?: number;
}

export class PlaybackClock {
  private anchorTime: number;
  private anchorNow: number;
  private speed = 1;
  private running = false;
  private holds = new Set<string>();
  private frozen = false;
  private frozenSince = 0;
  private seeks = 0;
  private listeners = new Set<(change: ClockChange) => void>();
  private readonly now: () => number;
  private readonly wall: () => number;
  readonly holdLimit: number;

  constructor(start: number, options: ClockOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.wall = options.wall ?? (() => Date.now());
    this.holdLimit = options.holdLimit ?? 8000;
    this.anchorTime = start;
    this.anchorNow = this.now();
  }

  /// The moment shown now (epoch milliseconds), never past the present.
  time(): number {
    let elapsed = 0;
    if (this.running) {
      // While held, the clock stands until the hold's limit has passed.
      const from = this.frozen ? Math.max(this.anchorNow, this.frozenSince + this.holdLimit) : this.anchorNow;
      elapsed = Math.max(0, this.now() - from);
    }
    return Math.min(this.wall(), this.anchorTime + elapsed * this.speed);
  }

  get playing(): boolean {
    return this.running;
  }

  get rate(): number {
    return this.speed;
  }

  /// Counts seeks, so a tile can tell a jump from the clock running.
  get seekCount(): number {
    return this.seeks;
  }

  /// Whether a hold is stopping the clock now.
  get waiting(): boolean {
    return this.running && this.frozen && this.now() < this.frozenSince + this.holdLimit;
  }

  subscribe(listener: (change: ClockChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  play(): void {
    if (this.running) return;
    this.reanchor();
    this.frozenSince = this.now();
    this.running = true;
    this.emit("play");
  }

  pause(): void {
    if (!this.running) return;
    this.reanchor();
    this.running = false;
    this.emit("pause");
  }

  toggle(): void {
    if (this.running) this.pause();
    else this.play();
  }

  setRate(rate: number): void {
    if (rate === 0 || !Number.isFinite(rate) || rate === this.speed) return;
    this.reanchor();
    this.speed = rate;
    this.emit("rate");
  }

  seek(t: number): void {
    this.anchorTime = Math.min(this.wall(), t);
    this.anchorNow = this.now();
    // Tiles load the new moment: holds get their full limit again.
    this.frozenSince = this.anchorNow;
    this.seeks += 1;
    this.emit("seek");
  }

  /// Moves by `ms` (negative: back), pausing first: a frame step.
  step(ms: number): void {
    this.pause();
    this.seek(this.time() + ms);
  }

  /// A tile (`id`) has footage here but cannot show it yet: the clock waits.
  hold(id: string): void {
    if (this.holds.has(id)) return;
    this.holds.add(id);
    if (!this.frozen) {
      this.reanchor();
      this.frozen = true;
      this.frozenSince = this.now();
    }
  }

  /// The tile (`id`) shows its footage again.
  release(id: string): void {
    if (!this.holds.delete(id) || this.holds.size > 0) return;
    this.reanchor();
    this.frozen = false;
  }

  private reanchor() {
    this.anchorTime = this.time();
    this.anchorNow = this.now();
  }

  private emit(change: ClockChange) {
    this.listeners.forEach((l) => l(change));
  }
}
