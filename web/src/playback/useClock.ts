// The clock as React state: its moment (refreshed a few times a second for
// the playhead and the time shown), whether it plays, and its speed.

import { useEffect, useState } from "react";

import type { PlaybackClock } from "./clock";

export interface ClockState {
  time: number;
  playing: boolean;
  rate: number;
}

const read = (clock: PlaybackClock): ClockState => ({ time: clock.time(), playing: clock.playing, rate: clock.rate });

export function useClock(clock: PlaybackClock, everyMs = 250): ClockState {
  const [state, setState] = useState(() => read(clock));
  useEffect(() => {
    const update = () => setState(read(clock));
    const unsubscribe = clock.subscribe(update);
    const timer = setInterval(() => {
      if (clock.playing) update();
    }, everyMs);
    update();
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [clock, everyMs]);
  return state;
}
