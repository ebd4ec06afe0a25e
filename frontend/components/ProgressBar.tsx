interface ProgressBarProps {
  /** 0..1, or null while the amount is not known yet (the bar shows empty with no percentage). */
  value: number | null;
  /** Accessible name of the bar, e.g. "Import progress". */
  label: string;
}

export function ProgressBar({ value, label }: ProgressBarProps) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="row island-progress-row">
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <div className="progress-bar" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <span className="island-progress-percent">{percent === null ? "" : `${percent}%`}</span>
    </div>
  );
}
