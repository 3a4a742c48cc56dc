// The one WebSocket for live events (`GET /api/events/ws`), shared by every
// screen: the first subscriber opens it, the last one to leave closes it,
// and it reconnects with backoff while anyone listens. A reconnection asks
// for what changed since the last message heard (`after=<cursor>`), so no
// event is skipped across a dropped connection.

import { createContext, useContext, useEffect, useRef, useState } from "react";

import type { EventView } from "../api/types";

/// What the feed sends (`vms_control::event_api::feed`). Written by hand:
/// the OpenAPI document describes the WebSocket's route, not its messages;
/// the events in them are the generated `EventView`.
export type FeedMessage =
  /// A new or updated event; `cursor` is where the feed stood once it was sent.
  | { type: "event"; event: EventView; cursor: string }
  /// A rule's `notify` action (live only, never replayed).
  | { type: "notification"; rule: { id: string; name: string }; message: string; event: EventView }
  | { type: "heartbeat"; at: string }
  /// More changed while away than the feed replays: search for the rest.
  | { type: "truncated"; cursor?: string | null }
  | { type: "error"; message: string };

/// `refused`: the server will not give this login a feed (no `event.read`,
/// or the login was revoked); it is not tried again until the next sign-in.
export type LiveEventsStatus = "off" | "connecting" | "open" | "closed" | "refused";

/// Opens the feed's WebSocket, resuming after `after` (a cursor) when given.
export type OpenFeed = (after: string | null) => Promise<WebSocket>;

type Listener = (message: FeedMessage) => void;

const KINDS = new Set(["event", "notification", "heartbeat", "truncated", "error"]);

/// The server's heartbeat comes every 15 s: silence this long means the
/// connection is dead even if the socket does not know it yet.
export const SILENCE_MS = 40_000;
/// The close code of a feed whose login was revoked.
const REVOKED = 4001;

/// Waits before the `attempt`th reconnection (0-based), capped at 30 s.
export function reconnectDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt);
}

/// The feed's address: the page's own host, `ws:` or `wss:` as the page.
export function feedUrl(location: { protocol: string; host: string }, ticket: string, after: string | null): string {
  const query = new URLSearchParams({ ticket });
  if (after) query.set("after", after);
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/events/ws?${query}`;
}

export class LiveEvents {
  private socket: WebSocket | null = null;
  private opening = false;
  private listeners = new Set<Listener>();
  private statusListeners = new Set<(status: LiveEventsStatus) => void>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private current: LiveEventsStatus = "off";
  /// The cursor of the last event heard, to resume from.
  private cursor: string | null = null;
  /// Bumped on every disconnect, so a socket still being opened is dropped.
  private generation = 0;
  private silence: ReturnType<typeof setTimeout> | undefined;
  private refused = false;

  /// `open` makes the WebSocket (with whatever authenticates it); null
  /// where there is no feed (tests of screens that do not use it).
  constructor(private readonly open: OpenFeed | null) {}

  get status(): LiveEventsStatus {
    return this.current;
  }

  /// Listens to every message until the returned function is called.
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

  /// Closes the connection for good (on sign-out) and forgets where it was.
  close(): void {
    this.listeners.clear();
    this.disconnect();
    this.cursor = null;
    this.refused = false;
  }

  private setStatus(status: LiveEventsStatus) {
    this.current = status;
    this.statusListeners.forEach((l) => l(status));
  }

  private connect() {
    if (!this.open || this.socket || this.opening || this.refused) return;
    this.opening = true;
    this.setStatus("connecting");
    const generation = this.generation;
    this.open(this.cursor).then(
      (socket) => {
        this.opening = false;
        if (generation !== this.generation) {
          socket.close();
          // Someone subscribed again while this one was being opened.
          if (this.listeners.size > 0) this.connect();
          return;
        }
        this.attach(socket);
      },
      (error: unknown) => {
        this.opening = false;
        if (generation !== this.generation) {
          if (this.listeners.size > 0) this.connect();
          return;
        }
        console.warn(`live events: cannot open the feed: ${error instanceof Error ? error.message : String(error)}`);
        if ((error as { status?: number })?.status === 403) return this.refuse();
        this.closed();
      },
    );
  }

  private attach(socket: WebSocket) {
    this.socket = socket;
    socket.onopen = () => {
      this.setStatus("open");
      this.watch(socket);
    };
    socket.onmessage = (message) => {
      this.watch(socket);
      let parsed: FeedMessage;
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        console.warn("live events: a message that is not JSON was dropped");
        return;
      }
      if (!KINDS.has(parsed?.type)) return;
      // A feed that delivers is a working one: the next failure starts the
      // backoff afresh. (An `error` is what a failing server says before it
      // closes: that must not reset it.)
      if (parsed.type === "event" || parsed.type === "heartbeat") this.attempt = 0;
      if (parsed.type === "event") this.cursor = parsed.cursor;
      if (parsed.type === "truncated" && parsed.cursor) this.cursor = parsed.cursor;
      this.listeners.forEach((l) => l(parsed));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.silence);
      if (event?.code === REVOKED) return this.refuse();
      this.closed();
    };
  }

  /// Closes `socket` if it stays silent past [`SILENCE_MS`].
  private watch(socket: WebSocket) {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => {
      if (this.socket !== socket) return;
      console.warn("live events: no heartbeat; reconnecting");
      this.socket = null;
      socket.onclose = null;
      socket.close();
      this.closed();
    }, SILENCE_MS);
  }

  /// The server refuses this login a feed: stop until the next sign-in.
  private refuse() {
    this.refused = true;
    clearTimeout(this.retry);
    this.setStatus("refused");
  }

  /// The connection is gone: try again later while anyone listens.
  private closed() {
    this.setStatus("closed");
    if (this.listeners.size > 0) this.retry = setTimeout(() => this.connect(), reconnectDelay(this.attempt++));
  }

  private disconnect() {
    clearTimeout(this.retry);
    clearTimeout(this.silence);
    this.generation += 1;
    const socket = this.socket;
    this.socket = null;
    this.attempt = 0;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    if (!this.refused) this.setStatus("off");
  }
}

export const LiveEventsContext = createContext<LiveEvents>(new LiveEvents(null));

/// Calls `listener` for every feed message while the component is mounted
/// and `active` (a user who may not read events does not connect), over the
/// app's one shared connection.
export function useLiveEvents(listener: Listener, active = true): void {
  const events = useContext(LiveEventsContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => (active ? events.subscribe((e) => latest.current(e)) : undefined), [events, active]);
}

/// The shared connection's status while the component is mounted.
export function useLiveEventsStatus(): LiveEventsStatus {
  const events = useContext(LiveEventsContext);
  const [status, setStatus] = useState(events.status);
  useEffect(() => {
    setStatus(events.status);
    return events.onStatus(setStatus);
  }, [events]);
  return status;
}
