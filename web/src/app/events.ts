// The one WebSocket for live events, shared by every screen: the first
// subscriber opens it, the last one to leave closes it, and it reconnects
// with backoff while anyone listens.
//
// The control plane has no events WebSocket yet, so the app starts this
// with no `open` function: screens can subscribe today and hear nothing
// until the endpoint exists. No event is ever made up here.

import { createContext, useContext, useEffect, useRef } from "react";

/// An event as the server will push it; only `type` is assumed.
export interface LiveEvent {
  type: string;
  [field: string]: unknown;
}

export type LiveEventsStatus = "off" | "connecting" | "open" | "closed";

type Listener = (event: LiveEvent) => void;

/// Waits before the `attempt`th reconnection (0-based), capped at 30 s.
export function reconnectDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt);
}

export class LiveEvents {
  private socket: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private statusListeners = new Set<(status: LiveEventsStatus) => void>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private current: LiveEventsStatus = "off";

  /// `open` makes the WebSocket (with whatever authenticates it); null while
  /// the server offers none.
  constructor(private readonly open: (() => WebSocket) | null) {}

  get status(): LiveEventsStatus {
    return this.current;
  }

  /// Listens to every event until the returned function is called.
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  onStatus(listener: (status: LiveEventsStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /// Closes the connection for good (on sign-out).
  close(): void {
    this.listeners.clear();
    this.disconnect();
  }

  private setStatus(status: LiveEventsStatus) {
    this.current = status;
    this.statusListeners.forEach((l) => l(status));
  }

  private connect() {
    if (!this.open || this.socket) return;
    this.setStatus("connecting");
    const socket = this.open();
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus("open");
    };
    socket.onmessage = (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(message.data));
      } catch {
        console.warn("live events: a message that is not JSON was dropped");
        return;
      }
      if (typeof event?.type !== "string") return;
      this.listeners.forEach((l) => l(event));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus("closed");
      if (this.listeners.size > 0) this.retry = setTimeout(() => this.connect(), reconnectDelay(this.attempt++));
    };
  }

  private disconnect() {
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    this.attempt = 0;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this.setStatus("off");
  }
}

export const LiveEventsContext = createContext<LiveEvents>(new LiveEvents(null));

/// Calls `listener` for every live event while the component is mounted,
/// over the app's one shared connection.
export function useLiveEvents(listener: Listener): void {
  const events = useContext(LiveEventsContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => events.subscribe((e) => latest.current(e)), [events]);
}
