// Small line icons, drawn inline so they look the same on every system.

const PATHS = {
  info: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 7v7m0-10.5v.5",
  download: "M12 4v11m-5-5 5 5 5-5M5 20h14",
  fullscreen: "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5",
  close: "M6 6l12 12M18 6 6 18",
  menu: "M4 7h16M4 12h16M4 17h16",
  play: "M7 5v14l11-7z",
  pause: "M8 5v14M16 5v14",
  frameBack: "M17 6v12l-8-6zM7 6v12",
  frameForward: "M7 6v12l8-6zM17 6v12",
  previousGap: "M19 6l-6 6 6 6M11 6l-6 6 6 6",
  nextGap: "M5 6l6 6-6 6M13 6l6 6-6 6",
  previousEvent: "M15 6l-6 6 6 6M19 8v8M5 12h0",
  nextEvent: "M9 6l6 6-6 6M5 8v8M19 12h0",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[name]} />
    </svg>
  );
}
