// In-app notifications from rules that notify: each stays on screen until
// the operator dismisses it, with the way to its event. When the user
// allows it, the browser's own notification shows too while the app is not
// in front (another tab or window), so an alarm is not missed.

import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router-dom";

import type { EventView } from "../api/types";
import { formatWhen } from "../playback/when";
import { type FeedMessage, useLiveEvents } from "./events";

/// Most notifications kept on screen; older ones are dropped first.
export const MAX_SHOWN = 5;

export interface Notice {
  /// Unique per notification (a rule can notify twice of one event).
  key: number;
  rule: string;
  message: string;
  event: EventView;
}

type DesktopPermission = NotificationPermission | "unsupported";

function desktopPermission(): DesktopPermission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

let counter = 0;

export function Notifications() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);

  const heard = useCallback((message: FeedMessage) => {
    if (message.type !== "notification") return;
    const notice = { key: ++counter, rule: message.rule.name, message: message.message, event: message.event };
    setNotices((list) => [notice, ...list].slice(0, MAX_SHOWN));
    if (desktopPermission() === "granted" && !document.hasFocus()) {
      const body = [message.event.camera_name, formatWhen(Date.parse(message.event.start))].filter(Boolean).join(" · ");
      new Notification(message.message, { body, tag: `${message.event.id}:${message.rule.id}` });
    }
  }, []);
  useLiveEvents(heard);

  useEffect(() => {
    if (permission !== "default") return;
    // Permission can change in the browser's own settings meanwhile.
    const check = () => setPermission(desktopPermission());
    window.addEventListener("focus", check);
    return () => window.removeEventListener("focus", check);
  }, [permission]);

  const allow = async () => setPermission(await Notification.requestPermission());
  const dismiss = (key: number) => setNotices((list) => list.filter((n) => n.key !== key));

  return (
    <>
      {permission === "default" && (
        <button type="button" className="allow-desktop" onClick={allow}>
          Desktop alerts
        </button>
      )}
      <div className="notifications" role="log" aria-live="assertive" aria-label="Notifications">
        {notices.map((n) => (
          <div key={n.key} className="notice">
            <strong>{n.message}</strong>
            <span className="meta">
              {n.event.camera_name ?? "No camera"} · {formatWhen(Date.parse(n.event.start))} · rule “{n.rule}”
            </span>
            <span className="links">
              <Link to={`/events?${n.event.camera_id ? `camera=${n.event.camera_id}&` : ""}type=${encodeURIComponent(n.event.type)}`} onClick={() => dismiss(n.key)}>
                Show events
              </Link>
              <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.key)}>
                Dismiss
              </button>
            </span>
          </div>
        ))}
      </div>
    </>
  );
}
