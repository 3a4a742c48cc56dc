// The steering pad: press and hold a direction (or zoom) to move the camera
// at the chosen speed, let go to stop. Pointer, touch and keyboard alike:
// the arrow keys (and + / −) steer while the pad has focus, and Space or
// Enter holds the focused button. Leaving the button, the pad or the
// window stops the camera too. A click with no press before it (a screen
// reader's) nudges the camera: a short move that stops by itself.

import { type KeyboardEvent, useEffect, useRef, useState } from "react";

import type { PtzDriver, Velocity } from "./ptzDriver";

type Direction = "up" | "down" | "left" | "right" | "in" | "out";

const LABELS: Record<Direction, string> = {
  up: "Tilt up",
  down: "Tilt down",
  left: "Pan left",
  right: "Pan right",
  in: "Zoom in",
  out: "Zoom out",
};

const SYMBOLS: Record<Direction, string> = { up: "▲", down: "▼", left: "◀", right: "▶", in: "+", out: "−" };

/// The keys that steer while the pad has focus.
const KEYS: Record<string, Direction> = {
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowLeft: "left",
  ArrowRight: "right",
  "+": "in",
  "=": "in",
  "-": "out",
};

/// How long after a press or release a click is taken as its own (the one
/// a browser sends after a pointer press), not as a screen reader's.
const CLICK_AFTER_PRESS_MS = 1000;

/// The velocity of `direction` at `speed` (0..1).
export function velocityOf(direction: Direction, speed: number): Velocity {
  const v = { pan: 0, tilt: 0, zoom: 0 };
  if (direction === "left" || direction === "right") v.pan = direction === "right" ? speed : -speed;
  if (direction === "up" || direction === "down") v.tilt = direction === "up" ? speed : -speed;
  if (direction === "in" || direction === "out") v.zoom = direction === "in" ? speed : -speed;
  return v;
}

export interface PtzPadProps {
  driver: PtzDriver;
  /// Sends the camera to its home position.
  onHome: () => void;
  /// Another command runs: Home waits (steering never does, so a press can always be let go).
  busy: boolean;
}

export function PtzPad({ driver, onHome, busy }: PtzPadProps) {
  const [speed, setSpeed] = useState(0.5);
  const [active, setActive] = useState<Direction | null>(null);
  /// When a hold button was last pressed or let go (by pointer or key).
  const lastPress = useRef(-Infinity);

  const start = (direction: Direction) => {
    lastPress.current = Date.now();
    setActive(direction);
    driver.move(velocityOf(direction, speed));
  };
  const stop = () => {
    lastPress.current = Date.now();
    setActive(null);
    driver.stop();
  };
  /// A click on its own (a screen reader's, no press before it) nudges.
  const click = (direction: Direction) => {
    if (Date.now() - lastPress.current < CLICK_AFTER_PRESS_MS) return;
    driver.nudge(velocityOf(direction, speed));
  };
  // Switching windows mid-press loses the release: stop then.
  useEffect(() => {
    const lost = () => {
      setActive(null);
      driver.stop();
    };
    window.addEventListener("blur", lost);
    return () => window.removeEventListener("blur", lost);
  }, [driver]);

  const padKeyDown = (e: KeyboardEvent) => {
    const direction = KEYS[e.key];
    if (!direction) return;
    e.preventDefault();
    if (!e.repeat) start(direction);
  };
  const padKeyUp = (e: KeyboardEvent) => {
    if (!KEYS[e.key]) return;
    e.preventDefault();
    stop();
  };

  const button = (direction: Direction) => (
    <button
      type="button"
      className={`hold ${direction}${active === direction ? " active" : ""}`}
      aria-label={LABELS[direction]}
      title={`${LABELS[direction]} (hold)`}
      onPointerDown={(e) => {
        if (e.button === 0) start(direction);
      }}
      onPointerUp={stop}
      onPointerLeave={() => active === direction && stop()}
      onPointerCancel={stop}
      onClick={() => click(direction)}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        if (e.key !== " " && e.key !== "Enter") return;
        e.preventDefault();
        if (!e.repeat) start(direction);
      }}
      onKeyUp={(e) => {
        if (e.key !== " " && e.key !== "Enter") return;
        e.preventDefault();
        stop();
      }}
    >
      {SYMBOLS[direction]}
    </button>
  );

  return (
    <div className="ptz-controls">
      <div
        className="ptz-pad"
        role="group"
        aria-label="Steer the camera (hold a button, or the arrow keys)"
        tabIndex={0}
        onKeyDown={padKeyDown}
        onKeyUp={padKeyUp}
        onBlur={(e) => {
          if (active && !e.currentTarget.contains(e.relatedTarget as Node | null)) stop();
        }}
      >
        <div className="directions">
          <span />
          {button("up")}
          <span />
          {button("left")}
          <button type="button" className="home" title="Home position" disabled={busy} onClick={onHome}>
            Home
          </button>
          {button("right")}
          <span />
          {button("down")}
          <span />
        </div>
        <div className="zoom">
          {button("out")}
          {button("in")}
        </div>
      </div>
      <label className="speed">
        Speed
        <input type="range" min={0.1} max={1} step={0.1} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} />
      </label>
    </div>
  );
}
