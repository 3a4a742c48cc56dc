// A bar that fills as work gets done, announced as a progress bar with its
// numbers (`aria-valuenow` of `aria-valuemax`) and, in `text`, in words.
// Without a `max` (nothing counted yet) it is indeterminate.

export interface ProgressBarProps {
  /// What progresses ("Scan progress").
  label: string;
  value: number;
  max: number;
  /// The numbers in words ("12 of 254 addresses probed").
  text: string;
}

export function ProgressBar({ label, value, max, text }: ProgressBarProps) {
  const known = max > 0;
  const share = known ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className="progress-line">
      <div
        className={`progress-bar${known ? "" : " indeterminate"}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? max : undefined}
        aria-valuenow={known ? value : undefined}
        aria-valuetext={text}
      >
        <div className="fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span className="muted">{text}</span>
    </div>
  );
}
